// Ack lag watch (§6.5, catalog §6.6): when latest seq - acked seq exceeds the threshold, say so
// once with a `status back_pressure` event; re-arm when the lag falls to threshold / 2.

export class BackPressureGauge {
  private armed = true;

  constructor(private readonly threshold: number) {}

  /** True exactly when a back_pressure event should be emitted now. */
  onEmit(latestSeq: number, ackedSeq: number): boolean {
    if (!this.armed) return false;
    if (latestSeq - ackedSeq <= this.threshold) return false;
    this.armed = false;
    return true;
  }

  onAck(latestSeq: number, ackedSeq: number): void {
    if (!this.armed && latestSeq - ackedSeq <= this.threshold / 2) this.armed = true;
  }

  get isArmed(): boolean {
    return this.armed;
  }
}
