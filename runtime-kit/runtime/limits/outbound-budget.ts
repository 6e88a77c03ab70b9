// The global outbound budget (`maxOutboundBufferedBytesTotal`): the per-connection cap alone
// lets 4096 slow readers hold 4096 x 16 MiB. Each connection reports what it holds after every
// write; when the sum passes the budget, the connection holding the most gets the stalled-reader
// treatment (§6.5: its session is detached and resumable, its events stay in the resume buffer,
// the transport is closed with 4508), until the sum fits again.
import { HolderTally } from './holder-tally.js';

/** What the budget needs from a connection's guard. */
export interface OutboundHolder {
  /** Unflushed bytes it holds now (re-read when the recorded figures pass the budget). */
  outboundBytes(): number;
  /** Chosen as the largest holder while the sum is over the budget: close it as a stalled reader. */
  overBudget(totalBytes: number): void;
}

export class OutboundBudget {
  private readonly tally = new HolderTally<OutboundHolder>();

  constructor(readonly maxBytes: number) {}

  /** Bytes all connections held at their last write (an upper bound: they may have drained since). */
  get totalBytes(): number {
    return this.tally.sum;
  }

  /** Past this, writers with a backlog are told `status back_pressure`. */
  get highWaterBytes(): number {
    return this.maxBytes / 2;
  }

  /** `holder` holds `bytes` now; over the budget, the largest holders are evicted. */
  update(holder: OutboundHolder, bytes: number): void {
    this.tally.set(holder, bytes);
    if (this.tally.sum > this.maxBytes) this.enforce();
  }

  remove(holder: OutboundHolder): void {
    this.tally.remove(holder);
  }

  private enforce(): void {
    // Other connections' figures are from their last write: re-read them before choosing.
    for (const holder of this.tally.holders()) this.tally.set(holder, holder.outboundBytes());
    this.tally.evictWhileOver(this.maxBytes, (holder, _bytes, total) => holder.overBudget(total));
  }
}
