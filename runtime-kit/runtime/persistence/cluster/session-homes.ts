// Where each session lives (its *home*, the one node that allocates its seqs, §8.3) and how it
// moves. A resume on another node claims the session under a cluster lock and asks the home to
// release it; the home flushes, stops sequencing it and from then on forwards its jobs' output
// (output-relay.ts). The new home rebuilds the session from the store (events, ack position),
// tells the nodes running the session's jobs where it lives now (`rehome`), and ends the
// session's jobs whose node is gone (dead-nodes.ts). A home that does not answer is waited for
// until its liveness key expires; one still alive after MAX_RELEASE_WAIT_MS keeps the session.
// Nothing is taken from a node unasked before it is declared dead (fenced, redis-fence.ts).
import type { Feature } from '../../../../generated/index.js';
import type { EventPosition, JobRecord, SessionRecord, StoredEvent } from '../../../store/runtime-store.js';
import type { SequencedType } from '../../job.js';
import type { Session } from '../../session.js';
import { tokenHash } from '../records.js';
import { TERMINAL, type ClusterContext } from './context.js';
import type { Emit } from './output-relay.js';

/** How long a claim waits for a silent home's liveness key to expire. */
const MAX_RELEASE_WAIT_MS = 30_000;

/** A session this node handed over while it still runs jobs here: where its output goes now. */
export interface Released {
  session: Session;
  to: string;
  /** Sweeps that found no running job of it here; forgotten at the second (output in flight passed). */
  idleSweeps: number;
}

export interface SessionHomesDeps {
  /** Forwarded output for a session homed here (output-relay.ts). */
  deliver(emit: Emit): void;
  /** A local job's output for a session handed over (output-relay.ts). */
  forward(entry: Released, type: SequencedType, jobId: string, traceId: string | undefined, payload: unknown): number | undefined;
  /** A job of a dead node ends here (dead-nodes.ts). */
  endOrphan(record: JobRecord, session: Session): void;
}

export class SessionHomes {
  /** Sessions being claimed: forwarded output that arrives meanwhile waits here, in order. */
  private readonly claiming = new Map<string, Emit[]>();
  private readonly releaseWaiters = new Map<string, () => void>();
  /** Sessions handed over by this node, by id (jobs here still emit through their old object). */
  private readonly released = new Map<string, Released>();

  constructor(
    private readonly cx: ClusterContext,
    private readonly deps: SessionHomesDeps,
  ) {}

  /** Resume of a session this node does not hold: claim it (undefined when it cannot be). */
  async claim(sessionId: string, presentedToken?: string, principal?: string): Promise<Session | undefined> {
    const { core, store, bus, binding, nodeId } = this.cx;
    const local = core.sessions.get(sessionId);
    if (local) return local;
    const record = await store.loadSession(sessionId);
    if (!record) return undefined;
    if (presentedToken !== undefined && tokenHash(presentedToken) !== record.resume_token_hash) return undefined;
    // The resume will be refused (another principal's credentials): the session stays where it is.
    if (principal !== undefined && principal !== record.principal) return undefined;
    const lock = `session:${sessionId}`;
    if (!(await bus.tryLock(lock, MAX_RELEASE_WAIT_MS + bus.livenessTtlMs * 4))) return undefined;
    this.claiming.set(sessionId, []);
    try {
      const previous = record.node_id;
      let previousAlive = false;
      if (previous !== undefined && previous !== nodeId) {
        // A dead home is fenced before anything is taken from it (redis-fence.ts).
        const answer = (await bus.declareDead(previous)) ? 'dead' : await this.askRelease(previous, sessionId);
        if (answer === 'unresponsive') return undefined; // alive but silent: never two homes
        previousAlive = answer === 'released';
      }
      const latest = (await store.loadSession(sessionId)) ?? record;
      const { events, position } = await store.loadEvents(sessionId);
      const jobs = (await store.loadJobs()).filter((j) => j.session_id === sessionId);
      if (core.sessions.get(sessionId)) return core.sessions.get(sessionId);
      const session = this.rebuild(latest, events, position);
      this.rehome(sessionId, jobs, previous);
      // Jobs of this session whose node is gone will never finish: end them here, in seq order.
      for (const job of jobs) {
        if (TERMINAL.has(job.status)) continue;
        const node = job.node_id;
        if (node === nodeId || (node !== undefined && node === previous && previousAlive)) continue;
        if (node !== undefined && node !== previous && !(await bus.declareDead(node))) continue;
        this.deps.endOrphan(job, session);
      }
      const buffered = this.claiming.get(sessionId) ?? [];
      this.claiming.delete(sessionId);
      for (const emit of buffered) this.deps.deliver(emit);
      return session;
    } finally {
      this.claiming.delete(sessionId);
      await bus.unlock(lock).catch(() => undefined);
    }
  }

