// The default EventStore: per-session arrays bounded by an event count and a byte cap.
import { EventStoreFullError, type EventStore, type EventStoreStats, type StoredEvent } from './event-store.js';

export interface MemoryEventStoreOptions {
  /** Max events held per session. Default 10,000 (the TS SDK's cap). */
  maxEventsPerSession?: number;
  /** Max frame bytes held per session. Default 16 MiB. */
  maxBytesPerSession?: number;
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
  private readonly logs = new Map<string, SessionLog>();

  constructor(opts: MemoryEventStoreOptions = {}) {
    this.maxEvents = opts.maxEventsPerSession ?? 10_000;
    this.maxBytes = opts.maxBytesPerSession ?? 16 * 1024 * 1024;
  }

  append(sessionId: string, event: StoredEvent): void {
    const log = this.log(sessionId);
    const size = event.frame.length;
    if (log.events.length - log.head + 1 > this.maxEvents || log.bytes + size > this.maxBytes) {
      // Acknowledged events go first (§6.5: only limits may force freeing unacked ones; we refuse instead).
      this.free(log, log.ackedThrough);
      if (log.events.length - log.head + 1 > this.maxEvents) {
        throw new EventStoreFullError(sessionId, 'events', this.maxEvents);
      }
      if (log.bytes + size > this.maxBytes) throw new EventStoreFullError(sessionId, 'bytes', this.maxBytes);
    }
    log.events.push(event);
    log.bytes += size;
    if (event.seq > log.lastSeq) log.lastSeq = event.seq;
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
