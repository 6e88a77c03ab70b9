// Request/reply pairing (catalog §5). No SDK echoes the request `id` as the reply `id`; replies
// are matched, in this order, by:
//   1. `payload.request_id` equal to the request envelope `id` (our runtime and Py send it);
//   2. the envelope `trace_id` the request carried (TS echoes it on job.accepted);
//   3. FIFO: the oldest pending request (TS rejections carry neither). When the reply has a
//      trace_id that matches nobody (the peer minted one for a request that had none), the
//      oldest request *without* a trace id is preferred, since one with a trace id would have
//      had it echoed back.
// A reply whose request_id names no pending request is not ours: it never falls back to FIFO.

export interface ReplyLike {
  trace_id?: unknown;
  payload?: unknown;
}

interface Pending<T> {
  id: string;
  traceId: string | undefined;
  value: T;
}

export class RequestCorrelator<T> {
  // Insertion-ordered: Map iteration order is the FIFO order.
  private readonly pending = new Map<string, Pending<T>>();

  /** Track a request by its envelope `id` (and `trace_id` if it carried one). */
  add(id: string, value: T, traceId?: string): void {
    this.pending.set(id, { id, traceId, value });
  }

  /** Find and remove the request a reply answers; undefined when none matches. */
  take(reply: ReplyLike): T | undefined {
    const entry = this.match(reply);
    if (entry) this.pending.delete(entry.id);
    return entry?.value;
  }

  /** Which request a reply answers, without removing it. */
  peek(reply: ReplyLike): T | undefined {
    return this.match(reply)?.value;
  }

  /** Remove a request (timeout, abort). */
  remove(id: string): T | undefined {
    const entry = this.pending.get(id);
    this.pending.delete(id);
    return entry?.value;
  }

  /** Remove and return everything still pending (e.g. to fail them when the session ends). */
  drain(): T[] {
    const values = [...this.pending.values()].map((p) => p.value);
    this.pending.clear();
    return values;
  }

  get size(): number {
    return this.pending.size;
  }

  private match(reply: ReplyLike): Pending<T> | undefined {
    const requestId = requestIdOf(reply.payload);
    if (requestId !== undefined) return this.pending.get(requestId);
    const traceId = typeof reply.trace_id === 'string' ? reply.trace_id : undefined;
    if (traceId !== undefined) {
      for (const p of this.pending.values()) if (p.traceId === traceId) return p;
      for (const p of this.pending.values()) if (p.traceId === undefined) return p;
    }
    return this.pending.values().next().value;
  }
}

function requestIdOf(payload: unknown): string | undefined {
  if (typeof payload !== 'object' || payload === null) return undefined;
  const id = (payload as { request_id?: unknown }).request_id;
  return typeof id === 'string' && id !== '' ? id : undefined;
}
