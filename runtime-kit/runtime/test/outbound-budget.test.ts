// OutboundBudget (limits/outbound-budget.ts): which connection is cut off when the sum of the
// outbound backlogs passes maxOutboundBufferedBytesTotal. The end-to-end case with real slow
// ws readers is test/attack/outbound-budget.attack.test.ts.
import { describe, expect, it } from 'vitest';
import { OutboundBudget, type OutboundHolder } from '../limits/outbound-budget.js';

/** A connection whose backlog the test sets; records when it was cut off. */
class Holder implements OutboundHolder {
  cutAt: number | undefined;
  constructor(
    readonly name: string,
    public bytes = 0,
  ) {}
  outboundBytes(): number {
    return this.bytes;
  }
  overBudget(totalBytes: number): void {
    this.cutAt = totalBytes;
    this.bytes = 0;
  }
}

function write(budget: OutboundBudget, h: Holder, bytes: number): void {
  h.bytes = bytes;
  budget.update(h, bytes);
}

describe('OutboundBudget', () => {
  it('cuts off the largest holder, not the one writing, once the sum passes the budget', () => {
    const budget = new OutboundBudget(1000);
    const a = new Holder('a');
    const b = new Holder('b');
    const c = new Holder('c');
    write(budget, a, 600);
    write(budget, b, 300);
    expect(budget.totalBytes).toBe(900);
    write(budget, c, 200);
    expect(a.cutAt).toBe(1100);
    expect([b.cutAt, c.cutAt]).toEqual([undefined, undefined]);
    expect(budget.totalBytes).toBe(500);
  });

  it('re-reads every holder before choosing: one that drained since its last write is not cut off', () => {
    const budget = new OutboundBudget(1000);
    const a = new Holder('a');
    const b = new Holder('b');
    write(budget, a, 900);
    a.bytes = 0; // flushed, but wrote nothing since: its recorded 900 is stale
    write(budget, b, 400);
    expect(a.cutAt).toBeUndefined();
    expect(b.cutAt).toBeUndefined();
    expect(budget.totalBytes).toBe(400);
  });

  it('cuts off as many as it takes to fit, largest first', () => {
    const budget = new OutboundBudget(1000);
    const hs = [100, 500, 450, 300].map((n, i) => new Holder(`h${i}`, n));
    for (const h of hs) budget.update(h, h.bytes);
    // 1350 > 1000: the 500 goes first, then 850 fits.
    expect(hs.map((h) => h.cutAt !== undefined)).toEqual([false, true, false, false]);
    write(budget, hs[0]!, 1000);
    // 1000 + 450 + 300: the writer itself is now the largest.
    expect(hs[0]!.cutAt).toBe(1750);
    expect(budget.totalBytes).toBe(750);
  });

  it('forgets a closed connection', () => {
    const budget = new OutboundBudget(1000);
    const a = new Holder('a');
    write(budget, a, 800);
    budget.remove(a);
    budget.remove(a);
    expect(budget.totalBytes).toBe(0);
    const b = new Holder('b');
    write(budget, b, 900);
    expect(b.cutAt).toBeUndefined();
  });
});
