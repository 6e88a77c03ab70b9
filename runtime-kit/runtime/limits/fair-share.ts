// Fairness between streaming jobs and everything else on the event loop (issue 13: 50 sessions
// x 20k events stalled the loop 8.8 s, pings waited). JavaScript cannot preempt an agent, so
// the runtime makes yielding cheap and automatic for agents that await their emits: every
// `ctx.log / status / thought / metric / artifactRef / event` returns a promise that resolves at
// once while this event-loop turn has emitted at most `maxFramesPerTick` frames, and on the next
// turn (after pending I/O: pings, acks, other sessions' reads) once it has emitted more.
// `ctx.drain()` waits the same way. An agent that never awaits is not interrupted (documented).
const RESOLVED: Promise<void> = Promise.resolve();

export class FairShare {
  private used = 0;
  private nextTurn: Promise<void> | undefined;
  private release: (() => void) | undefined;
  private resetArmed = false;

  constructor(private readonly perTurn: number) {}

  /** Frames emitted in the current turn so far. */
  get usedThisTurn(): number {
    return this.used;
  }

  /** Counts one emitted frame; the promise says when the emitter should go on. */
  spend(): Promise<void> {
    this.armReset();
    this.used++;
    return this.wait();
  }

  /** At once with budget left in this turn; otherwise at the start of the next turn. */
  wait(): Promise<void> {
    if (this.used <= this.perTurn) return RESOLVED;
    this.armReset();
    return (this.nextTurn ??= new Promise<void>((resolve) => (this.release = resolve)));
  }

  // setImmediate runs after the poll phase: the I/O that arrived during this turn goes first.
  private armReset(): void {
    if (this.resetArmed) return;
    this.resetArmed = true;
    setImmediate(() => {
      this.resetArmed = false;
      this.used = 0;
      const release = this.release;
      this.nextTurn = undefined;
      this.release = undefined;
      release?.();
    });
  }
}
