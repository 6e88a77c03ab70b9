// InboundBudget (limits/inbound-budget.ts): which connection is cut off when the bytes of frames
// still arriving, summed over all connections, pass maxInboundInFlightBytesTotal. The end-to-end
// case with real ws connections is test/attack/inbound-in-flight.attack.test.ts.
import { describe, expect, it } from 'vitest';
import { InboundBudget, type InboundHolder } from '../limits/inbound-budget.js';

/** A connection receiving a frame; records how it was cut off. */
class Holder implements InboundHolder {
  cut: { held: number; total: number } | undefined;
  overInboundBudget(heldBytes: number, totalBytes: number): void {
    this.cut = { held: heldBytes, total: totalBytes };
  }
}

describe('InboundBudget', () => {
  it('cuts off the largest holder, not the one whose bytes just arrived, and forgets it', () => {
    const budget = new InboundBudget(1000);
    const [a, b, c] = [new Holder(), new Holder(), new Holder()];
    budget.update(a, 600);
    budget.update(b, 300);
    budget.update(c, 200);
    expect(a.cut).toEqual({ held: 600, total: 1100 });
    expect([b.cut, c.cut]).toEqual([undefined, undefined]);
    expect(budget.totalBytes).toBe(500);
  });

  it('a frame that completes hands its bytes back (0), so others may grow', () => {
    const budget = new InboundBudget(1000);
    const [a, b] = [new Holder(), new Holder()];
    budget.update(a, 900);
    budget.update(a, 0);
    budget.update(b, 950);
    expect([a.cut, b.cut]).toEqual([undefined, undefined]);
    expect(budget.totalBytes).toBe(950);
  });

  it('cuts off as many as it takes to fit, largest first; a removed holder (closed) is never chosen', () => {
    const budget = new InboundBudget(1000);
    const hs = [100, 500, 450, 300].map(() => new Holder());
    const gone = new Holder();
    budget.update(gone, 900);
    budget.remove(gone);
    [100, 500, 450].forEach((n, i) => budget.update(hs[i]!, n));
    budget.update(hs[3]!, 300);
    // 1350 > 1000: the 500 goes first, then 850 fits.
    expect(hs.map((h) => h.cut?.held)).toEqual([undefined, 500, undefined, undefined]);
    expect(gone.cut).toBeUndefined();
    budget.update(hs[3]!, 700); // 100 + 450 + 700 = 1250: the 700 itself is now the largest
    expect(hs[3]!.cut).toEqual({ held: 700, total: 1250 });
    expect(budget.totalBytes).toBe(550);
  });
});
