/**
 * Coalesced `session.ack` (§6.5). The spec asks clients to ack "at most every event or every few
 * hundred milliseconds, whichever is less frequent", so this never sends two acks closer than
 * `intervalMs`. Within that limit it acks as soon as `everyN` new seqs have accrued, and a
 * trailing timer makes sure a quiet stream is still acked `intervalMs` after its first unacked
 * event.
 */
import type { Clock, TimerHandle } from '../protocol/clock.js';

export interface AutoAckOptions {
  /** Ack once this many unacknowledged seqs have accrued (default 32). */
  everyN?: number;
  /** Minimum spacing between two acks, and the trailing-flush delay (default 250 ms). */
  intervalMs?: number;
}

export class AutoAcker {
  private readonly everyN: number;
  private readonly intervalMs: number;
  private acked = 0;
  private latest = 0;
  private lastSentAt = Number.NEGATIVE_INFINITY;
  private timer: TimerHandle | undefined;
  private timerAt = 0;

  constructor(
    opts: AutoAckOptions,
    private readonly clock: Clock,
    private readonly send: (seq: number) => void,
  ) {
    this.everyN = Math.max(1, Math.floor(opts.everyN ?? 32));
    this.intervalMs = Math.max(0, opts.intervalMs ?? 250);
  }

  /** Highest seq this acker has sent. */
  get lastAcked(): number {
    return this.acked;
  }

  /** A manual `ack(seq)` counts as sent, so the coalescer does not repeat it. */
  noteSent(seq: number): void {
    if (seq > this.acked) this.acked = seq;
    this.lastSentAt = this.clock.monotonic();
    if (this.latest <= this.acked) this.cancelTimer();
  }

  /** Resume re-seeds both counters (the runtime knows nothing newer than `seq`). */
  reset(seq: number): void {
    this.cancelTimer();
    this.acked = seq;
    this.latest = seq;
  }

  observe(seq: number): void {
    if (seq <= this.latest) return;
    this.latest = seq;
    const now = this.clock.monotonic();
    const earliest = this.lastSentAt + this.intervalMs;
    if (this.latest - this.acked >= this.everyN) {
      if (now >= earliest) return this.flush();
      this.armAt(earliest); // rate-limited: send as soon as the spacing allows
      return;
    }
    if (this.timer === undefined) this.armAt(Math.max(now + this.intervalMs, earliest));
  }

  /** Sends the latest seq now if it is newer than the last ack. */
  flush(): void {
    this.cancelTimer();
    if (this.latest <= this.acked) return;
    const seq = this.latest;
    this.acked = seq;
    this.lastSentAt = this.clock.monotonic();
    this.send(seq);
  }

  stop(): void {
    this.cancelTimer();
  }

  private armAt(at: number): void {
    if (this.timer !== undefined && this.timerAt <= at) return;
    this.cancelTimer();
    this.timerAt = at;
    this.timer = this.clock
      .setTimeout(() => {
        this.timer = undefined;
        this.flush();
      }, Math.max(0, at - this.clock.monotonic()))
      .unref();
  }

  private cancelTimer(): void {
    if (this.timer === undefined) return;
    this.timer.cancel();
    this.timer = undefined;
  }
}
