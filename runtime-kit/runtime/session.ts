// A session: bound to its session_id, not to a transport (catalog §9 #27). A resumed transport
// re-binds to the same object, so jobs (which belong to the session) keep their cancel
// authority and events emitted while no transport is attached are buffered for replay.
//
// Sequenced output (§8.3): allocate seq -> build -> encode -> store -> send, all synchronous, so
// seqs are strictly monotonic, gap-free and in wire order across every job of the session.
import { PROTOCOL_VERSION, type ArcpMessage, type Feature, type SessionError, type SessionMachineEvent } from '../../generated/index.js';
import { newMessageId, sleep } from '../protocol/index.js';
import { SESSION_MACHINE, StateMachine, type SessionState } from '../machines/index.js';
import { arcpError } from '../errors/index.js';
import type { Connection } from './connection.js';
import { envelope, errorPayload } from './envelope.js';
import { BackPressureGauge } from './back-pressure.js';
import { eventAllowed, messageAllowed } from './feature-gate.js';
import { InboundIdWindow } from './inbound-ids.js';
import { EventStoreFullError, type EventStore } from './event-store.js';
import type { SessionEndReason, SessionObservation } from './instrumentation/index.js';
import type { ResolvedOptions } from './options.js';
import { isoTime, type Clock } from './timers.js';
import { CLOSE_CODES } from './limits/close-codes.js';

/** Told when what a durable store keeps of a session changes (persistence/store-binding.ts). */
export interface SessionObserver {
  sessionChanged(session: Session): void;
}

/** What a session needs from its runtime. */
export interface SessionEnv {
  store: EventStore;
  timers: Clock;
  options: ResolvedOptions;
  encode(msg: ArcpMessage): string;
  observer?: SessionObserver;
}

type SequencedType = 'job.event' | 'job.result' | 'job.error';

/** How often waitForDrain looks at the transport's backlog. */
const DRAIN_POLL_MS = 5;

export class Session {
  /** Negotiated feature intersection (§6.2); replaced on a hello-form resume. */
  features: ReadonlySet<Feature>;
  resumeToken: string;
  connection: Connection | undefined;
  /** Last activity (ms): the resume window runs from here while detached (catalog §10 #9). */
  lastActivityMs: number;
  /**
   * Lifecycle per the generated SESSION_MACHINE (§6): accepted <-> detached (drop / heartbeat
   * loss / close / resume), closing, terminated (buffer overflow, window elapsed).
   */
  readonly machine: StateMachine<SessionState, SessionMachineEvent>;
  /** Recently processed inbound envelope ids (catalog §10 #3); per session, so it spans resumes. */
  readonly inboundIds = new InboundIdWindow();
  private lastSeq = 0;
  /** The store's ackedThrough, mirrored at each ack so emitting never has to ask the store. */
  private ackedThrough = 0;
  private readonly gauge: BackPressureGauge;
  /** One eviction notice per episode; re-armed once acks pass everything evicted so far. */
  private evictionNoticeArmed = true;
  /** Unacknowledged events evicted since the last notice (refresh, see onEvicted). */
  private evictedSinceNotice = 0;
  /**
   * Set when another node took this session over (cluster/session-homes.ts): sequenced output of
   * jobs still running here goes to the new home, which allocates its seqs.
   */
  redirect: ((type: SequencedType, jobId: string, traceId: string | undefined, payload: unknown) => number | undefined) | undefined;
  /** Non-terminal jobs submitted here, newest last (back_pressure attaches to the newest). */
  private readonly liveJobs = new Map<string, string | undefined>();

  constructor(
    readonly id: string,
    readonly principal: string,
    features: ReadonlySet<Feature>,
    resumeToken: string,
    private readonly env: SessionEnv,
    /** The accepting connection's machine, still `opening` (a fresh one if not given). */
    machine: StateMachine<SessionState, SessionMachineEvent> = new StateMachine(SESSION_MACHINE),
  ) {
    this.machine = machine;
    this.features = features;
    this.resumeToken = resumeToken;
    this.lastActivityMs = env.timers.monotonic();
    this.gauge = new BackPressureGauge(env.options.backPressureThreshold);
    // A session restored from a durable store continues its seq space (zero for a new one).
    const restored = env.store.stats(id);
    this.lastSeq = restored.lastSeq;
    this.ackedThrough = restored.ackedThrough;
    this.machine.fire('hello_accepted'); // created only once the welcome is about to go out
  }

