// The default EventStore: per-session arrays bounded by an event count and a byte cap.
import { EventStoreFullError, type EventStore, type EventStoreStats, type OverflowPolicy, type StoredEvent } from './event-store.js';

export interface MemoryEventStoreOptions {
  /** Max events held per session. Default 10,000 (the TS SDK's cap). */
  maxEventsPerSession?: number;
  /** Max frame bytes held per session. Default 16 MiB. */
  maxBytesPerSession?: number;
  /**
   * What a full session buffer does (event-store.ts OverflowPolicy). Default `end-session` for a
   * store built directly (its original contract: append throws when full); ARCPRuntime builds
   * its default store with its own `overflow` option, which defaults to `evict-oldest`.
   */
  overflow?: OverflowPolicy;
}

interface SessionLog {
  events: StoredEvent[];
  /** Index of the first live element; freed ones are dropped lazily to keep frees O(1). */
  head: number;
  bytes: number;
  lastSeq: number;
  freedThrough: number;
  ackedThrough: number;
}

export class MemoryEventStore implements EventStore {
  readonly maxEvents: number;
  readonly maxBytes: number;
  readonly overflow: OverflowPolicy;
  private readonly logs = new Map<string, SessionLog>();

  constructor(opts: MemoryEventStoreOptions = {}) {
    this.maxEvents = opts.maxEventsPerSession ?? 10_000;
    this.maxBytes = opts.maxBytesPerSession ?? 16 * 1024 * 1024;
    this.overflow = opts.overflow ?? 'end-session';
  }

  // `number | void` like the interface, so subclasses that override append() with `void` still type-check.
  append(sessionId: string, event: StoredEvent): number | void {
    const log = this.log(sessionId);
    const size = event.frame.length;
    let evicted = 0;
    if (log.events.length - log.head + 1 > this.maxEvents || log.bytes + size > this.maxBytes) {
      // Acknowledged events go first (§6.5: only limits may force freeing unacked ones).
      this.free(log, log.ackedThrough);
      if (this.overflow === 'evict-oldest') evicted = this.evictUnacked(log, size);
      if (log.events.length - log.head + 1 > this.maxEvents) {
        throw new EventStoreFullError(sessionId, 'events', this.maxEvents);
      }
      // Also under evict-oldest when this one frame is larger than the whole byte cap.
      if (log.bytes + size > this.maxBytes) throw new EventStoreFullError(sessionId, 'bytes', this.maxBytes);
    }
    log.events.push(event);
    log.bytes += size;
    if (event.seq > log.lastSeq) log.lastSeq = event.seq;
    return evicted;
  }

  readAfter(sessionId: string, afterSeq: number): StoredEvent[] {
    const log = this.logs.get(sessionId);
    if (!log) return [];
    let lo = log.head;
    let hi = log.events.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (log.events[mid]!.seq <= afterSeq) lo = mid + 1;
      else hi = mid;
    }
    return log.events.slice(lo);
  }

  ack(sessionId: string, seq: number): void {
    const log = this.logs.get(sessionId);
    if (!log) return;
    const clamped = Math.min(seq, log.lastSeq);
    if (clamped > log.ackedThrough) log.ackedThrough = clamped;
    this.free(log, log.ackedThrough);
  }

  stats(sessionId: string): EventStoreStats {
    const log = this.logs.get(sessionId);
    if (!log) return { events: 0, bytes: 0, lastSeq: 0, freedThrough: 0, ackedThrough: 0 };
    return {
      events: log.events.length - log.head,
      bytes: log.bytes,
      lastSeq: log.lastSeq,
      freedThrough: log.freedThrough,
      ackedThrough: log.ackedThrough,
    };
  }

  drop(sessionId: string): void {
    this.logs.delete(sessionId);
  }

  private log(sessionId: string): SessionLog {
    let log = this.logs.get(sessionId);
    if (!log) {
      log = { events: [], head: 0, bytes: 0, lastSeq: 0, freedThrough: 0, ackedThrough: 0 };
      this.logs.set(sessionId, log);
    }
    return log;
  }

  /** Drops the oldest held (unacknowledged) events until one more of `size` bytes fits. */
  private evictUnacked(log: SessionLog, size: number): number {
    let end = log.head;
    let bytes = log.bytes;
    while (end < log.events.length && (log.events.length - end + 1 > this.maxEvents || bytes + size > this.maxBytes)) {
      bytes -= log.events[end]!.frame.length;
      end++;
    }
    if (end === log.head) return 0;
    const evicted = end - log.head;
    this.free(log, log.events[end - 1]!.seq);
    return evicted;
  }

  private free(log: SessionLog, throughSeq: number): void {
    while (log.head < log.events.length && log.events[log.head]!.seq <= throughSeq) {
      const ev = log.events[log.head]!;
      log.bytes -= ev.frame.length;
      if (ev.seq > log.freedThrough) log.freedThrough = ev.seq;
      log.head++;
    }
    if (throughSeq > log.freedThrough && log.head === log.events.length) log.freedThrough = Math.min(throughSeq, log.lastSeq);
    // Compact once the dead prefix dominates, so memory is actually returned.
    if (log.head > 1024 && log.head * 2 > log.events.length) {
      log.events = log.events.slice(log.head);
      log.head = 0;
    }
  }
}
