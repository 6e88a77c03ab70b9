// The job's node side of job.subscribe from another node: `watch` names the last seq the
// subscriber's node read from the store; this node sends what its memory history has after it,
// then every later output of the job to every node watching it, until the terminal.
import type { SequencedType } from '../../job.js';
import type { ClusterContext } from './context.js';

export class JobWatch {
  /** Local jobs whose output is forwarded to subscriber nodes: job id -> node ids. */
  private readonly watchers = new Map<string, Set<string>>();

  constructor(
    private readonly cx: ClusterContext,
    /** Where a session this node handed over lives now (session-homes.ts). */
    private readonly releasedTo: (sessionId: string) => string | undefined,
  ) {}

  watch(jobId: string, watcher: string, afterSeq: number): void {
    const { core, binding, bus, nodeId } = this.cx;
    const job = core.jobs.get(jobId);
    if (!job) return;
    const send = (to: string, type: SequencedType, payload: unknown, seq: number | undefined): void =>
      bus.send(to, { op: 'job-output', from: nodeId, job_id: jobId, type, payload, ...(seq !== undefined ? { seq } : {}) });
    let sentTerminal = false;
    for (const h of binding.history.after(jobId, afterSeq)) {
      send(watcher, h.type, h.payload, h.seq);
      if (h.type !== 'job.event') sentTerminal = true;
    }
    if (job.terminalWritten) {
      // Ended (its tail written: limits/emit-outbox.ts) before the watch arrived; its terminal may not be in the history yet (handed over).
      if (!sentTerminal && job.terminal) send(watcher, job.terminal.type, job.terminal.payload, undefined);
      return;
    }
    let nodes = this.watchers.get(jobId);
    if (!nodes) {
      nodes = new Set();
      this.watchers.set(jobId, nodes);
      const watching = nodes;
      job.sinks.add({
        deliver: (type, payload, j) => {
          // The owner seq is known here only while this node sequences the session.
          const seq = j.owner.redirect && this.releasedTo(j.sessionId) !== nodeId ? undefined : j.lastEventSeq;
          // Every watching node, not only the one whose watch installed this sink.
          for (const node of watching) send(node, type, payload, seq);
          if (type !== 'job.event') this.watchers.delete(j.jobId);
        },
      });
    }
    nodes.add(watcher);
  }
}
