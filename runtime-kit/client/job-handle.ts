/**
 * The caller's view of one job (submitted here, subscribed to, or adopted after a resume):
 * its accepted descriptor, an ordered and buffered `events()` stream that ends after the
 * terminal, a `done` promise with the typed result or the typed ARCPError, and `cancel()`.
 */
import { PermissionDeniedError } from '../errors/index.js';
import { KitError } from '../errors/kit-error.js';
import { handleLimitsFrom, type HandleLimits } from './buffer-limits.js';
import { ChunkAssembler } from './chunk-assembler.js';
import { forgetRotationValue, rotationOf } from './credential-values.js';
import { EventQueue } from './event-queue.js';
import { budgetFrom, credentialsFrom, isObject, leaseFrom, str } from './normalize.js';
import type { Credential, FinalStatus, JobEvent, JobResult, Lease, LeaseConstraints } from './types.js';

/** What a handle needs from its client. */
export interface HandleOwner {
  cancelJob(jobId: string, reason: string): Promise<void>;
  /** Told synchronously whenever the handle learns credential values (issue or rotation). */
  credentialsChanged?(jobId: string, credentials: Credential[]): void;
}

export type HandleRole = 'owner' | 'subscriber' | 'adopted';

export class JobHandle {
  readonly jobId: string;
  /** 'owner' may cancel; 'subscriber' is read-only (§7.6); 'adopted' came from a resume replay. */
  role: HandleRole;
  lease: Lease = {};
  leaseConstraints: LeaseConstraints | undefined;
  /** Budget counters at acceptance (or current ones for a subscription), currency -> number. */
  budget: Record<string, number> | undefined;
  /** Resolved `name@version` (or the bare name of an unversioned agent). */
  agentRef: string | undefined;
  /**
   * Credentials issued for this job (§9.8), values current after rotations. Undefined once the
   * job ended: the runtime revokes them at the terminal, so the handle stops holding the secrets.
   */
  credentials: Credential[] | undefined;
  traceId: string | undefined;
  acceptedAt: string | undefined;
  parentJobId: string | undefined;
  /** Final status once the terminal arrived; undefined while the job is live. */
  finalStatus: FinalStatus | undefined;
  readonly done: Promise<JobResult>;

  private readonly queue: EventQueue<JobEvent>;
  private readonly chunks: ChunkAssembler;
  private settle!: { resolve: (r: JobResult) => void; reject: (e: unknown) => void };
  private settled = false;
  /** Settled here while the job still runs at the runtime (result too large): cancel() still reaches it. */
  private runsOn = false;

  constructor(jobId: string, role: HandleRole, private readonly owner: HandleOwner, limits: HandleLimits = handleLimitsFrom({})) {
    this.jobId = jobId;
    this.role = role;
    this.queue = new EventQueue<JobEvent>({
      maxItems: limits.maxBufferedEvents,
      maxBytes: limits.maxBufferedEventBytes,
      overflow: (dropped, first, last) =>
        new KitError('ARCP_KIT_EVENTS_DROPPED', `${dropped} unread events of job ${jobId} were dropped: more than ${limits.maxBufferedEvents} events or ${limits.maxBufferedEventBytes} bytes were buffered unread`, {
          details: { jobId, dropped, first_seq: first.seq, last_seq: last.seq, maxBufferedEventsPerJob: limits.maxBufferedEvents, maxBufferedEventBytesPerJob: limits.maxBufferedEventBytes },
          retryable: false,
        }),
    });
    this.chunks = new ChunkAssembler(limits.maxResultBytes);
    this.done = new Promise<JobResult>((resolve, reject) => {
      this.settle = { resolve, reject };
    });
    // A caller that only iterates events() must not trip Node's unhandled-rejection crash.
    this.done.catch(() => undefined);
  }

  /** True once the job reached a terminal state or the handle was failed. */
  get isSettled(): boolean {
    return this.settled;
  }

  /** Unread events buffered on this handle (at most `maxBufferedEventsPerJob`). */
  get bufferedEvents(): number {
    return this.queue.size;
  }

  /**
   * Ordered events of this job; ends after the terminal (or throws if the session broke). After
   * unread events were dropped (see `maxBufferedEventsPerJob`) the next read throws
   * ARCP_KIT_EVENTS_DROPPED once; iterating `events()` again goes on with the events kept.
   */
  events(): AsyncIterable<JobEvent> {
    return this.queue;
  }

  /**
   * Asks the runtime to cancel (§7.4). Resolves on `job.cancelled` or on the terminal; rejects
   * with the typed error when the runtime refuses (PERMISSION_DENIED, JOB_NOT_FOUND).
   */
  async cancel(reason = 'cancelled by client'): Promise<void> {
    if (this.settled && !this.runsOn) return;
    if (this.role === 'subscriber') {
      throw new PermissionDeniedError('a subscription carries no cancel authority (§7.6)');
    }
    await this.owner.cancelJob(this.jobId, reason);
  }

