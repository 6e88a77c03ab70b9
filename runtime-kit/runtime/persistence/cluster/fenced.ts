// This node was fenced (store/redis-fence.ts): the other nodes took it for dead and may have
// ended its jobs and claimed its sessions. Its store writes and its bus sends nothing more, so
// here it stops what still runs: every local job ends (the agent's signal aborts; the terminal
// goes nowhere, since nothing is written or sent), every connection closes (its clients resume
// on a live node, where their sessions now live), and later handshakes are refused
// (session-hello.ts). Restarting the process rejoins the cluster with a new token.
import { arcpError } from '../../../errors/index.js';
import type { ClusterContext } from './context.js';

export function stopFencedNode(cx: ClusterContext, why: string): void {
  const { core } = cx;
  let jobs = 0;
  for (const job of [...core.jobs.values()]) {
    if (job.isTerminal) continue;
    jobs++;
    core.runner.finishError(job, arcpError('INTERNAL_ERROR', 'this runtime node was taken for dead by its cluster', { retryable: true, details: { reason: 'node_fenced' } }));
  }
  let connections = 0;
  for (const session of [...core.sessions.values()]) {
    if (!session.connection) continue;
    connections++;
    void session.connection.close('runtime node fenced');
  }
  core.options.logger('error', `cluster: this node was fenced (${why}): its jobs stopped and its connections closed; it writes nothing more. Restart it to rejoin.`, {
    node_id: cx.nodeId,
    jobs,
    connections,
  });
}
