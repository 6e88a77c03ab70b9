// Resume-buffer budgets across sessions (issue 13): wraps any EventStore and keeps what all of a
// principal's sessions hold under `maxRetainedEventBytesPerPrincipal`, and what every session
// holds under `maxRetainedEventBytes`. The per-session caps stay the wrapped store's business.
//
// Policy when an event would go over a budget: detached sessions (of that principal, or of
// anyone for the global budget) are forgotten, least recently active first, until it fits
// (their resume then answers RESUME_WINDOW_EXPIRED). When no detached session is left, the
// event is refused with EventBudgetError, which the session handles like a full buffer under
// `end-session`: INTERNAL_ERROR `details.reason: event_store_full`, `limit` naming the budget,
// transport closed, session ended. Bytes are the frames' UTF-16 length (the store's measure).
import type { Session } from '../session.js';
import type { SessionRegistry } from '../session-registry.js';
import { EventStoreFullError, type EventStore, type EventStoreStats, type StoredEvent } from '../event-store.js';
import type { RuntimeLimits } from './limits-options.js';
import { forget, leastRecentDetached } from './session-budget.js';

type Log = (level: 'warn', message: string, data: Record<string, unknown>) => void;
type BudgetLimit = 'maxRetainedEventBytesPerPrincipal' | 'maxRetainedEventBytes';

/** The event did not fit a cross-session budget and no detached session could make room. */
export class EventBudgetError extends EventStoreFullError {
  constructor(sessionId: string, limit: BudgetLimit, cap: number) {
    super(sessionId, limit, cap);
    this.name = 'EventBudgetError';
  }
}

export class BudgetedEventStore implements EventStore {
  /** Bytes each session held after its last change, and its principal. */
  private readonly held = new Map<string, { principal: string; bytes: number }>();
  private readonly perPrincipal = new Map<string, number>();
  private total = 0;

  constructor(
    readonly inner: EventStore,
    private readonly limits: Readonly<Pick<RuntimeLimits, BudgetLimit>>,
    /** Late-bound: the registry is built on top of this store. */
    private readonly sessions: () => SessionRegistry,
    private readonly log: Log,
  ) {}

  /** Resume-buffer bytes held: by one principal's sessions, or by all. */
  retainedBytes(principal?: string): number {
    return principal === undefined ? this.total : (this.perPrincipal.get(principal) ?? 0);
  }

  append(sessionId: string, event: StoredEvent): number | void {
    const registry = this.sessions();
    const session = registry.get(sessionId);
    const principal = session?.principal ?? this.held.get(sessionId)?.principal ?? '';
    const size = event.frame.length;
    const { maxRetainedEventBytesPerPrincipal: perMax, maxRetainedEventBytes: max } = this.limits;
    while (this.retainedBytes(principal) + size > perMax) {
      const victim = leastRecentDetached(registry.ofPrincipal(principal), session);
      if (!victim) throw new EventBudgetError(sessionId, 'maxRetainedEventBytesPerPrincipal', perMax);
      this.reclaim(registry, victim, 'maxRetainedEventBytesPerPrincipal');
    }
    while (this.total + size > max) {
      const victim = leastRecentDetached(registry.values(), session);
      if (!victim) throw new EventBudgetError(sessionId, 'maxRetainedEventBytes', max);
      this.reclaim(registry, victim, 'maxRetainedEventBytes');
    }
    const evicted = this.inner.append(sessionId, event);
    this.update(sessionId, principal);
    return evicted;
  }

  readAfter(sessionId: string, afterSeq: number): StoredEvent[] {
    return this.inner.readAfter(sessionId, afterSeq);
  }

  // Forwarded, or a durable store's write-behind would be skipped: events would reach a peer
  // (who may ack them) before they are on disk, and a crash would lose them (issue 12).
  afterDurable(send: () => void): boolean {
    return this.inner.afterDurable?.(send) ?? false;
  }

  ack(sessionId: string, seq: number): void {
    this.inner.ack(sessionId, seq);
    const was = this.held.get(sessionId);
    if (was) this.update(sessionId, was.principal);
  }

  stats(sessionId: string): EventStoreStats {
    return this.inner.stats(sessionId);
  }

  drop(sessionId: string): void {
    this.inner.drop(sessionId);
    const was = this.held.get(sessionId);
    if (!was) return;
    this.held.delete(sessionId);
    this.add(was.principal, -was.bytes);
  }

  private reclaim(registry: SessionRegistry, victim: Session, limit: BudgetLimit): void {
    forget(registry, victim, limit, this.log); // the registry drops its buffer through drop()
    if (this.held.has(victim.id)) this.drop(victim.id);
  }

  private update(sessionId: string, principal: string): void {
    const bytes = this.inner.stats(sessionId).bytes;
    const was = this.held.get(sessionId)?.bytes ?? 0;
    this.held.set(sessionId, { principal, bytes });
    this.add(principal, bytes - was);
  }

  private add(principal: string, delta: number): void {
    if (delta === 0) return;
    this.total += delta;
    const next = (this.perPrincipal.get(principal) ?? 0) + delta;
    if (next <= 0) this.perPrincipal.delete(principal);
    else this.perPrincipal.set(principal, next);
  }
}
