// Agent output that the event loop can afford (issue 13: an agent that emits in a loop without
// awaiting ran 200k emits in 5.8 s of one uninterrupted turn; 50 such agents held pings 387 ms
// at p99). JavaScript cannot preempt the loop, so each emit is made cheap once the turn's frame
// budget (`maxFramesPerTick`, fair-share.ts) is spent: it is checked (the strict outbound
// schema, so a bad body is refused synchronously with the same typed error as before),
// copied (emit-snapshot.ts), and queued on its session. The expensive part (seq, envelope,
// encoding, resume-buffer append, socket write, sinks) runs at the start of later turns, at most
// `maxFramesPerTick` frames per turn, round-robin across sessions, so pings, heartbeats and
// other sessions are served between chunks.
//
// Ordering: one FIFO per session and an emit goes out at once only when its session has nothing
// queued, so each session's seqs follow the order its emits were made (gap-free: seqs are
// allocated when written). A job's terminal goes through the same queue, behind its events, and
// the job's end is recorded (registry, store job record) only once it is written
// (`terminalWritten`), so a store never says a job ended whose terminal its session lacks.
//
// Bounded: a queued job.event costs its estimated JSON length plus ENTRY_OVERHEAD characters against
// `maxPendingEmitBytesPerSession` and `maxPendingEmitBytes`; an emit that would go over is
// refused synchronously (INTERNAL_ERROR, retryable, details.reason limit_exceeded) and nothing
// of it is kept. Terminals are never refused (one per job). What was accepted is written.
import { PROTOCOL_VERSION, type ArcpMessage } from '../../../generated/index.js';
import type { ARCPError } from '../../errors/index.js';
import type { Job, SequencedType } from '../job.js';
import type { Session } from '../session.js';
import type { FairShare } from './fair-share.js';
import { limitError } from './limit-errors.js';
import type { RuntimeLimits } from './limits-options.js';
import { snapshot } from './emit-snapshot.js';
import { PendingEmits, type PendingEmit } from './pending-emits.js';

/** Characters charged per queued emit on top of its payload's JSON length (the entry and its objects). */
export const ENTRY_OVERHEAD = 64;
/** A valid message id for the emit-time check; the real one is minted when the frame is written. */
const PLACEHOLDER_ID = 'msg_00000000000000000000000000';
const RESOLVED: Promise<void> = Promise.resolve();

export interface OutboxDeps {
  readonly fairShare: FairShare;
  readonly limits: Readonly<Pick<RuntimeLimits, 'maxPendingEmitBytesPerSession' | 'maxPendingEmitBytes'>>;
  /** The strict outbound check of the encoder (a no-op when outbound validation is off). */
  check(msg: ArcpMessage): void;
  /**
   * A job.event's kind and body pass the strict schema (or nothing is checked): then `check`
   * could not fail on it, and the agent's loop is spared the whole-frame check (issue 13: it was
   * most of the cost of a queued emit). False: `check` gives the verdict and the error.
   */
  eventBodyOk(payload: { kind: string; body: unknown }): boolean;
  /** A queued emit threw when written (it was checked, so this is a bug or a store failure). */
  failed(entry: PendingEmit, err: unknown): void;
  /** A job's own terminal, queued, has just been written (or has failed and been replaced). */
  terminalWritten(job: Job): void;
}

export class EmitOutbox {
  private readonly queues = new Map<Session, PendingEmits>();
  private totalChars = 0;

  constructor(private readonly deps: OutboxDeps) {
    deps.fairShare.onTurn(() => this.flushTurn());
  }

  /** A job's sequenced output: written now when its session has nothing queued and the turn has budget, else queued. */
  emit(job: Job, type: SequencedType, payload: unknown): void {
    if (!this.queues.has(job.owner) && this.deps.fairShare.tryTake()) {
      job.emit(type, payload);
      return;
    }
    this.defer(job, type, payload, undefined);
  }

  /** A job's terminal re-stamped into `session` (idempotent replay), behind what that session has queued. */
  replay(session: Session, job: Job, type: SequencedType, payload: unknown): void {
    if (!this.queues.has(session)) {
      session.emitSequenced(type, job.jobId, job.traceId, payload);
      return;
    }
    this.defer(job, type, payload, session);
  }

  /** What an agent's emit returns: the session's queue written out if it has one, else the turn's fair share. */
  pace(session: Session): Promise<void> {
    return this.queues.get(session)?.whenDrained() ?? this.deps.fairShare.wait();
  }

