// What each connection holds and the sum of it: the bookkeeping under both global byte budgets
// (outbound-budget.ts, inbound-budget.ts), which differ in how they learn the figures, which
// holder they pick while over, and what they do to it.

export interface Held<H> {
  holder: H;
  bytes: number;
}

export class HolderTally<H> {
  // Map order is the order holders went from 0 to holding: set() keeps a holder's place, 0 forgets it.
  private readonly held = new Map<H, number>();
  private total = 0;

  get sum(): number {
    return this.total;
  }

  holders(): H[] {
    return [...this.held.keys()];
  }

  /** `holder` holds `bytes` now (0 forgets it). */
  set(holder: H, bytes: number): void {
    const before = this.held.get(holder) ?? 0;
    if (bytes > 0) this.held.set(holder, bytes);
    else this.held.delete(holder);
    this.total += bytes - before;
  }

  remove(holder: H): void {
    this.set(holder, 0);
  }

  /** While the sum is over `max`: forgets the holder `pick` names (default the largest) and hands it to `evict`, with its bytes and the sum before. */
  evictWhileOver(max: number, evict: (holder: H, bytes: number, total: number) => void, pick: () => Held<H> | undefined = () => this.largest()): void {
    while (this.total > max) {
      const victim = pick();
      if (!victim) return;
      const total = this.total;
      this.remove(victim.holder);
      evict(victim.holder, victim.bytes, total);
    }
  }

  largest(): Held<H> | undefined {
    let out: Held<H> | undefined;
    for (const [holder, bytes] of this.held) if (!out || bytes > out.bytes) out = { holder, bytes };
    return out;
  }

  /** The holder that has held bytes the longest without going back to 0. */
  oldest(): Held<H> | undefined {
    for (const [holder, bytes] of this.held) return { holder, bytes };
    return undefined;
  }
}
