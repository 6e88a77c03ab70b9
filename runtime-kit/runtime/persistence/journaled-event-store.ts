// The session resume buffer with a durable journal behind it: the in-memory store answers every
// synchronous read the session makes (stats, readAfter), and each append / ack / eviction is
// also written to the RuntimeStore. `afterDurable` lets the session hold a frame back until its
// event is committed (session.ts): what a client can acknowledge is always on disk.
import type { EventStore, EventStoreStats, StoredEvent } from '../event-store.js';
import type { EventPosition, RuntimeStore } from '../../store/runtime-store.js';

export class JournaledEventStore implements EventStore {
  /** Positions restored from the store for sessions whose events were all freed before. */
  private readonly restored = new Map<string, { lastSeq: number; freedThrough: number; ackedThrough: number }>();

  constructor(
    private readonly inner: EventStore,
    private readonly store: RuntimeStore,
  ) {}

  append(sessionId: string, event: StoredEvent): number | void {
    const evicted = this.inner.append(sessionId, event);
    this.store.appendEvent(sessionId, event);
    if (evicted) this.store.freeEvents(sessionId, this.position(sessionId));
    return evicted;
  }

  readAfter(sessionId: string, afterSeq: number): StoredEvent[] {
    return this.inner.readAfter(sessionId, afterSeq);
  }

  ack(sessionId: string, seq: number): void {
    const before = this.stats(sessionId).ackedThrough;
    this.inner.ack(sessionId, seq);
    const base = this.restored.get(sessionId);
    if (base && seq > base.ackedThrough) base.ackedThrough = Math.min(seq, base.lastSeq);
    if (this.stats(sessionId).ackedThrough > before) this.store.freeEvents(sessionId, this.position(sessionId));
  }

  stats(sessionId: string): EventStoreStats {
    const s = this.inner.stats(sessionId);
    const base = this.restored.get(sessionId);
    if (!base) return s;
    return {
      events: s.events,
      bytes: s.bytes,
      lastSeq: Math.max(s.lastSeq, base.lastSeq),
      freedThrough: Math.max(s.freedThrough, base.freedThrough),
      ackedThrough: Math.max(s.ackedThrough, base.ackedThrough),
    };
  }

  drop(sessionId: string): void {
    this.inner.drop(sessionId);
    this.restored.delete(sessionId);
    this.store.deleteSession(sessionId);
  }

  /** Drops only the in-memory copy (the session moved to another node; the store keeps it). */
  forgetLocal(sessionId: string): void {
    this.inner.drop(sessionId);
    this.restored.delete(sessionId);
  }

  afterDurable(send: () => void): boolean {
    return this.store.afterDurable(send);
  }

  /** Refills the buffer of a session read back from the store (restart, other node). */
  restore(sessionId: string, events: readonly StoredEvent[], position: EventPosition): void {
    this.inner.drop(sessionId);
    for (const e of events) this.inner.append(sessionId, e);
    const lastSeq = Math.max(position.freed_through, events.length > 0 ? events[events.length - 1]!.seq : 0);
    this.restored.set(sessionId, { lastSeq, freedThrough: position.freed_through, ackedThrough: position.acked_through });
  }

  private position(sessionId: string): EventPosition {
    const s = this.stats(sessionId);
    return { freed_through: s.freedThrough, acked_through: s.ackedThrough };
  }
}