  /** Resolves once everything the session has queued is written (at once when nothing is). */
  drained(session: Session): Promise<void> {
    return this.queues.get(session)?.whenDrained() ?? RESOLVED;
  }

  /** Emits queued, all sessions (tests, metrics). */
  get pendingEmits(): number {
    let n = 0;
    for (const q of this.queues.values()) n += q.size;
    return n;
  }

  /** Characters queued, all sessions. */
  get pendingChars(): number {
    return this.totalChars;
  }

  /** Writes everything queued now, whatever it costs (shutdown: what was accepted goes out). */
  flushAll(): void {
    for (const [session, queue] of [...this.queues]) {
      for (let entry = queue.shift(); entry; entry = queue.shift()) this.write(entry);
      this.queues.delete(session);
      queue.settle();
    }
  }

  private defer(job: Job, type: SequencedType, payload: unknown, replayTo: Session | undefined): void {
    const target = replayTo ?? job.owner;
    if (type !== 'job.event' || !this.deps.eventBodyOk(payload as { kind: string; body: unknown })) {
      // The frame it will become, with a placeholder id and seq: the same check, the same error.
      const probe = (job.traceId === undefined
        ? { arcp: PROTOCOL_VERSION, id: PLACEHOLDER_ID, type, session_id: target.id, job_id: job.jobId, event_seq: target.latestSeq + 1, payload }
        : { arcp: PROTOCOL_VERSION, id: PLACEHOLDER_ID, type, session_id: target.id, job_id: job.jobId, trace_id: job.traceId, event_seq: target.latestSeq + 1, payload }) as ArcpMessage;
      this.deps.check(probe);
    }
    const copy = snapshot(payload);
    const cost = copy.chars + ENTRY_OVERHEAD;
    let queue = this.queues.get(target);
    if (type === 'job.event') {
      const refusal = this.overCap(cost, queue);
      if (refusal) throw refusal;
    }
    if (!queue) {
      queue = new PendingEmits();
      this.queues.set(target, queue);
    }
    queue.push(replayTo ? { job, type, payload: copy.value, cost, replayTo } : { job, type, payload: copy.value, cost });
    this.totalChars += cost;
    if (!replayTo) job.pendingOutput++; // the job's own stream only: a replay elsewhere is no tail of it
    this.deps.fairShare.requestTurn();
  }

  private overCap(cost: number, queue: PendingEmits | undefined): ARCPError | undefined {
    const { maxPendingEmitBytesPerSession: perSession, maxPendingEmitBytes: overall } = this.deps.limits;
    const advice = 'await the emits (or ctx.drain()) so the runtime can write them';
    if ((queue?.chars ?? 0) + cost > perSession) {
      return limitError('INTERNAL_ERROR', 'maxPendingEmitBytesPerSession', perSession, `this session has ${queue?.size ?? 0} emits not yet written (${perSession} characters at most): ${advice}`, {
        retryable: true,
      });
    }
    if (this.totalChars + cost > overall) {
      return limitError('INTERNAL_ERROR', 'maxPendingEmitBytes', overall, `the runtime holds ${overall} characters of emits not yet written at most: ${advice}`, { retryable: true });
    }
    return undefined;
  }

  // One turn's work: up to the turn's remaining budget, an equal share per queued session, in
  // rotation (a session that still has output goes to the back), then the rest of the budget.
  private flushTurn(): void {
    const fair = this.deps.fairShare;
    while (fair.remaining > 0 && this.queues.size > 0) {
      const share = Math.max(1, Math.floor(fair.remaining / this.queues.size));
      for (const [session, queue] of [...this.queues]) {
        for (let n = share; n > 0 && fair.remaining > 0; n--) {
          const entry = queue.shift();
          if (!entry) break;
          fair.take(1); // before the write: whatever it emits in turn sees the budget as it is
          this.write(entry);
        }
        this.queues.delete(session);
        if (queue.size > 0) this.queues.set(session, queue);
        else queue.settle();
        if (fair.remaining === 0) break;
      }
    }
    if (this.queues.size > 0) fair.requestTurn();
  }

  private write(entry: PendingEmit): void {
    this.totalChars -= entry.cost;
    if (!entry.replayTo) entry.job.pendingOutput--;
    try {
      if (entry.replayTo) entry.replayTo.emitSequenced(entry.type, entry.job.jobId, entry.job.traceId, entry.payload);
      else entry.job.emit(entry.type, entry.payload);
    } catch (err) {
      this.deps.failed(entry, err);
    }
    if (!entry.replayTo && entry.type !== 'job.event') this.deps.terminalWritten(entry.job);
  }
}
