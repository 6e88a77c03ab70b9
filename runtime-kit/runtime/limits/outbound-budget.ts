// The global outbound budget (`maxOutboundBufferedBytesTotal`): the per-connection cap alone
// lets 4096 slow readers hold 4096 x 16 MiB. Each connection reports what it holds after every
// write; when the sum passes the budget, the connection holding the most gets the stalled-reader
// treatment (§6.5: its session is detached and resumable, its events stay in the resume buffer,
// the transport is closed with 4508), until the sum fits again.

/** What the budget needs from a connection's guard. */
export interface OutboundHolder {
  /** Unflushed bytes it holds now (re-read when the recorded figures pass the budget). */
  outboundBytes(): number;
  /** Chosen as the largest holder while the sum is over the budget: close it as a stalled reader. */
  overBudget(totalBytes: number): void;
}

export class OutboundBudget {
  private readonly held = new Map<OutboundHolder, number>();
  private sum = 0;

  constructor(readonly maxBytes: number) {}

  /** Bytes all connections held at their last write (an upper bound: they may have drained since). */
  get totalBytes(): number {
    return this.sum;
  }

  /** Past this, writers with a backlog are told `status back_pressure`. */
  get highWaterBytes(): number {
    return this.maxBytes / 2;
  }

  /** `holder` holds `bytes` now; over the budget, the largest holders are evicted. */
  update(holder: OutboundHolder, bytes: number): void {
    const before = this.held.get(holder) ?? 0;
    if (bytes > 0) this.held.set(holder, bytes);
    else this.held.delete(holder);
    this.sum += bytes - before;
    if (this.sum > this.maxBytes) this.enforce();
  }

  remove(holder: OutboundHolder): void {
    const before = this.held.get(holder);
    if (before === undefined) return;
    this.held.delete(holder);
    this.sum -= before;
  }

  private enforce(): void {
    // Other connections' figures are from their last write: re-read them before choosing.
    this.sum = 0;
    for (const holder of this.held.keys()) {
      const bytes = holder.outboundBytes();
      if (bytes > 0) {
        this.held.set(holder, bytes);
        this.sum += bytes;
      } else {
        this.held.delete(holder);
      }
    }
    while (this.sum > this.maxBytes) {
      let victim: OutboundHolder | undefined;
      let most = 0;
      for (const [holder, bytes] of this.held) {
        if (bytes > most) {
          most = bytes;
          victim = holder;
        }
      }
      if (!victim) return;
      const total = this.sum;
      this.remove(victim);
      victim.overBudget(total);
    }
  }
}
