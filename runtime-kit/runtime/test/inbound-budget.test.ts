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

const FRAME_CAP = 800;

/** A budget of 1000 bytes (frame cap 800) and `n` connections under it. */
function budgetWith(n: number): { budget: InboundBudget; hs: Holder[] } {
  return { budget: new InboundBudget(1000, FRAME_CAP), hs: Array.from({ length: n }, () => new Holder()) };
}

describe('InboundBudget', () => {
  it('cuts off the frame arriving the longest, not the largest nor the one whose bytes just arrived, and forgets it', () => {
    const { budget, hs: [a, b, c] } = budgetWith(3);
    budget.update(a, 300);
    budget.update(b, 600);
    budget.update(a, 350); // more of the same frame: a keeps its place
    budget.update(c, 200);
    expect(a.cut).toEqual({ held: 350, total: 1150 });
    expect([b.cut, c.cut]).toEqual([undefined, undefined]);
    expect(budget.totalBytes).toBe(800);
  });

  it('a frame that completes hands its bytes back (0), so others may grow, and its next frame is the youngest', () => {
    const { budget, hs: [a, b] } = budgetWith(2);
    budget.update(a, 700);
    budget.update(a, 0);
    budget.update(b, 500);
    budget.update(a, 400); // a new frame on a: younger than b's
    expect([a.cut, b.cut]).toEqual([undefined, undefined]);
    budget.update(a, 600);
    expect(b.cut).toEqual({ held: 500, total: 1100 });
    expect(a.cut).toBeUndefined();
    expect(budget.totalBytes).toBe(600);
  });

  it('many small old holders cannot get a younger, larger honest frame cut off: they go, as many as it takes; a removed holder is never chosen', () => {
    const { budget, hs: [gone] } = budgetWith(1);
    budget.update(gone, 900);
    budget.remove(gone);
    const small = Array.from({ length: 9 }, () => new Holder());
    for (const h of small) budget.update(h, 100);
    const honest = new Holder();
    budget.update(honest, 300); // 1200: the two oldest small ones go
    expect(small.map((h) => h.cut?.held)).toEqual([100, 100, undefined, undefined, undefined, undefined, undefined, undefined, undefined]);
    expect(honest.cut).toBeUndefined();
    expect(gone.cut).toBeUndefined();
    expect(budget.totalBytes).toBe(1000);
  });

  it('a frame already past the frame cap goes first, however young (the largest of those)', () => {
    const { budget, hs: [old, doomed] } = budgetWith(2);
    budget.update(old, 150);
    budget.update(doomed, 900);
    expect(doomed.cut).toEqual({ held: 900, total: 1050 });
    expect(old.cut).toBeUndefined();
  });
});
