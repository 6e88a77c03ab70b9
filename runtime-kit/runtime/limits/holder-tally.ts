// What each connection holds and the sum of it: the bookkeeping under both global byte budgets
// (outbound-budget.ts, inbound-budget.ts), which differ only in how they learn the figures and
// what they do to the largest holder.

export class HolderTally<H> {
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

  /** While the sum is over `max`: forgets the largest holder and hands it to `evict`, with its bytes and the sum before. */
  evictWhileOver(max: number, evict: (holder: H, bytes: number, total: number) => void): void {
    while (this.total > max) {
      const largest = this.largest();
      if (!largest) return;
      const total = this.total;
      this.remove(largest.holder);
      evict(largest.holder, largest.bytes, total);
    }
  }

  private largest(): { holder: H; bytes: number } | undefined {
    let out: { holder: H; bytes: number } | undefined;
    for (const [holder, bytes] of this.held) if (!out || bytes > out.bytes) out = { holder, bytes };
    return out;
  }
}