  /** Fills the descriptor from `job.accepted` or `job.subscribed` (lenient readers). */
  applyDescriptor(p: Record<string, unknown>): void {
    if (p.lease !== undefined) this.lease = leaseFrom(p.lease);
    if (isObject(p.lease_constraints)) this.leaseConstraints = p.lease_constraints as LeaseConstraints;
    const budget = budgetFrom(p.budget);
    if (budget) this.budget = budget;
    const agent = str(p.agent);
    if (agent) this.agentRef = agent;
    const creds = credentialsFrom(p.credentials);
    if (creds && !this.settled) {
      this.credentials = creds;
      if (creds.length > 0) this.owner.credentialsChanged?.(this.jobId, creds);
    }
    if (str(p.trace_id)) this.traceId = p.trace_id as string;
    if (str(p.accepted_at)) this.acceptedAt = p.accepted_at as string;
    if (str(p.parent_job_id)) this.parentJobId = p.parent_job_id as string;
  }

  /** One `job.event`, `bytes` its frame's length; result chunks are also collected for assembly. */
  pushEvent(ev: JobEvent, bytes = 0): void {
    if (this.settled) return;
    if (ev.kind === 'result_chunk' && this.chunks.add(ev.body) === 'too_large') return this.failResultTooLarge(ev.body.result_id);
    const rotated = rotationOf(ev.kind, ev.body);
    if (rotated && this.credentials) {
      this.credentials = this.credentials.map((c) => (c.id === rotated.id ? { ...c, value: rotated.value } : c));
      this.owner.credentialsChanged?.(this.jobId, this.credentials);
    }
    this.queue.push(ev, bytes);
  }

  /**
   * The job itself goes on at the runtime, so cancel() must still reach it; this handle stops
   * collecting it (keeping on is the unbounded growth the bound exists to prevent). Not cancelled
   * for the caller: an agent with side effects should not be stopped by a local memory bound.
   */
  private failResultTooLarge(resultId: unknown): void {
    const max = this.chunks.maxBytes;
    this.runsOn = true;
    this.fail(
      new KitError('ARCP_KIT_RESULT_TOO_LARGE', `job ${this.jobId}: streamed result data passed maxResultBytes (${max}); its chunks were dropped`, {
        details: { jobId: this.jobId, resultId, maxResultBytes: max },
        retryable: false,
      }),
    );
  }

  /** `job.result` with final_status success (§8.4 assembly when `result_id` is present). */
  complete(payload: Record<string, unknown>): void {
    if (this.settled) return this.ended();
    const resultId = str(payload.result_id);
    const out: JobResult = { finalStatus: 'success', result: payload.result ?? payload.output };
    if (resultId) {
      out.resultId = resultId;
      if (this.chunks.has(resultId)) {
        const assembled = this.chunks.take(resultId);
        if (!assembled.ok) {
          return this.fail(new KitError('ARCP_KIT_RESULT_INCOMPLETE', assembled.reason, { details: { resultId } }), 'error');
        }
        out.result = assembled.value;
      }
    }
    if (typeof payload.result_size === 'number') out.resultSize = payload.result_size;
    if (typeof payload.summary === 'string') out.summary = payload.summary;
    this.finalStatus = 'success';
    this.settled = true;
    this.release();
    this.queue.end();
    this.settle.resolve(out);
  }

  /** A terminal failure (`job.error`, or a non-success `job.result` from a Py peer). */
  terminate(err: unknown, finalStatus: FinalStatus): void {
    if (this.settled) return this.ended();
    this.finalStatus = finalStatus;
    this.settled = true;
    this.release();
    this.queue.end();
    this.settle.reject(err);
  }

  /**
   * The session broke under this handle (heartbeat lost, gap with no resume, client closed):
   * the job may still be running server-side, but this handle will see nothing more.
   */
  fail(err: unknown, finalStatus?: FinalStatus): void {
    if (this.settled) return;
    if (finalStatus) this.finalStatus = finalStatus;
    this.settled = true;
    this.release();
    this.queue.fail(err);
    this.settle.reject(err);
  }

  /** The runtime's terminal for a job this handle had already given up on. */
  private ended(): void {
    this.runsOn = false;
  }

  /** What a settled handle no longer needs; chunks of a result_id no terminal named would stay otherwise. */
  private release(): void {
    this.chunks.clear();
    this.forgetCredentials();
  }

  /** Drops credential values from the handle and from rotation events not yet consumed. */
  private forgetCredentials(): void {
    if (this.credentials === undefined) return;
    this.credentials = undefined;
    this.queue.forEachBuffered((ev) => forgetRotationValue(ev.kind, ev.body));
  }
}
