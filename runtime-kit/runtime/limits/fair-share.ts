// Fairness between streaming jobs and everything else on the event loop (issue 13: 50 sessions
// x 20k events stalled the loop 8.8 s, pings waited). JavaScript cannot preempt an agent, so the
// runtime bounds the *expensive* part of output per event-loop turn: at most `maxFramesPerTick`
// sequenced frames are built, stored and written per turn by agent emits. An emit within the
// turn's budget goes out at once; past it, emit-outbox.ts records it cheaply and writes it on a
// later turn, a bounded chunk per turn, after the I/O that arrived meanwhile (pings, acks, other
// sessions' reads). This class is the budget and the turn boundary.
//
// A turn starts in a setImmediate callback (after the poll phase, so pending I/O goes first):
// the budget is reset, the turn's work (the outbox flush) runs first, then agents waiting for
// the turn (`wait()`) are released.
const RESOLVED: Promise<void> = Promise.resolve();

export class FairShare {
  private used = 0;
  private nextTurn: Promise<void> | undefined;
  private release: (() => void) | undefined;
  private armed = false;
  private turnWork: (() => void) | undefined;

  constructor(readonly perTurn: number) {}

  /** Frames emitted in the current turn so far. */
  get usedThisTurn(): number {
    return this.used;
  }

  /** Budget left in this turn. */
  get remaining(): number {
    return Math.max(0, this.perTurn - this.used);
  }

  /** Run at the start of every turn, before waiting agents resume (one per runtime: the outbox flush). */
  onTurn(work: () => void): void {
    this.turnWork = work;
  }

  /** Takes one frame of this turn's budget; false (nothing taken) when it is spent. */
  tryTake(): boolean {
    this.arm();
    if (this.used >= this.perTurn) return false;
    this.used++;
    return true;
  }

  /** Counts `n` frames written by the turn's work. */
  take(n: number): void {
    this.used += n;
  }

  /** Makes sure a next turn comes (the outbox has work left). */
  requestTurn(): void {
    this.arm();
  }

  /** At once with budget left in this turn; otherwise at the start of the next turn. */
  wait(): Promise<void> {
    if (this.used < this.perTurn) return RESOLVED;
    this.arm();
    return (this.nextTurn ??= new Promise<void>((resolve) => (this.release = resolve)));
  }

  // setImmediate runs after the poll phase: the I/O that arrived during this turn goes first.
  private arm(): void {
    if (this.armed) return;
    this.armed = true;
    setImmediate(() => {
      this.armed = false;
      this.used = 0;
      this.turnWork?.();
      const release = this.release;
      this.nextTurn = undefined;
      this.release = undefined;
      release?.();
    });
  }
}
