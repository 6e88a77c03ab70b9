// Request -> reply round trips measured on the wire, shared by every connection of a run, so the
// time the harness gives a reply to arrive follows the peer's measured speed instead of a fixed
// guess: a fast peer's missing reply is declared missing quickly, a slow peer gets longer.

/** Replies are immediate protocol answers: this many worst round trips is "not coming". */
const RTT_MULTIPLE = 50;
/** Never declare a reply missing sooner than this (event-loop stalls on a loaded 2-core machine). */
const FLOOR_MS = 1_500;
/** Recent samples kept (a peer under load slows down; old fast samples must not hide that). */
const WINDOW = 64;

export class RoundTrips {
  private readonly samples: number[] = [];

  record(ms: number): void {
    this.samples.push(ms);
    if (this.samples.length > WINDOW) this.samples.shift();
  }

  get count(): number {
    return this.samples.length;
  }

  /** Worst recent round trip, ms (undefined before the first sample). */
  get worstMs(): number | undefined {
    return this.samples.length ? Math.max(...this.samples) : undefined;
  }

  /**
   * How long to wait for a reply to a request: `RTT_MULTIPLE` worst recent round trips, at least
   * `FLOOR_MS`, at most `capMs` (the run's --timeout). Before any sample: `capMs`.
   */
  replyWaitMs(capMs: number): number {
    const worst = this.worstMs;
    if (worst === undefined) return capMs;
    return Math.min(capMs, Math.max(FLOOR_MS, Math.ceil(worst * RTT_MULTIPLE)));
  }
}
