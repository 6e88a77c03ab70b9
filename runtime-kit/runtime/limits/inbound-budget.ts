// The global inbound budget (`maxInboundInFlightBytesTotal`): ws buffers a frame whole before the
// runtime sees it, and the per-connection cap alone (`maxInboundInFlightBytes`) still lets 4096
// connections hold 4096 x 4 MiB of frames that never finish. Each connection reports the bytes of
// the frame it is receiving as they arrive (the transport counts them on the raw socket); when the
// sum passes the budget, the connection holding the most is closed (4413) until the sum fits.
// "The most" picks a frame already past `maxFrameBytes` first whenever there is one (it is larger
// than any frame that may still be read), and that frame would be dropped anyway.
import { HolderTally } from './holder-tally.js';

/** What the budget needs from a connection's guard. */
export interface InboundHolder {
  /** Chosen as the largest holder while the sum is over the budget: close its transport. */
  overInboundBudget(heldBytes: number, totalBytes: number): void;
}

export class InboundBudget {
  private readonly tally = new HolderTally<InboundHolder>();

  constructor(readonly maxBytes: number) {}

  /** Bytes of frames still arriving on all connections, as last reported. */
  get totalBytes(): number {
    return this.tally.sum;
  }

  /** `holder` holds `bytes` of a frame still arriving; over the budget, the largest holders are evicted. */
  update(holder: InboundHolder, bytes: number): void {
    this.tally.set(holder, bytes);
    // Figures are reported as bytes arrive, so (unlike the outbound budget) none is stale.
    this.tally.evictWhileOver(this.maxBytes, (victim, held, total) => victim.overInboundBudget(held, total));
  }

  remove(holder: InboundHolder): void {
    this.tally.remove(holder);
  }
}