  /** The buffer could not hold an event: the session is dead and cannot be resumed. */
  get overflowed(): boolean {
    return this.machine.is('terminated') && this.terminatedBy === 'fatal_error';
  }

  /** Terminated (overflow or resume window over): output is dropped. */
  get expired(): boolean {
    return this.machine.is('terminated');
  }

  private terminatedBy: 'fatal_error' | 'window_elapsed' | undefined;
  /** The current attachment as instrumentation sees it (one span / log pair per transport). */
  private observed: SessionObservation | undefined;

  /** A transport (fresh or resumed) now carries this session. */
  attach(connection: Connection): void {
    const resumed = this.machine.is('detached') || this.connection !== undefined;
    if (this.machine.is('detached')) this.machine.fire('resumed');
    this.endObservation('replaced');
    this.connection = connection;
    this.touch();
    this.observed = this.env.options.instrumentation.sessionAttached({ sessionId: this.id, principal: this.principal, resumed, features: [...this.features] });
    this.persist();
  }

  private endObservation(reason: SessionEndReason): void {
    this.observed?.end(reason);
    this.observed = undefined;
  }

  /** The transport went away (drop, heartbeat loss, after close/bye); jobs keep running. */
  detach(event: 'transport_closed' | 'heartbeat_lost' = 'transport_closed'): void {
    this.endObservation(event);
    this.connection = undefined;
    this.touch();
    if (this.machine.is('accepted')) this.machine.fire(event);
    else if (this.machine.is('closing')) this.machine.fire('transport_closed');
    this.persist();
  }

  /** session.close (closed reply follows) or legacy session.bye. */
  beginClose(kind: 'close' | 'bye'): void {
    if (this.machine.is('accepted')) this.machine.fire(kind === 'close' ? 'close_requested' : 'bye_received');
  }

  /** session.closed was sent (§6.7): the session is now detached and resumable. */
  completeClose(): void {
    this.endObservation('closed');
    this.connection = undefined;
    this.touch();
    if (this.machine.is('closing')) this.machine.fire('close_completed');
    this.persist();
  }

  /** Tells a durable store what changed (token, features, activity); a no-op without one. */
  persist(): void {
    this.env.observer?.sessionChanged(this);
  }

  /**
   * Runs `send` once every event stored so far is durable (at once with the memory store), after
   * sends queued before it: nothing reaches a peer, who could acknowledge it, before it is.
   */
  whenDurable(send: () => void): void {
    if (!this.env.store.afterDurable?.(send)) send();
  }

  /** Resume window over: forgotten for good. */
  terminate(): void {
    if (this.machine.is('detached')) {
      this.terminatedBy = 'window_elapsed';
      this.machine.fire('window_elapsed');
    }
  }

  /** Resumable now: detached, or still attached to a (possibly half-open) transport. */
  get isResumable(): boolean {
    return this.machine.is('detached', 'accepted', 'closing');
  }

  has(feature: Feature): boolean {
    return this.features.has(feature);
  }

  get latestSeq(): number {
    return this.lastSeq;
  }

  get isAttached(): boolean {
    return this.connection !== undefined;
  }

  touch(): void {
    this.lastActivityMs = this.env.timers.monotonic();
  }

  /** Detached for longer than the resume window. */
  isWindowOver(nowMs: number): boolean {
    return this.machine.is('detached') && nowMs - this.lastActivityMs > this.env.options.resumeWindowMs;
  }

  trackJob(jobId: string, traceId: string | undefined): void {
    this.liveJobs.set(jobId, traceId);
  }

  untrackJob(jobId: string): void {
    this.liveJobs.delete(jobId);
  }

  liveJobIds(): string[] {
    return [...this.liveJobs.keys()];
  }

  /** Unsequenced control message (welcome, errors, accepted, cancelled, pong, closed). */
  sendControl(msg: ArcpMessage): void {
    if (this.expired || !messageAllowed(this.features, msg.type)) return;
    const connection = this.connection;
    if (connection) this.whenDurable(() => connection.send(msg));
  }