  /** The session's object here, from its record, events and ack position; homed here from now. */
  private rebuild(record: SessionRecord, events: StoredEvent[], position: EventPosition): Session {
    const { core, binding } = this.cx;
    binding.events.restore(record.session_id, events, position);
    binding.quiet = true;
    let session: Session;
    try {
      session = core.createSession(record.principal, new Set(record.features as Feature[]), record.session_id);
      session.detach();
    } finally {
      binding.quiet = false;
    }
    binding.restoredTokens.set(record.session_id, record.resume_token_hash);
    session.persist(); // now homed here
    return session;
  }

  /**
   * Asks the home to release the session. No answer: wait for its liveness key to expire (a
   * killed node's does within its TTL) and take over; still alive after MAX_RELEASE_WAIT_MS:
   * 'unresponsive', and the resume is refused rather than the session having two homes.
   */
  private async askRelease(home: string, sessionId: string): Promise<'released' | 'dead' | 'unresponsive'> {
    const { bus, nodeId } = this.cx;
    const released = new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), bus.livenessTtlMs * 2);
      this.releaseWaiters.set(sessionId, () => {
        clearTimeout(timer);
        resolve(true);
      });
    });
    bus.send(home, { op: 'release', from: nodeId, session_id: sessionId });
    const ok = await released;
    this.releaseWaiters.delete(sessionId);
    if (ok) return 'released';
    const deadline = Date.now() + MAX_RELEASE_WAIT_MS;
    while (!(await bus.declareDead(home))) {
      if (Date.now() > deadline) return 'unresponsive';
      await new Promise((r) => setTimeout(r, Math.max(50, bus.livenessTtlMs / 4)));
    }
    return 'dead';
  }

  /** `released`: the home let the session go. */
  onReleased(sessionId: string): void {
    this.releaseWaiters.get(sessionId)?.();
  }

  /** `release`: another node takes the session over; stop sequencing it here and forward its jobs' output. */
  async release(sessionId: string, to: string): Promise<void> {
    const { core, store, bus, binding, nodeId } = this.cx;
    const session = core.sessions.get(sessionId);
    if (session) {
      const entry: Released = { session, to, idleSweeps: 0 };
      this.released.set(sessionId, entry);
      session.redirect = (type, jobId, traceId, payload) => this.deps.forward(entry, type, jobId, traceId, payload);
      core.sessions.release(session);
      binding.events.forgetLocal(sessionId);
      void session.connection?.close('session resumed on another node');
    }
    await store.flush();
    bus.send(to, { op: 'released', from: nodeId, session_id: sessionId });
  }

  /** `rehome`: a session this node handed over moved again. */
  onRehome(sessionId: string, to: string): void {
    const entry = this.released.get(sessionId);
    if (entry) entry.to = to;
  }

  /**
   * Tells the nodes running this session's jobs that it lives here now; a local job whose owner
   * object was handed over earlier emits through this node's new object again.
   */
  private rehome(sessionId: string, jobs: readonly JobRecord[], previous: string | undefined): void {
    const { bus, nodeId } = this.cx;
    const nodes = new Set<string>();
    for (const j of jobs) if (!TERMINAL.has(j.status) && j.node_id !== undefined) nodes.add(j.node_id);
    const local = this.released.get(sessionId);
    if (local) local.to = nodeId;
    nodes.delete(nodeId);
    if (previous !== undefined) nodes.delete(previous); // its release already points here
    for (const node of nodes) bus.send(node, { op: 'rehome', from: nodeId, session_id: sessionId, to: nodeId });
  }

  /** Output for a session being claimed here waits for the claim (true: held). */
  holdWhileClaiming(emit: Emit): boolean {
    const buffered = this.claiming.get(emit.session_id);
    if (!buffered) return false;
    buffered.push(emit);
    return true;
  }

  /** Where a session this node handed over lives now (undefined: not handed over by this node). */
  releasedTo(sessionId: string): string | undefined {
    return this.released.get(sessionId)?.to;
  }

  /** Forgets handed-over sessions none of whose jobs still runs here (two sweeps in a row). */
  forgetIdleReleased(): void {
    if (this.released.size === 0) return;
    const running = new Set<Session>();
    for (const job of this.cx.core.jobs.values()) if (!job.isTerminal) running.add(job.owner);
    for (const [id, entry] of this.released) {
      if (running.has(entry.session)) entry.idleSweeps = 0;
      else if (++entry.idleSweeps >= 2) this.released.delete(id);
    }
  }
}
