// Runs a job after job.accepted: status running, the agent call, max_runtime_sec, cancellation
// with a grace period, and exactly one terminal envelope (§7.3, §7.4; catalog §8.1, §10 #18).
import type { JobErrorPayload, JobResultPayload } from '../../generated/index.js';
import { arcpError, type ARCPError } from '../errors/index.js';
import { assertStrict, strictEventBodyOk } from '../protocol/index.js';
import { toARCPError } from './arcp-errors.js';
import type { RuntimeCore } from './core.js';
import { JobContextImpl } from './job-context.js';
import { asAgentError } from './outbound-refusal.js';
import type { TerminalState } from './job-state.js';
import type { Job, SequencedType } from './job.js';
import { EmitOutbox } from './limits/emit-outbox.js';
import type { PendingEmit } from './limits/pending-emits.js';
import { StartPacer } from './limits/start-pacer.js';
import type { Session } from './session.js';
import { isoTime, schedule, type TimerHandle } from './timers.js';

interface JobTimers {
  runtime?: TimerHandle;
  cancelGrace?: TimerHandle;
}

export class JobRunner {
  private readonly timers = new Map<string, JobTimers>();
  /** Jobs' sequenced output, at most `maxFramesPerTick` frames per turn (limits/emit-outbox.ts). */
  readonly outbox: EmitOutbox;
  /** Agents start one per turn (limits/start-pacer.ts). */
  private readonly starts = new StartPacer();

  constructor(private readonly core: RuntimeCore) {
    this.outbox = new EmitOutbox({
      fairShare: core.guard.fairShare,
      limits: core.options.limits,
      check: (msg) => {
        if (core.options.validateOutbound) assertStrict(msg);
      },
      eventBodyOk: (payload) => !core.options.validateOutbound || strictEventBodyOk(payload),
      failed: (entry, err) => this.queuedEmitFailed(entry, err),
      terminalWritten: (job) => this.recordEnd(job),
    });
  }

  /** pending -> running (`status running`), then the agent runs asynchronously. */
  start(job: Job): void {
    job.transition('running');
    job.observation = this.core.options.instrumentation.jobStarted({ job, ...(job.traceparent !== undefined ? { traceparent: job.traceparent } : {}) });
    job.owner.trackJob(job.jobId, job.traceId);
    this.emitEvent(job, 'status', { phase: 'running' });
    const t: JobTimers = {};
    if (job.maxRuntimeSec !== undefined) {
      t.runtime = schedule(this.core.timers, () => {
        this.safely(job, () => this.finishError(job, arcpError('TIMEOUT', `job exceeded max_runtime_sec (${job.maxRuntimeSec} s)`, { retryable: true })));
      }, job.maxRuntimeSec * 1000);
    }
    this.timers.set(job.jobId, t);
    const ctx = new JobContextImpl(job, {
      emitEvent: (kind, body) => this.emitEvent(job, kind, body),
      pace: () => this.outbox.pace(job.owner),
      fairTurn: async () => {
        await this.outbox.drained(job.owner);
        await this.core.guard.fairShare.wait();
      },
      fail: (error) => this.finishError(job, error),
      budgetChanged: () => this.core.jobs.budgetChanged(job),
      maxChunkBytes: this.core.options.maxResultChunkBytes,
      maxResultBytes: this.core.options.maxResultBytes,
    });
    // Start on a fresh turn so job.accepted and status running are out before agent output, and
    // one agent per turn so the poll phase runs between agents' first synchronous stretches.
    // It runs even if the job ended meanwhile (timeout, cancel): it sees ctx.signal aborted.
    this.starts.enqueue(() => void this.run(job, ctx).catch((err) => this.logFailure(job, err)));
  }

