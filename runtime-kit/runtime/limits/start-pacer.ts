// Agents start one per event-loop turn (issue 13). An agent's first synchronous stretch runs
// when it starts and cannot be interrupted; 50 submits read in one poll phase used to start 50
// agents back to back, so a ping read in that phase waited for all of their loops. Started from
// a setImmediate chain instead, one agent per turn, the poll phase (pings, acks, other
// sessions) runs between any two agents' first stretches. The order of starts is submit order.
export class StartPacer {
  private readonly queue: Array<() => void> = [];
  private head = 0;
  private armed = false;

  /** Runs `start` on a later turn, after the starts queued before it, one per turn. */
  enqueue(start: () => void): void {
    this.queue.push(start);
    this.arm();
  }

  private arm(): void {
    if (this.armed) return;
    this.armed = true;
    setImmediate(() => this.runOne());
  }

  private runOne(): void {
    this.armed = false;
    const start = this.queue[this.head];
    if (start === undefined) return;
    this.queue[this.head++] = undefined as never;
    if (this.head === this.queue.length) {
      this.queue.length = 0;
      this.head = 0;
    } else {
      this.arm(); // scheduled from the check phase: runs on the next turn, after its poll phase
    }
    start();
  }
}
