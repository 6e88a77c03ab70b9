// Several runtime nodes on one shared store (Redis, issue 12). A session lives on one node at a
// time, its *home*, which alone allocates its seqs (§8.3: one gap-free seq space). Jobs run on
// the node they were submitted to and stay there. This binding routes the messages between
// nodes (docs/store.md has the table) to the part that owns each concern:
//   - session-homes.ts: resume on another node (claim, release, rehome);
//   - output-relay.ts: a job's output while its session lives elsewhere (emit, sequenced);
//   - remote-jobs.ts: other nodes' jobs for subscribe, listing, cancel, idempotent resubmits;
//   - job-watch.ts: this node's jobs followed from other nodes (watch -> job-output);
//   - dead-nodes.ts: jobs of nodes whose liveness key expired end with the restart terminal;
//   - fenced.ts: this node was itself taken for dead (it stalled): it stops.
import type { ClusterBus, ClusterMessage, RuntimeStore } from '../../../store/runtime-store.js';
import type { RuntimeCore } from '../../core.js';
import type { Job } from '../../job.js';
import type { Session } from '../../session.js';
import type { StoreBinding } from '../store-binding.js';
import type { ClusterContext } from './context.js';
import { DeadNodes } from './dead-nodes.js';
import { stopFencedNode } from './fenced.js';
import { JobWatch } from './job-watch.js';
import { OutputRelay, type Emit } from './output-relay.js';
import { RemoteJobs } from './remote-jobs.js';
import { SessionHomes } from './session-homes.js';

export class ClusterBinding {
  readonly nodeId: string;
  private readonly cx: ClusterContext;
  private readonly homes: SessionHomes;
  private readonly relay: OutputRelay;
  private readonly remote: RemoteJobs;
  private readonly watches: JobWatch;
  private readonly deadNodes: DeadNodes;
  private sweepTimer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(core: RuntimeCore, binding: StoreBinding, store: RuntimeStore & { bus: ClusterBus }) {
    this.nodeId = store.bus.nodeId;
    const nodeId = this.nodeId;
    this.cx = {
      core,
      binding,
      store,
      bus: store.bus,
      nodeId,
      log: (message, detail) => core.options.logger('warn', `cluster: ${message}`, { node_id: nodeId, detail: String(detail) }),
    };
    this.homes = new SessionHomes(this.cx, {
      deliver: (emit) => this.relay.deliver(emit),
      forward: (entry, type, jobId, traceId, payload) => this.relay.forward(entry, type, jobId, traceId, payload),
      endOrphan: (record, session) => this.deadNodes.endOrphan(record, session),
    });
    this.relay = new OutputRelay(this.cx, this.homes);
    this.remote = new RemoteJobs(this.cx);
    this.watches = new JobWatch(this.cx, (sessionId) => this.homes.releasedTo(sessionId));
    this.deadNodes = new DeadNodes(this.cx, { claim: (sessionId) => this.claim(sessionId), forgetIdleReleased: () => this.homes.forgetIdleReleased() });
  }

  start(): void {
    const { bus } = this.cx;
    bus.onMessage((msg) => this.onMessage(msg));
    bus.onFenced((why) => {
      this.stop();
      stopFencedNode(this.cx, why);
    });
    this.sweepTimer = setInterval(() => void this.deadNodes.sweep().catch((err) => this.cx.log('dead-node sweep failed', err)), bus.livenessTtlMs);
    this.sweepTimer.unref();
  }

  stop(): void {
    this.stopped = true;
    if (this.sweepTimer) clearInterval(this.sweepTimer);
  }

  /** Taken for dead by the other nodes: serves nobody any more (session-hello.ts refuses). */
  get fenced(): boolean {
    return this.cx.bus.fenced;
  }

  /** Resume of a session this node does not hold: claim it (undefined when it cannot be). */
  claim(sessionId: string, presentedToken?: string, principal?: string): Promise<Session | undefined> {
    const local = this.cx.core.sessions.get(sessionId);
    if (local) return Promise.resolve(local);
    if (this.stopped) return Promise.resolve(undefined); // shutting down: take nothing over
    return this.homes.claim(sessionId, presentedToken, principal);
  }

  /** job.cancel of a job this node does not run (job-cancel.ts rules on the job's record). */
  cancelRemote(session: Session, jobId: string, reason: string, corr: { request_id: string; job_id: string }): Promise<void> {
    return this.remote.cancel(session, jobId, reason, corr);
  }

  /** Jobs of other nodes, read-only, for session.list_jobs. */
  remoteJobs(): Promise<Job[]> {
    return this.remote.list();
  }

  /** A job of another node for job.subscribe: its record, history and (if live) its output. */
  prepareRemoteJob(jobId: string): Promise<void> {
    return this.remote.prepare(jobId);
  }

  remoteJob(jobId: string): Job | undefined {
    return this.remote.get(jobId);
  }

  /** An idempotency key another node accepted (remote-jobs.ts). True when answered. */
  answerIdempotent(session: Session, requestId: string, key: string, submitPayload: unknown, reject: (jobId: string) => void): Promise<boolean> {
    return this.remote.answerIdempotent(session, requestId, key, submitPayload, reject);
  }

  private onMessage(msg: ClusterMessage): void {
    const { core } = this.cx;
    switch (msg.op) {
      case 'release':
        void this.homes.release(msg.session_id as string, msg.from).catch((err) => this.cx.log('release failed', err));
        return;
      case 'released':
        this.homes.onReleased(msg.session_id as string);
        return;
      case 'emit':
        this.relay.deliver(msg as Emit);
        return;
      case 'sequenced':
        this.relay.sequenced(msg.job_id as string, msg.fseq as number, msg.seq as number | null);
        return;
      case 'rehome':
        this.homes.onRehome(msg.session_id as string, msg.to as string);
        return;
      case 'watch':
        this.watches.watch(msg.job_id as string, msg.from, typeof msg.after_seq === 'number' ? msg.after_seq : 0);
        return;
      case 'job-output':
        this.remote.onOutput(msg);
        return;
      case 'cancel': {
        const job = core.jobs.get(msg.job_id as string);
        if (job && !job.isTerminal) core.runner.cancel(job, String(msg.reason ?? 'cancelled by client'));
        return;
      }
    }
  }
}
