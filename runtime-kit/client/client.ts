/**
 * ARCPClient: open a session (or resume one), submit jobs, observe ordered event streams, list
 * and subscribe to jobs, acknowledge, close. Mirrors the Python SDK's API in TypeScript idiom
 * (camelCase methods; wire fields stay snake_case). State and lifecycle live in core.ts,
 * inbound routing in router.ts / error-routing.ts.
 */
import { KitError } from '../errors/kit-error.js';
import { schedule } from '../protocol/schedule.js';
import type { Transport } from '../transport/types.js';
import type { ClientEventMap } from './client-events.js';
import { ClientCore } from './core.js';
import type { JobHandle } from './job-handle.js';
import type { PendingRequest } from './pending.js';
import type { SubscribeResult } from './subscription.js';
import type {
  ARCPClientOptions,
  JobListing,
  ListJobsOptions,
  ResumeOptions,
  SubmitOptions,
  SubscribeOptions,
  WelcomeInfo,
} from './types.js';
import { newMessageId, newTraceId } from './wire.js';

/** How long submit, listJobs, subscribe and cancel wait for their reply by default. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 60_000;

export class ARCPClient {
  private readonly core: ClientCore;

  constructor(opts: ARCPClientOptions) {
    this.core = new ClientCore(opts, {
      cancelJob: (jobId, reason) => this.cancelJob(jobId, reason),
      credentialsChanged: (jobId, credentials) => this.core.events.emit('credentials', { jobId, credentials }),
    });
  }

  /** The welcome of the current session (undefined before connect). */
  get session(): WelcomeInfo | undefined {
    return this.core.welcome;
  }

  get sessionId(): string | undefined {
    return this.core.welcome?.sessionId;
  }

  /** The latest resume token (rotated on every welcome, §6.3). */
  get resumeToken(): string | undefined {
    return this.core.welcome?.resumeToken;
  }

  /** Highest contiguous `event_seq` received: the value to resume from (§6.3). */
  get latestEventSeq(): number {
    return this.core.tracker.latest;
  }

  /** The effective feature set (§6.2). */
  get features(): readonly string[] {
    return this.core.welcome?.features ?? [];
  }

  get state(): string {
    return this.core.state;
  }

  /** Observe session-level notifications; returns an unsubscribe function. */
  on<K extends keyof ClientEventMap>(name: K, fn: (value: ClientEventMap[K]) => void): () => void {
    return this.core.events.on(name, fn);
  }

  /**
   * Opens a session over `transport`. `reconnect`, when given (here or as `autoResume`), enables
   * automatic resume after a transport drop, a heartbeat loss or a seq gap.
   */
  async connect(transport: Transport, opts: { reconnect?: () => Promise<Transport> } = {}): Promise<WelcomeInfo> {
    this.assertIdle('connect');
    if (opts.reconnect && this.core.opts.autoResume !== false) this.core.reconnect = opts.reconnect;
    this.core.state = 'handshaking';
    try {
      return await this.core.openSession(transport);
    } catch (err) {
      this.core.state = 'idle';
      throw err;
    }
  }

  /**
   * Resumes an existing session on a new transport via `session.hello.payload.resume` (catalog
   * §9 #1). The runtime replays every event with seq > lastEventSeq; events of jobs this client
   * has no handle for are buffered on handles retrievable with `job(jobId)`.
   */
  async resume(transport: Transport, resume: ResumeOptions, opts: { reconnect?: () => Promise<Transport> } = {}): Promise<WelcomeInfo> {
    if (this.core.state === 'open' || this.core.state === 'handshaking' || this.core.state === 'resuming') {
      throw new KitError('ARCP_KIT_INVALID_STATE', `resume() needs a disconnected client (state ${this.core.state})`);
    }
    if (opts.reconnect && this.core.opts.autoResume !== false) this.core.reconnect = opts.reconnect;
    this.core.state = 'handshaking';
    try {
      const info = await this.core.openSession(transport, resume);
      this.core.afterResume(info);
      return info;
    } catch (err) {
      this.core.state = this.core.welcome ? 'broken' : 'idle';
      throw err;
    }
  }

  /** Submits a job (§7.1) and resolves with its handle on `job.accepted`. */
  async submit(opts: SubmitOptions): Promise<JobHandle> {
    this.assertOpen('submit');
    const payload: Record<string, unknown> = { agent: opts.agent, input: opts.input ?? {} };
    if (opts.leaseRequest) payload.lease_request = opts.leaseRequest;
    const lc = opts.leaseConstraints;
    if (lc && (lc.expires_at ?? lc.expiresAt)) payload.lease_constraints = { expires_at: lc.expires_at ?? lc.expiresAt };
    if (opts.idempotencyKey !== undefined) payload.idempotency_key = opts.idempotencyKey;
    if (opts.maxRuntimeSec !== undefined) payload.max_runtime_sec = opts.maxRuntimeSec;
    const traceId = opts.traceId ?? newTraceId();
    return this.request<JobHandle>('submit', 'job.submit', payload, { trace_id: traceId }, {
      traceId,
      idempotent: opts.idempotencyKey !== undefined,
    });
  }

  /** The handle for any job seen in this session (submitted, subscribed, or replayed after resume). */
  job(jobId: string): JobHandle {
    return this.core.handleFor(jobId, 'adopted');
  }

  /** `session.list_jobs` (§6.6). Needs the `list_jobs` feature. */
  async listJobs(opts: ListJobsOptions = {}): Promise<JobListing> {
    this.assertOpen('listJobs');
    this.assertFeature('list_jobs');
    const payload: Record<string, unknown> = {};
    const f = opts.filter;
    if (f) {
      const filter: Record<string, unknown> = {};
      if (f.status) filter.status = [...f.status];
      if (f.agent) filter.agent = f.agent;
      if (f.createdAfter) filter.created_after = f.createdAfter;
      if (f.createdBefore) filter.created_before = f.createdBefore;
      payload.filter = filter;
    }
    if (opts.limit !== undefined) payload.limit = opts.limit;
    if (opts.cursor !== undefined) payload.cursor = opts.cursor;
    return this.request<JobListing>('list', 'session.list_jobs', payload, {}, { idempotent: true });
  }

  /** `job.subscribe` (§7.6): a read-only handle on a job, optionally with history replay. */
  async subscribe(jobId: string, opts: SubscribeOptions = {}): Promise<SubscribeResult> {
    this.assertOpen('subscribe');
    this.assertFeature('subscribe');
    const payload: Record<string, unknown> = { job_id: jobId };
    // A job submitted in this session already has its whole stream on its handle: asking for
    // history would replay re-sequenced copies of events the handle already delivered.
    const owned = this.core.handles.get(jobId);
    const history = owned?.role === 'owner' ? false : opts.history;
    if (history !== undefined) payload.history = history;
    if (history && opts.fromEventSeq !== undefined) payload.from_event_seq = opts.fromEventSeq;
    return this.request<SubscribeResult>('subscribe', 'job.subscribe', payload, {}, { jobId, idempotent: true });
  }

  /** `job.unsubscribe` (no reply). A subscription handle's stream ends; an owned job is unaffected. */
  async unsubscribe(jobId: string): Promise<void> {
    this.assertOpen('unsubscribe');
    this.assertFeature('subscribe');
    this.core.send('job.unsubscribe', { job_id: jobId });
    const h = this.core.handles.get(jobId);
    if (h && h.role === 'subscriber') {
      this.core.handles.delete(jobId);
      h.fail(new KitError('ARCP_KIT_UNSUBSCRIBED', `unsubscribed from ${jobId}`));
    }
  }

  /** Manual `session.ack` (§6.5) of `seq` (default: latestEventSeq; clamped to it). */
  async ack(seq?: number): Promise<void> {
    this.assertOpen('ack');
    this.assertFeature('ack');
    const latest = this.core.tracker.latest;
    const value = Math.max(0, Math.min(seq ?? latest, latest));
    this.core.send('session.ack', { last_processed_seq: value });
    this.core.acker?.noteSent(value);
  }

  /**
   * `session.close{reason}` (§6.7), then close the transport on `session.closed`, any
   * session.error, the transport closing, or after ~1 s (catalog §9 #2). Jobs keep running
   * server-side; local handles of live jobs fail with ARCP_KIT_CLIENT_CLOSED.
   */
  async close(reason = 'client closed'): Promise<void> {
    const core = this.core;
    if (core.state === 'closed') return;
    const wasOpen = core.state === 'open';
    core.state = 'closing';
    core.stopTimers();
    const link = core.link;
    if (link && !link.dead && wasOpen) {
      const acked = new Promise<void>((resolve) => {
        const timer = core.clock.setTimeout(() => resolve(), core.opts.closeTimeoutMs ?? 1_000).unref();
        link.closing = () => {
          timer.cancel();
          resolve();
        };
      });
      try {
        core.send('session.close', { reason });
        await acked;
      } catch {
        // transport already gone
      }
    }
    core.state = 'closed';
    if (link) {
      link.dead = true;
      await link.transport.close(reason).catch(() => undefined);
    }
    core.link = undefined;
    core.failEverything(new KitError('ARCP_KIT_CLIENT_CLOSED', 'the client was closed'));
  }

  private async cancelJob(jobId: string, reason: string): Promise<void> {
    this.assertOpen('cancel');
    return this.request<void>('cancel', 'job.cancel', { reason }, { job_id: jobId }, { jobId, idempotent: true });
  }

  private request<T>(
    kind: PendingRequest['kind'],
    type: string,
    payload: Record<string, unknown>,
    fields: { job_id?: string; trace_id?: string },
    meta: { traceId?: string; jobId?: string; idempotent: boolean },
  ): Promise<T> {
    return new Promise<T>((resolveRequest, rejectRequest) => {
      const requestId = newMessageId();
      // A runtime can keep the session alive (pongs, events) and never answer: without a bound
      // the request waited for ever. It counts from the call, across a resume.
      const ms = this.core.opts.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
      // schedule(): Infinity arms nothing, and a delay past Node's 2^31-1 ms limit is chained
      // instead of firing at once.
      const timer = schedule(
        this.core.clock,
        () => {
          if (this.core.pending.takeById(req.requestId) === undefined) return;
          rejectRequest(
            new KitError('ARCP_KIT_REQUEST_TIMEOUT', `no reply to ${type} within ${ms} ms${kind === 'submit' ? '; the job may or may not exist' : ''}`, {
              details: { kind, requestId: req.requestId, timeoutMs: ms },
              // Repeating a list, subscribe or cancel is harmless; a submit only with an idempotency key.
              retryable: meta.idempotent,
            }),
          );
        },
        ms,
      );
      const resolve = (value: T): void => {
        timer.cancel();
        resolveRequest(value);
      };
      const reject = (err: unknown): void => {
        timer.cancel();
        rejectRequest(err);
      };
      const req: PendingRequest<T> = { kind, requestId, resolve, reject, resend: { type, payload, fields, idempotent: meta.idempotent } };
      if (meta.traceId) req.traceId = meta.traceId;
      if (meta.jobId) req.jobId = meta.jobId;
      this.core.pending.add(req);
      if (this.core.state === 'resuming') return; // sent by the core once the resume completes
      req.sent = true;
      try {
        this.core.send(type, payload, fields, requestId);
      } catch (err) {
        this.core.pending.takeById(requestId);
        reject(err);
      }
    });
  }

  private assertIdle(op: string): void {
    if (this.core.state !== 'idle') throw new KitError('ARCP_KIT_INVALID_STATE', `${op}() called in state ${this.core.state}`);
  }

  private assertOpen(op: string): void {
    // While an automatic resume runs, requests queue as pending and are sent after the welcome.
    if (this.core.state !== 'open' && this.core.state !== 'resuming') {
      throw new KitError('ARCP_KIT_NOT_CONNECTED', `${op}() needs an open session (state ${this.core.state})`);
    }
  }

  private assertFeature(feature: string): void {
    // §6.2: neither peer may use a feature outside the negotiated intersection.
    if (!this.core.has(feature)) {
      throw new KitError('ARCP_KIT_FEATURE_NOT_NEGOTIATED', `feature "${feature}" was not negotiated`);
    }
  }
}