  /** Per-request `session.error` with correlation (catalog §9 #4). */
  sendError(err: Parameters<typeof errorPayload>[0], corr: Parameters<typeof errorPayload>[1] = {}): void {
    this.sendControl(envelope<SessionError>('session.error', { session_id: this.id }, errorPayload(err, corr)));
  }

  /**
   * Emits a sequenced envelope. Returns the seq, or undefined when the session can no longer
   * carry output (overflowed / expired). Throws (with no seq consumed) if `build` produces an
   * envelope the encoder rejects, so an agent passing a bad body learns it synchronously.
   */
  emitSequenced(type: SequencedType, jobId: string, traceId: string | undefined, payload: unknown): number | undefined {
    if (this.redirect) return this.redirect(type, jobId, traceId, payload);
    if (this.machine.state === 'terminated') return undefined; // overflowed or expired (no rest-args array per event)
    if (type === 'job.event' && !eventAllowed(this.features, payload)) return undefined;
    const previous = this.lastSeq;
    const seq = this.allocateSeq();
    // Hot path (one per streamed event): a fixed-shape literal, same keys and order as envelope().
    const msg = (traceId === undefined
      ? { arcp: PROTOCOL_VERSION, id: newMessageId(), type, session_id: this.id, job_id: jobId, event_seq: seq, payload }
      : { arcp: PROTOCOL_VERSION, id: newMessageId(), type, session_id: this.id, job_id: jobId, trace_id: traceId, event_seq: seq, payload }) as ArcpMessage;
    let frame: string;
    try {
      frame = this.env.encode(msg);
    } catch (err) {
      this.lastSeq = previous;
      throw err;
    }
    let evicted: number | void = 0;
    try {
      evicted = this.env.store.append(this.id, { seq, type, jobId, frame });
    } catch (err) {
      this.lastSeq = previous;
      if (err instanceof EventStoreFullError) {
        this.onStoreFull(err);
        return undefined;
      }
      throw err;
    }
    const connection = this.connection;
    if (connection) this.whenDurable(() => connection.sendFrame(frame));
    // A terminal ends the job's stream (catalog §8.1): no notice below may attach to it.
    if (type !== 'job.event') this.liveJobs.delete(jobId);
    if (this.has('ack') && this.gauge.onEmit(this.lastSeq, this.ackedThrough)) {
      this.emitBackPressure();
    }
    if (evicted) this.onEvicted(evicted);
    return seq;
  }

  /**
   * Cooperative back-pressure for agents (`ctx.drain()`): resolves once the attached transport's
   * unwritten backlog is at most `lowWaterBytes`. Resolves at once when no transport is attached
   * (output goes to the resume buffer), when the transport does not report `bufferedAmount`
   * (memory, stdio), when the session has ended, or when `signal` aborts. Polls on the session
   * clock every DRAIN_POLL_MS: the Transport interface has no drain event.
   */
  async waitForDrain(lowWaterBytes: number, signal?: AbortSignal): Promise<void> {
    for (;;) {
      const backlog = this.connection?.transport.bufferedAmount;
      if (backlog === undefined || backlog <= lowWaterBytes || this.expired || signal?.aborted) return;
      try {
        await sleep(this.env.timers, DRAIN_POLL_MS, signal);
      } catch {
        return; // aborted: the agent reads ctx.signal itself
      }
    }
  }

  /** `session.ack` (§6.5): record, free, maybe re-arm back-pressure. Acks above latest are clamped. */
  ack(lastProcessedSeq: number): void {
    this.env.store.ack(this.id, Math.min(lastProcessedSeq, this.lastSeq));
    const stats = this.env.store.stats(this.id);
    this.ackedThrough = stats.ackedThrough;
    this.gauge.onAck(this.lastSeq, this.ackedThrough);
    if (!this.evictionNoticeArmed && this.ackedThrough >= stats.freedThrough) {
      this.evictionNoticeArmed = true;
      this.evictedSinceNotice = 0;
    }
  }

  /** Resume range check (§6.3): every event after `lastEventSeq` must still be held. */
  covers(lastEventSeq: number): boolean {
    if (lastEventSeq > this.lastSeq) return false;
    return lastEventSeq >= this.env.store.stats(this.id).freedThrough;
  }