  /** §7.4 from the owning session: the caller already sent job.cancelled. */
  cancel(job: Job, reason: string): void {
    if (job.isTerminal || job.cancelRequested) return;
    job.cancelRequested = true;
    job.abort.abort(arcpError('CANCELLED', reason));
    const t = this.timers.get(job.jobId) ?? {};
    t.cancelGrace = schedule(this.core.timers, () => this.safely(job, () => this.finishCancelled(job, reason)), this.core.options.cancelGraceMs);
    this.timers.set(job.jobId, t);
    job.cancelReason = reason;
  }

  /**
   * Job-scoped event; ignored once the job is terminal (catalog §8.1). Written now or queued
   * (limits/emit-outbox.ts); either way a body the strict schema refuses throws here, and so
   * does an emit past the pending-output caps.
   */
  emitEvent(job: Job, kind: string, body: unknown): void {
    if (job.isTerminal) return;
    try {
      this.outbox.emit(job, 'job.event', { kind, ts: isoTime(this.core.timers.now()), body });
    } catch (err) {
      throw asAgentError(err, kind);
    }
  }

  /** A finished job's terminal again, re-stamped into `session` (idempotent replay), behind that session's queued output. */
  replayTerminal(session: Session, job: Job): void {
    if (job.terminal) this.outbox.replay(session, job, job.terminal.type, job.terminal.payload);
  }

  /** Writes all queued output now (shutdown). */
  flushPending(): void {
    this.outbox.flushAll();
  }

  finishError(job: Job, error: ARCPError): void {
    if (job.isTerminal) return;
    const state: TerminalState = error.code === 'CANCELLED' ? 'cancelled' : error.code === 'TIMEOUT' ? 'timed_out' : 'error';
    const payload = { final_status: state, ...error.toPayload(), completed_at: isoTime(this.core.timers.now()) } as JobErrorPayload;
    // The agent learns why it must stop (timeout, lease expiry, caps) through its signal.
    if (!job.abort.signal.aborted) job.abort.abort(error);
    this.terminate(job, 'job.error', payload, state);
  }

  private finishCancelled(job: Job, reason: string): void {
    this.finishError(job, arcpError('CANCELLED', reason || 'cancelled by client'));
  }

  private async run(job: Job, ctx: JobContextImpl): Promise<void> {
    let value: unknown;
    try {
      const observation = job.observation;
      value = await (observation ? observation.run(() => job.agent.handler(job.input, ctx)) : job.agent.handler(job.input, ctx));
    } catch (err) {
      if (job.isTerminal) return;
      if (job.cancelRequested) return this.finishCancelled(job, job.cancelReason ?? 'cancelled by client');
      return this.finishError(job, toARCPError(err, 'agent failed'));
    }
    if (job.isTerminal) return;
    // §7.4 / catalog §10 #18: after cancel the terminal MUST be CANCELLED, even on a normal return.
    if (job.cancelRequested) {
      return this.finishCancelled(job, job.cancelReason ?? 'cancelled by client');
    }
    this.finishSuccess(job, ctx, value);
  }

  private finishSuccess(job: Job, ctx: JobContextImpl, value: unknown): void {
    const completed_at = isoTime(this.core.timers.now());
    const stream = ctx.openStream;
    if (stream) {
      // §8.4: once chunks flowed the terminal carries result_id; an inline value is not mixed in.
      stream.end();
      if (job.isTerminal) return;
      const payload: JobResultPayload = { final_status: 'success', result_id: stream.resultId, result_size: stream.size, completed_at };
      if (stream.summary !== undefined) payload.summary = stream.summary;
      return this.terminate(job, 'job.result', payload, 'success');
    }
    const payload: JobResultPayload = { final_status: 'success', completed_at };
    if (value !== undefined) {
      try {
        JSON.stringify(value);
      } catch {
        return this.finishError(job, arcpError('INTERNAL_ERROR', 'agent returned a result that is not JSON-serialisable', { retryable: true }));
      }
      payload.result = value as JobResultPayload['result']; // any JSON value (§8.4 inline result)
    }
    this.terminate(job, 'job.result', payload, 'success');
  }

