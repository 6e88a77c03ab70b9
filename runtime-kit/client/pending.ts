/**
 * Requests waiting for their reply, one protocol/ RequestCorrelator per request kind (catalog
 * §5: `payload.request_id`, then the echoed `trace_id`, then FIFO). Cancel and subscribe
 * replies (and TS refusals) name the *target job* instead, so those requests are also findable
 * by job id.
 */
import { RequestCorrelator, type ReplyLike } from '../protocol/correlation.js';

export type RequestKind = 'submit' | 'list' | 'subscribe' | 'cancel';

export interface PendingRequest<T = unknown> {
  kind: RequestKind;
  /** The request envelope `id`, which `payload.request_id` echoes. */
  requestId: string;
  traceId?: string;
  /** Target job for subscribe / cancel. */
  jobId?: string;
  resolve(value: T): void;
  reject(err: unknown): void;
  /** False while queued during an automatic resume (never reached the runtime). */
  sent?: boolean;
  /** How to repeat the request after a resume (its reply may have been lost with the transport). */
  resend?: { type: string; payload: Record<string, unknown>; fields?: { job_id?: string; trace_id?: string }; idempotent: boolean };
}

const KINDS: readonly RequestKind[] = ['submit', 'list', 'subscribe', 'cancel'];

export class PendingRequests {
  private readonly byKind = new Map<RequestKind, RequestCorrelator<PendingRequest<any>>>(
    KINDS.map((k) => [k, new RequestCorrelator<PendingRequest<any>>()]),
  );
  private readonly all = new Map<string, PendingRequest<any>>();

  get size(): number {
    return this.all.size;
  }

  add<T>(req: PendingRequest<T>): void {
    this.all.set(req.requestId, req);
    this.byKind.get(req.kind)!.add(req.requestId, req, req.traceId);
  }

  /** The request a reply of this kind answers (request_id, trace_id, FIFO), removed. */
  take(kind: RequestKind, reply: ReplyLike): PendingRequest<any> | undefined {
    const req = this.byKind.get(kind)!.take(reply);
    if (req) this.all.delete(req.requestId);
    return req;
  }

  /** The oldest pending cancel/subscribe targeting `jobId`, removed. */
  takeByJob(kind: RequestKind, jobId: string): PendingRequest<any> | undefined {
    for (const req of this.all.values()) {
      if (req.kind === kind && req.jobId === jobId) return this.takeById(req.requestId);
    }
    return undefined;
  }

  /** The request with this envelope id, whatever its kind (session.error `request_id`), removed. */
  takeById(requestId: unknown): PendingRequest<any> | undefined {
    if (typeof requestId !== 'string') return undefined;
    const req = this.all.get(requestId);
    if (!req) return undefined;
    this.all.delete(requestId);
    this.byKind.get(req.kind)!.remove(requestId);
    return req;
  }

  /** The oldest pending request of a kind, removed (uncorrelated refusals). */
  takeOldest(kind: RequestKind): PendingRequest<any> | undefined {
    for (const req of this.all.values()) if (req.kind === kind) return this.takeById(req.requestId);
    return undefined;
  }

  /** Removes and returns every pending request (for re-sending after a resume). */
  drainAll(): PendingRequest<any>[] {
    const out = [...this.all.values()];
    this.all.clear();
    for (const c of this.byKind.values()) c.drain();
    return out;
  }

  /** Rejects and forgets every pending request (session-fatal errors, transport loss, close). */
  failAll(err: unknown): void {
    for (const req of this.drainAll()) req.reject(err);
  }
}