  /** Stored frames after `lastEventSeq`, for verbatim replay. */
  framesAfter(lastEventSeq: number): string[] {
    return this.env.store.readAfter(this.id, lastEventSeq).map((e) => e.frame);
  }

  private allocateSeq(): number {
    return ++this.lastSeq;
  }

  /** §6.5 `status back_pressure` on the newest live job, for signals outside the ack gauge (transport backlog). */
  signalBackPressure(message: string, details: Record<string, unknown>): void {
    if (this.expired) return;
    this.emitStatusOnNewestJob({ phase: 'back_pressure', message, details });
  }

  private emitBackPressure(): void {
    const lag = this.lastSeq - this.ackedThrough;
    this.emitStatusOnNewestJob({ phase: 'back_pressure', message: `event_seq lag ${lag} exceeds ${this.env.options.backPressureThreshold}` });
  }

  /**
   * §6.5: limits forced the store to free unacknowledged events (overflow `evict-oldest`). The
   * session lives on; the client learns that resuming from before `freedThrough` is no longer
   * possible (it would get RESUME_WINDOW_EXPIRED, §6.3). Once per episode, so a flood that keeps
   * evicting does not also flood the stream with notices.
   */
  private onEvicted(count: number): void {
    this.evictedSinceNotice += count;
    const first = this.evictionNoticeArmed;
    if (!first) {
      // Issue 13: a single notice went stale as evictions went on. Refresh it each time the
      // buffer has turned over (evicted >= what it holds, and >= backPressureThreshold), so the
      // client's bound is never off by more than one buffer and notices stay rare in a flood.
      if (this.evictedSinceNotice < this.env.options.backPressureThreshold) return;
      if (this.evictedSinceNotice < this.env.store.stats(this.id).events) return;
    }
    this.evictionNoticeArmed = false;
    const evicted = this.evictedSinceNotice;
    this.evictedSinceNotice = 0;
    const stats = this.env.store.stats(this.id);
    const resumableFrom = stats.freedThrough;
    if (first) {
      this.env.options.logger('warn', 'session event buffer full; evicted unacknowledged events', { session_id: this.id, evicted, resumable_from_seq: resumableFrom });
    }
    this.emitStatusOnNewestJob({
      phase: 'back_pressure',
      message: `resume buffer full: evicted ${evicted} unacknowledged event(s); resume now needs last_event_seq >= ${resumableFrom}`,
      // retained_events: the buffer keeps about the newest this many, so a client can bound resumable_from_seq later too.
      details: { reason: 'resume_buffer_evicted', evicted, resumable_from_seq: resumableFrom, retained_events: stats.events },
    });
  }

  private emitStatusOnNewestJob(body: { phase: string; message: string; details?: Record<string, unknown> }): void {
    let newest: [string, string | undefined] | undefined;
    for (const entry of this.liveJobs) newest = entry;
    if (!newest) return; // catalog §10 #13: attach to a live job, or to none
    this.emitSequenced('job.event', newest[0], newest[1], { kind: 'status', ts: isoTime(this.env.timers.now()), body });
  }

  // catalog §9 #23: INTERNAL_ERROR is always retryable on the wire; "do not retry" goes in details.
  private onStoreFull(err: EventStoreFullError): void {
    const connection = this.connection;
    this.env.options.logger('warn', 'session event buffer full; closing session', { session_id: this.id, limit: err.limit });
    const error = arcpError('INTERNAL_ERROR', `session event buffer is full (${err.cap} ${err.limit}); acknowledge events with session.ack`, {
      retryable: true,
      details: { reason: 'event_store_full', limit: err.limit, cap: err.cap, do_not_retry: true },
    });
    this.sendError(error);
    this.endObservation('event_buffer_full');
    this.connection = undefined;
    // Also while detached: a resume would otherwise "succeed" and silently miss the dropped
    // events, the job's terminal included (ts-sdk #141: refuse rather than replay partially).
    if (this.machine.is('accepted', 'detached')) {
      this.terminatedBy = 'fatal_error';
      this.machine.fire('fatal_error');
    }
    void connection?.close('event buffer full', CLOSE_CODES.OVER_BUDGET);
  }
}