  private terminate(job: Job, type: 'job.result' | 'job.error', payload: JobResultPayload | JobErrorPayload, state: TerminalState): void {
    job.transition(state);
    job.terminal = { type, payload };
    this.clearTimers(job);
    try {
      this.outbox.emit(job, type, payload); // behind the job's queued events, if any
    } catch (err) {
      // Only an outbound-validation failure lands here (a bug, or an agent result the strict
      // schema refuses): the job still needs a terminal on the wire.
      this.core.options.logger('error', 'terminal envelope rejected by the encoder', { job_id: job.jobId, error: String(err) });
      const fallback = encodingFallback();
      job.terminal = { type: 'job.error', payload: fallback };
      this.outbox.emit(job, 'job.error', fallback);
    }
    // With output still queued, the end is recorded once the terminal is written (the outbox
    // calls recordEnd): a job record that said "ended" while its terminal was still queued
    // was, after a kill -9, restored as finished, and its client never got a terminal.
    if (job.pendingOutput === 0) this.recordEnd(job);
    if (!job.abort.signal.aborted) job.abort.abort(arcpError('CANCELLED', `job ended (${state})`));
    this.observeEnd(job);
    try {
      this.core.hooks.onJobTerminal?.(job, state);
    } catch (err) {
      this.core.options.logger('error', 'onJobTerminal hook failed', { job_id: job.jobId, error: String(err) });
    }
  }

  // The job's terminal is in its session's stream: only now may the registry (and with it the
  // store's job record, the idempotency key's compact view) say it ended. The session stops
  // tracking it here too, so notices sent while the tail was queued still attached to it.
  private recordEnd(job: Job): void {
    job.owner.untrackJob(job.jobId);
    this.core.jobs.markTerminal(job, this.core.timers.monotonic());
  }

  private observeEnd(job: Job): void {
    const p = job.terminal!.payload as { final_status: string; code?: string; message?: string; retryable?: boolean };
    const budget = job.authority.budget();
    job.observation?.end({
      finalStatus: p.final_status,
      ...(p.code !== undefined ? { error: { code: p.code, message: p.message ?? '', retryable: p.retryable === true } } : {}),
      ...(budget !== undefined ? { budgetRemaining: budget } : {}),
    });
  }

  // A queued emit was checked when it was made, so this is a bug or a store failure: logged, and
  // the job still ends with a terminal on the wire.
  private queuedEmitFailed(entry: PendingEmit, err: unknown): void {
    const job = entry.job;
    this.core.options.logger('error', 'a queued emit could not be written', { job_id: job.jobId, type: entry.type, error: String(err) });
    if (entry.replayTo) return;
    if (entry.type === 'job.event') {
      if (!job.isTerminal) this.finishError(job, toARCPError(asAgentError(err, kindOf(entry.payload)), 'an event of this job could not be written'));
      return;
    }
    const fallback = encodingFallback();
    job.terminal = { type: 'job.error', payload: fallback };
    try {
      job.emit('job.error' satisfies SequencedType, fallback);
    } catch (again) {
      this.logFailure(job, again);
    }
  }

  // Timer and promise callbacks have no caller to report to: a bug is logged, never a crash.
  private safely(job: Job, fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.logFailure(job, err);
    }
  }

  private logFailure(job: Job, err: unknown): void {
    this.core.options.logger('error', 'job runner failure', { job_id: job.jobId, error: String(err) });
  }

  private clearTimers(job: Job): void {
    const t = this.timers.get(job.jobId);
    if (!t) return;
    t.runtime?.cancel();
    t.cancelGrace?.cancel();
    this.timers.delete(job.jobId);
  }
}

function encodingFallback(): Record<string, unknown> {
  return { final_status: 'error', ...arcpError('INTERNAL_ERROR', 'the job result could not be encoded', { retryable: true }).toPayload() };
}

function kindOf(payload: unknown): string {
  const kind = (payload as { kind?: unknown } | undefined)?.kind;
  return typeof kind === 'string' ? kind : 'event';
}
