// Several runtime nodes on one shared store (Redis, issue 12). A session lives on one node at a
// time, its *home*, which alone allocates its seqs (§8.3: one gap-free seq space). Jobs run on
// the node they were submitted to and stay there.
//   - Resume on another node: it claims the session (cluster lock), asks the home to release it;
//     the home flushes, stops sequencing it and from then on forwards its jobs' output
//     (`emit`) to the new home, which sequences, stores and sends it, and answers each with
//     `sequenced` so the job's node keeps the job's last_event_seq and history current. The new
//     home rebuilds the session from the store (events, ack position) and replays exactly, then
//     live events. It tells the nodes running the session's jobs where the session lives now
//     (`rehome`), so a session that moves again keeps its jobs' output; output still on its way
//     to a former home is passed on by it.
//   - A dead home (liveness key expired): the claimant takes over without asking, and ends the
//     session's jobs that ran on the dead node with the restart terminal (restart-terminal.ts).
//     A periodic sweep does the same for sessions nobody resumes, and the home of a session ends
//     that session's jobs of a node that died after the claim, so every job of a dead node ends
//     within about two liveness periods.
//   - job.subscribe to a job of another node: its record and history from the store, then
//     `watch` (with the last seq that history had) to the job's node, which sends what came
//     after and then the live output.
//   - job.cancel for a job on another node: checked against the job record (same rules as
//     job-cancel.ts), job.cancelled sent here, `cancel` forwarded to the job's node.
//   - session.list_jobs lists the records of every node's jobs (jobs of other nodes are
//     materialised read-only from their records).
import type { Feature } from '../../../generated/index.js';
import { arcpError } from '../../errors/index.js';
import type { ClusterBus, ClusterMessage, JobRecord, RuntimeStore } from '../../store/runtime-store.js';
import type { RuntimeCore } from '../core.js';
import { envelope } from '../envelope.js';
import type { Job, SequencedType } from '../job.js';
import type { Session } from '../session.js';
import { detachedOwner } from './detached-owner.js';
import { runtimeRestartedError } from './restart-terminal.js';
import { rebuildJob } from './restore.js';
import { tokenHash } from './records.js';
import { payloadDigest } from '../idempotency.js';
import { authorityServicesOf } from '../enforcement/authority-services.js';
import type { StoreBinding } from './store-binding.js';

/** How long a claim waits for a silent home's liveness key to expire. */
const MAX_RELEASE_WAIT_MS = 30_000;

const TERMINAL: ReadonlySet<string> = new Set(['success', 'error', 'cancelled', 'timed_out']);

interface Emit extends ClusterMessage {
  op: 'emit';
  session_id: string;
  type: SequencedType;
  job_id: string;
  trace_id?: string;
  payload: unknown;
  /** The node the job runs on (the answer `sequenced` goes there, even through a former home). */
  origin: string;
  /** Per-job count of forwarded output at the origin: pairs the answer with its emit. */
  fseq: number;
}

/** A session this node handed over while it still runs jobs here: where its output goes now. */
interface Released {
  session: Session;
  to: string;
  /** Sweeps that found no running job of it here; forgotten at the second (output in flight passed). */
  idleSweeps: number;
}

