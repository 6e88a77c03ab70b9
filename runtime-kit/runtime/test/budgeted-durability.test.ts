// The memory-budget wrapper (limits/budgeted-event-store.ts) sits in front of every event store,
// durable ones included. It must pass the write-behind hook through: without it the runtime sent
// events before they were durable, and a kill -9 lost what the client had already seen
// (test/store/sqlite-kill9.test.ts found it after the two features were merged).
import { describe, expect, it } from 'vitest';
import { BudgetedEventStore } from '../limits/budgeted-event-store.js';
import { DEFAULT_LIMITS } from '../limits/limits-options.js';
import { MemoryEventStore } from '../memory-event-store.js';
import type { SessionRegistry } from '../session-registry.js';

class WriteBehind extends MemoryEventStore {
  readonly waiting: (() => void)[] = [];
  afterDurable(send: () => void): boolean {
    this.waiting.push(send);
    return true;
  }
}

describe('BudgetedEventStore and durable stores', () => {
  it('defers sends to the inner store\'s durability point', () => {
    const inner = new WriteBehind({ maxEventsPerSession: 100 });
    const store = new BudgetedEventStore(inner, DEFAULT_LIMITS, () => ({}) as SessionRegistry, () => undefined);
    let sent = 0;
    expect(store.afterDurable(() => sent++)).toBe(true);
    expect(sent).toBe(0);
    for (const send of inner.waiting) send();
    expect(sent).toBe(1);
  });

  it('says "send now" for an inner store without write-behind', () => {
    const store = new BudgetedEventStore(new MemoryEventStore({ maxEventsPerSession: 100 }), DEFAULT_LIMITS, () => ({}) as SessionRegistry, () => undefined);
    expect(store.afterDurable(() => undefined)).toBe(false);
  });
});
