// Inbound envelope-id dedupe (catalog §6.10, §10 #3): envelope ids are unique per session, and a
// duplicate of an id the session already processed is ignored — a client that re-sends after a
// drop must not start a second job. Bounded: only the most recent `capacity` ids are kept (an
// id old enough to have left the window is processed again), so memory stays O(capacity).
export const INBOUND_ID_WINDOW = 1024;

/** Message types that are exempt (liveness and acks may legitimately repeat, catalog §6.10). */
export const DEDUPE_EXEMPT: ReadonlySet<string> = new Set(['session.ping', 'session.pong', 'session.ack']);

export class InboundIdWindow {
  // A Set iterates in insertion order, so its first element is always the oldest id.
  private readonly ids = new Set<string>();

  constructor(private readonly capacity: number = INBOUND_ID_WINDOW) {}

  /** True the first time `id` is seen within the window; false for a duplicate. */
  firstSight(id: string): boolean {
    if (this.ids.has(id)) return false;
    this.ids.add(id);
    if (this.ids.size > this.capacity) this.ids.delete(this.ids.values().next().value as string);
    return true;
  }

  get size(): number {
    return this.ids.size;
  }
}