export class ClusterBinding {
  readonly nodeId: string;
  private readonly bus: ClusterBus;
  /** Sessions being claimed: forwarded output that arrives meanwhile waits here, in order. */
  private readonly claiming = new Map<string, Emit[]>();
  private readonly releaseWaiters = new Map<string, () => void>();
  /** Read-only stand-ins of other nodes' jobs that local sessions subscribe to, by job id. */
  private readonly proxies = new Map<string, Job>();
  /** Local jobs whose output is forwarded to subscriber nodes: job id -> node ids. */
  private readonly watchers = new Map<string, Set<string>>();
  /** Highest owner seq a proxy has seen (history or forwarded output), against duplicates. */
  private readonly proxySeq = new Map<string, number>();
  /** Sessions handed over by this node, by id (jobs here still emit through their old object). */
  private readonly released = new Map<string, Released>();
  /** Forwarded output awaiting its seq: job id -> fseq -> the envelope. */
  private readonly unsequenced = new Map<string, Map<number, { type: SequencedType; payload: unknown }>>();
  private readonly forwardCount = new Map<string, number>();
  private sweepTimer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly core: RuntimeCore,
    private readonly binding: StoreBinding,
    private readonly store: RuntimeStore & { bus: ClusterBus },
  ) {
    this.bus = store.bus;
    this.nodeId = store.bus.nodeId;
  }

  start(): void {
    this.bus.onMessage((msg) => this.onMessage(msg));
    this.sweepTimer = setInterval(() => void this.sweepDeadNodes().catch((err) => this.log('dead-node sweep failed', err)), this.bus.livenessTtlMs);
    this.sweepTimer.unref();
  }

  stop(): void {
    this.stopped = true;
    if (this.sweepTimer) clearInterval(this.sweepTimer);
  }

  /** Resume of a session this node does not hold: claim it (undefined when it cannot be). */
  async claim(sessionId: string, presentedToken?: string, principal?: string): Promise<Session | undefined> {
    const local = this.core.sessions.get(sessionId);
    if (local) return local;
    if (this.stopped) return undefined; // shutting down: take nothing over
    const record = await this.store.loadSession(sessionId);
    if (!record) return undefined;
    if (presentedToken !== undefined && tokenHash(presentedToken) !== record.resume_token_hash) return undefined;
    // The resume will be refused (another principal's credentials): the session stays where it is.
    if (principal !== undefined && principal !== record.principal) return undefined;
    const lock = `session:${sessionId}`;
    if (!(await this.bus.tryLock(lock, MAX_RELEASE_WAIT_MS + this.bus.livenessTtlMs * 4))) return undefined;
    this.claiming.set(sessionId, []);
    try {
      const previous = record.node_id;
      let previousAlive = false;
      if (previous !== undefined && previous !== this.nodeId && (await this.bus.isAlive(previous))) {
        const answer = await this.askRelease(previous, sessionId);
        if (answer === 'unresponsive') return undefined; // alive but silent: never two homes
        previousAlive = answer === 'released';
      }
      const latest = (await this.store.loadSession(sessionId)) ?? record;
      const { events, position } = await this.store.loadEvents(sessionId);
      const jobs = (await this.store.loadJobs()).filter((j) => j.session_id === sessionId);
      if (this.core.sessions.get(sessionId)) return this.core.sessions.get(sessionId);
      this.binding.events.restore(sessionId, events, position);
      this.binding.quiet = true;
      let session: Session;
      try {
        session = this.core.createSession(latest.principal, new Set(latest.features as Feature[]), sessionId);
        session.detach();
      } finally {
        this.binding.quiet = false;
      }
      this.binding.restoredTokens.set(sessionId, latest.resume_token_hash);
      session.persist(); // now homed here
      this.rehome(sessionId, jobs, previous);
      // Jobs of this session whose node is gone will never finish: end them here, in seq order.
      for (const record of jobs) {
        if (TERMINAL.has(record.status)) continue;
        const node = record.node_id;
        if (node === this.nodeId || (node !== undefined && node === previous && previousAlive)) continue;
        if (node !== undefined && node !== previous && (await this.bus.isAlive(node))) continue;
        this.endOrphan(record, session);
      }
      const buffered = this.claiming.get(sessionId) ?? [];
      this.claiming.delete(sessionId);
      for (const emit of buffered) this.deliver(emit);
      return session;
    } finally {
      this.claiming.delete(sessionId);
      await this.bus.unlock(lock).catch(() => undefined);
    }
  }

  /** job.cancel of a job this node does not run (job-cancel.ts rules on the job's record). */
  async cancelRemote(session: Session, jobId: string, reason: string, corr: { request_id: string; job_id: string }): Promise<void> {
    const record = await this.store.loadJob(jobId);
    if (!record || record.principal !== session.principal) return session.sendError(arcpError('JOB_NOT_FOUND', `no job ${jobId}`), corr);
    if (record.session_id !== session.id) {
      return session.sendError(arcpError('PERMISSION_DENIED', `job ${jobId} was submitted by another session; only it may cancel`), corr);
    }
    if (TERMINAL.has(record.status) || record.node_id === undefined) return;
    session.sendControl(envelope('job.cancelled', { session_id: session.id, job_id: jobId, trace_id: record.trace_id }, { job_id: jobId, reason } as never));
    this.bus.send(record.node_id, { op: 'cancel', from: this.nodeId, job_id: jobId, reason });
  }

  /** Jobs of other nodes, read-only, for session.list_jobs. */
  async remoteJobs(): Promise<Job[]> {
    const out: Job[] = [];
    for (const record of await this.store.loadJobs()) {
      if (this.core.jobs.get(record.job_id)) continue;
      const job = rebuildJob(this.core, record, detachedOwner(this.core, record.session_id, record.principal));
      if (TERMINAL.has(record.status)) {
        job.transition(record.status as 'success');
        job.terminal = record.terminal;
      }
      out.push(job);
    }
    return out;
  }

  /**
   * Asks the home to release the session. No answer: wait for its liveness key to expire (a
   * killed node's does within its TTL) and take over; still alive after MAX_RELEASE_WAIT_MS:
   * 'unresponsive', and the resume is refused rather than the session having two homes.
   */
  /** A job of another node for job.subscribe: its record, history and (if live) its output. */
  async prepareRemoteJob(jobId: string): Promise<void> {
    if (this.core.jobs.get(jobId) || this.proxies.get(jobId)?.isTerminal === false) return;
    const record = await this.store.loadJob(jobId);
    if (!record) return;
    const job = rebuildJob(this.core, record, detachedOwner(this.core, record.session_id, record.principal));
    if (TERMINAL.has(record.status)) {
      job.transition(record.status as 'success');
      job.terminal = record.terminal;
    }
    const history = await this.store.loadJobHistory(jobId);
    this.binding.history.forget(jobId);
    this.binding.history.restore(
      jobId,
      history.map((h) => ({ seq: h.seq, type: h.type, traceId: h.trace_id, payload: h.payload })),
    );
    this.proxies.set(jobId, job);
    const afterSeq = history.reduce((max, h) => Math.max(max, h.seq), 0);
    this.proxySeq.set(jobId, afterSeq);
    // The store lags the job's node: the node sends what its history has after `after_seq`.
    if (!job.isTerminal && record.node_id !== undefined) this.bus.send(record.node_id, { op: 'watch', from: this.nodeId, job_id: jobId, after_seq: afterSeq });
  }

  remoteJob(jobId: string): Job | undefined {
    return this.proxies.get(jobId);
  }

  /**
   * An idempotency key this node does not know, looked up in the store (another node accepted
   * it). True when answered: DUPLICATE_KEY, or the first job's job.accepted, its terminal if it
   * ended, else its remaining events (job-submit.ts replayIdempotent, across nodes).
   */
  async answerIdempotent(session: Session, requestId: string, key: string, submitPayload: unknown, reject: (jobId: string) => void): Promise<boolean> {
    const rec = await this.store.loadIdempotencyKey(session.principal, key);
    if (!rec || Date.now() - rec.created_at >= this.core.options.idempotencyTtlMs) return false;
    if ((rec.payload_digest ?? payloadDigest(rec.submit_payload)) !== payloadDigest(submitPayload)) {
      reject(rec.job_id);
      return true;
    }
    const record = await this.store.loadJob(rec.job_id);
    if (!record) return false;
    session.sendControl(envelope('job.accepted', { session_id: session.id, job_id: record.job_id, trace_id: record.trace_id }, { ...record.accepted, request_id: requestId } as never));
    if (record.terminal) {
      session.emitSequenced(record.terminal.type, record.job_id, record.trace_id, record.terminal.payload);
      return true;
    }
    await this.prepareRemoteJob(record.job_id);
    const proxy = this.proxies.get(record.job_id);
    if (proxy) authorityServicesOf(this.core).subscriptions.add(proxy, session, true);
    return true;
  }

  private async askRelease(home: string, sessionId: string): Promise<'released' | 'dead' | 'unresponsive'> {
    const released = new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), this.bus.livenessTtlMs * 2);
      this.releaseWaiters.set(sessionId, () => {
        clearTimeout(timer);
        resolve(true);
      });
    });
    this.bus.send(home, { op: 'release', from: this.nodeId, session_id: sessionId });
    const ok = await released;
    this.releaseWaiters.delete(sessionId);
    if (ok) return 'released';
    const deadline = Date.now() + MAX_RELEASE_WAIT_MS;
    while (await this.bus.isAlive(home)) {
      if (Date.now() > deadline) return 'unresponsive';
      await new Promise((r) => setTimeout(r, Math.max(50, this.bus.livenessTtlMs / 4)));
    }
    return 'dead';
  }

  private onMessage(msg: ClusterMessage): void {
    switch (msg.op) {
      case 'release':
        void this.release(msg.session_id as string, msg.from).catch((err) => this.log('release failed', err));
        return;
      case 'released':
        this.releaseWaiters.get(msg.session_id as string)?.();
        return;
      case 'emit':
        this.deliver(msg as Emit);
        return;
      case 'sequenced':
        this.sequenced(msg.job_id as string, msg.fseq as number, msg.seq as number | null);
        return;
      case 'rehome': {
        const entry = this.released.get(msg.session_id as string);
        if (entry) entry.to = msg.to as string;
        return;
      }
      case 'watch':
        this.watch(msg.job_id as string, msg.from, typeof msg.after_seq === 'number' ? msg.after_seq : 0);
        return;
      case 'job-output': {
        const proxy = this.proxies.get(msg.job_id as string);
        if (!proxy || proxy.isTerminal) return;
        const type = msg.type as SequencedType;
        if (typeof msg.seq === 'number') {
          if (msg.seq <= (this.proxySeq.get(proxy.jobId) ?? 0)) return; // already had it (history)
          this.proxySeq.set(proxy.jobId, msg.seq);
          // Later subscribers on this node replay it too.
          this.binding.history.restore(proxy.jobId, [{ seq: msg.seq, type, traceId: proxy.traceId, payload: msg.payload }]);
        }
        if (type !== 'job.event') {
          proxy.terminal = { type, payload: msg.payload };
          proxy.transition(((msg.payload as { final_status?: string }).final_status ?? 'error') as 'error');
          this.proxySeq.delete(proxy.jobId);
        }
        for (const sink of proxy.sinks) sink.deliver(type, msg.payload, proxy);
        return;
      }
      case 'cancel': {
        const job = this.core.jobs.get(msg.job_id as string);
        if (job && !job.isTerminal) this.core.runner.cancel(job, String(msg.reason ?? 'cancelled by client'));
        return;
      }
    }
  }

  /** Another node takes the session over: stop sequencing it here and forward its jobs' output. */
  private async release(sessionId: string, to: string): Promise<void> {
    const session = this.core.sessions.get(sessionId);
    if (session) {
      const entry: Released = { session, to, idleSweeps: 0 };
      this.released.set(sessionId, entry);
      session.redirect = (type, jobId, traceId, payload) => this.forward(entry, type, jobId, traceId, payload);
      this.core.sessions.release(session);
      this.binding.events.forgetLocal(sessionId);
      void session.connection?.close('session resumed on another node');
    }
    await this.store.flush();
    this.bus.send(to, { op: 'released', from: this.nodeId, session_id: sessionId });
  }

  private deliver(emit: Emit): void {
    const buffered = this.claiming.get(emit.session_id);
    if (buffered) {
      buffered.push(emit);
      return;
    }
    const session = this.core.sessions.get(emit.session_id);
    if (!session) {
      // Handed over again meanwhile: pass it on to where the session lives now.
      const moved = this.released.get(emit.session_id);
      if (moved && moved.to !== this.nodeId) return this.bus.send(moved.to, { ...emit, from: this.nodeId });
      return this.log('output for a session this node does not hold', emit.session_id);
    }
    const seq = session.emitSequenced(emit.type, emit.job_id, emit.trace_id, emit.payload);
    if (seq !== undefined) {
      this.store.appendJobHistory(emit.job_id, { seq, type: emit.type, ...(emit.trace_id ? { trace_id: emit.trace_id } : {}), payload: emit.payload });
    }
    this.bus.send(emit.origin ?? emit.from, { op: 'sequenced', from: this.nodeId, job_id: emit.job_id, fseq: emit.fseq, seq: seq ?? null });
  }

  /** Output of a local job whose session this node handed over: to its current home. */
  private forward(entry: Released, type: SequencedType, jobId: string, traceId: string | undefined, payload: unknown): number | undefined {
    const sessionId = entry.session.id;
    if (entry.to === this.nodeId) {
      // The session came back: its new object here sequences it (the job keeps the old one).
      return this.core.sessions.get(sessionId)?.emitSequenced(type, jobId, traceId, payload);
    }
    const fseq = (this.forwardCount.get(jobId) ?? 0) + 1;
    this.forwardCount.set(jobId, fseq);
    let pending = this.unsequenced.get(jobId);
    if (!pending) this.unsequenced.set(jobId, (pending = new Map()));
    pending.set(fseq, { type, payload });
    this.bus.send(entry.to, { op: 'emit', from: this.nodeId, origin: this.nodeId, fseq, session_id: sessionId, type, job_id: jobId, ...(traceId !== undefined ? { trace_id: traceId } : {}), payload });
    return undefined;
  }

  /**
   * The home sequenced forwarded output of a local job: the job's last_event_seq and its
   * history here catch up (listings, subscribers on this node), and an ended job's record is
   * written again with the terminal's seq.
   */
  private sequenced(jobId: string, fseq: number, seq: number | null): void {
    const pending = this.unsequenced.get(jobId);
    const out = pending?.get(fseq);
    if (!pending || !out) return;
    for (const k of pending.keys()) if (k <= fseq) pending.delete(k); // earlier ones were lost on the way
    if (pending.size === 0) this.unsequenced.delete(jobId);
    const job = this.core.jobs.get(jobId);
    if (!job || seq === null || seq <= job.lastEventSeq) return;
    job.lastEventSeq = seq;
    this.binding.history.restore(jobId, [{ seq, type: out.type, traceId: job.traceId, payload: out.payload }]);
    if (job.isTerminal) {
      this.binding.jobEnded(job);
      if (!this.unsequenced.has(jobId)) this.forwardCount.delete(jobId);
    }
  }

  /**
   * Tells the nodes running this session's jobs that it lives here now; a local job whose owner
   * object was handed over earlier emits through this node's new object again.
   */
  private rehome(sessionId: string, jobs: readonly JobRecord[], previous: string | undefined): void {
    const nodes = new Set<string>();
    for (const j of jobs) if (!TERMINAL.has(j.status) && j.node_id !== undefined) nodes.add(j.node_id);
    const local = this.released.get(sessionId);
    if (local) local.to = this.nodeId;
    nodes.delete(this.nodeId);
    if (previous !== undefined) nodes.delete(previous); // its release already points here
    for (const node of nodes) this.bus.send(node, { op: 'rehome', from: this.nodeId, session_id: sessionId, to: this.nodeId });
  }

  /** A subscriber node follows a local job: what it missed after `afterSeq`, then live output. */
  private watch(jobId: string, watcher: string, afterSeq: number): void {
    const job = this.core.jobs.get(jobId);
    if (!job) return;
    const send = (type: SequencedType, payload: unknown, seq: number | undefined): void =>
      this.bus.send(watcher, { op: 'job-output', from: this.nodeId, job_id: jobId, type, payload, ...(seq !== undefined ? { seq } : {}) });
    let sentTerminal = false;
    for (const h of this.binding.history.after(jobId, afterSeq)) {
      send(h.type, h.payload, h.seq);
      if (h.type !== 'job.event') sentTerminal = true;
    }
    if (job.isTerminal && job.pendingOutput === 0) {
      // Ended (its tail written: limits/emit-outbox.ts) before the watch arrived; its terminal may not be in the history yet (handed over).
      if (!sentTerminal && job.terminal) send(job.terminal.type, job.terminal.payload, undefined);
      return;
    }
    let nodes = this.watchers.get(jobId);
    if (!nodes) {
      nodes = new Set();
      this.watchers.set(jobId, nodes);
      job.sinks.add({
        deliver: (type, payload, j) => {
          // The owner seq is known here only while this node sequences the session.
          const seq = j.owner.redirect && this.released.get(j.sessionId)?.to !== this.nodeId ? undefined : j.lastEventSeq;
          for (const node of nodes!) send(type, payload, seq);
          if (type !== 'job.event') this.watchers.delete(j.jobId);
        },
      });
    }
    nodes.add(watcher);
  }

  /** A job of a dead node: its terminal, sequenced in its (now local) session, and its record. */
  private endOrphan(record: JobRecord, session: Session): void {
    const job = rebuildJob(this.core, record, session);
    this.core.jobs.add(job);
    this.core.runner.finishError(job, runtimeRestartedError({ node_id: record.node_id }));
  }

  /** Sessions whose home died and that nobody resumes: claim them so their jobs end. */
  private async sweepDeadNodes(): Promise<void> {
    this.forgetIdleReleased();
    const dead = new Map<string, boolean>();
    const isDead = async (node: string): Promise<boolean> => {
      if (!dead.has(node)) dead.set(node, node !== this.nodeId && !(await this.bus.isAlive(node)));
      return dead.get(node)!;
    };
    for (const record of await this.store.loadJobs()) {
      if (TERMINAL.has(record.status) || record.node_id === undefined || !(await isDead(record.node_id))) continue;
      if (this.core.jobs.get(record.job_id)) continue;
      const home = this.core.sessions.get(record.session_id);
      if (home) {
        // The session lives here; its job's node died after the claim: end the job here.
        this.endOrphan(record, home);
        continue;
      }
      const session = await this.store.loadSession(record.session_id);
      if (session) {
        // A live home ends its own session's orphans (above); taking the session from it would
        // cut its client off. Otherwise claim it: that ends its jobs of dead nodes.
        if (session.node_id !== undefined && session.node_id !== this.nodeId && !(await isDead(session.node_id))) continue;
        await this.claim(record.session_id);
      } else {
        // The session is gone: the job ends without a stream (listed as error).
        this.endOrphan(record, detachedOwner(this.core, record.session_id, record.principal));
      }
    }
  }

  private forgetIdleReleased(): void {
    if (this.released.size === 0) return;
    const running = new Set<Session>();
    for (const job of this.core.jobs.values()) if (!job.isTerminal) running.add(job.owner);
    for (const [id, entry] of this.released) {
      if (running.has(entry.session)) entry.idleSweeps = 0;
      else if (++entry.idleSweeps >= 2) this.released.delete(id);
    }
  }

  private log(message: string, detail: unknown): void {
    this.core.options.logger('warn', `cluster: ${message}`, { node_id: this.nodeId, detail: String(detail) });
  }
}
