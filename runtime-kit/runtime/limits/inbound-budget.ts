// The global inbound budget (`maxInboundInFlightBytesTotal`): ws buffers a frame whole before the
// runtime sees it, and the per-connection cap alone (`maxInboundInFlightBytes`) still lets 4096
// connections hold 4096 x 4 MiB of frames that never finish. Each connection reports the bytes of
// the frame it is receiving as they arrive (the transport counts them on the raw socket); when the
// sum passes the budget, connections are closed (4413) until the sum fits.
// Which one: a frame already past `maxFrameBytes` first whenever there is one (the largest such;
// it would be dropped anyway), otherwise the frame that has been arriving the longest. Not the
// largest: an attacker holding many frames each a little smaller than an honest one, together just
// under the budget, made every honest frame the largest as it arrived, at a one-off cost. An
// honest frame arrives at line speed, so it is young; a frame held to pin memory is old, and an
// attacker who keeps restarting its frames to stay younger pays for the budget's worth again for
// every frame it wants cut off.
import { HolderTally, type Held } from './holder-tally.js';

/** What the budget needs from a connection's guard. */
export interface InboundHolder {
  /** Chosen while the sum is over the budget: close its transport. */
  overInboundBudget(heldBytes: number, totalBytes: number): void;
}

export class InboundBudget {
  private readonly tally = new HolderTally<InboundHolder>();

  constructor(
    readonly maxBytes: number,
    /** The runtime's frame cap: a frame still arriving past it is dropped once read, so it goes first. */
    private readonly maxFrameBytes: number,
  ) {}

  /** Bytes of frames still arriving on all connections, as last reported. */
  get totalBytes(): number {
    return this.tally.sum;
  }

  /** `holder` holds `bytes` of a frame still arriving; over the budget, holders are evicted (see above). */
  update(holder: InboundHolder, bytes: number): void {
    this.tally.set(holder, bytes);
    // Figures are reported as bytes arrive, so (unlike the outbound budget) none is stale.
    this.tally.evictWhileOver(this.maxBytes, (victim, held, total) => victim.overInboundBudget(held, total), () => this.victim());
  }

  remove(holder: InboundHolder): void {
    this.tally.remove(holder);
  }

  private victim(): Held<InboundHolder> | undefined {
    const largest = this.tally.largest();
    return largest !== undefined && largest.bytes > this.maxFrameBytes ? largest : this.tally.oldest();
  }
}
