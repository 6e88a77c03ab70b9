// The write-behind queue both durable stores share: writes are queued in call order and
// committed together once per tick (setImmediate), and a callback registered with afterDurable
// runs only after every write queued before it is committed. Commits never overlap, so batches
// (and their callbacks) complete in order even when the engine is asynchronous (Redis).

interface Batch<Op> {
  ops: Op[];
  waiters: (() => void)[];
}

export class WriteBehind<Op> {
  private open: Batch<Op> = { ops: [], waiters: [] };
  /** Batches handed to the engine whose callbacks have not run yet, oldest first. */
  private readonly inflight: Batch<Op>[] = [];
  private chain: Promise<void> = Promise.resolve();
  private scheduled = false;
  /** Halted for good (a fenced cluster node): nothing more is committed and no callback runs. */
  private halted = false;

  constructor(
    private readonly commit: (ops: Op[]) => void | Promise<void>,
    /** A failed commit: reported, then the batch's callbacks still run (the stream goes on). */
    private readonly onError: (err: unknown) => void,
  ) {}

  push(op: Op): void {
    if (this.halted) return;
    this.open.ops.push(op);
    this.schedule();
  }

  get pending(): boolean {
    return this.open.ops.length > 0 || this.inflight.length > 0;
  }

  afterDurable(fn: () => void): boolean {
    if (this.halted) return true; // never durable: `fn` (a send) must not run
    if (this.open.ops.length > 0 || this.open.waiters.length > 0) this.open.waiters.push(fn);
    else if (this.inflight.length > 0) this.inflight[this.inflight.length - 1]!.waiters.push(fn);
    else return false;
    return true;
  }

  /**
   * Stops for good: what is queued is dropped, batches already handed to the engine run none of
   * their callbacks, and later writes and callbacks are dropped (the sends they guard never go).
   */
  halt(): void {
    this.halted = true;
    this.open = { ops: [], waiters: [] };
  }

  /** Commits everything queued now; resolves once it (and everything before it) is durable. */
  flush(): Promise<void> {
    if (this.open.ops.length === 0 && this.open.waiters.length === 0) return this.chain;
    const batch = this.open;
    this.open = { ops: [], waiters: [] };
    this.inflight.push(batch);
    this.chain = this.chain.then(() => this.run(batch));
    return this.chain;
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.flush();
    });
  }

  private async run(batch: Batch<Op>): Promise<void> {
    try {
      if (batch.ops.length > 0) await this.commit(batch.ops);
    } catch (err) {
      this.onError(err);
    }
    this.inflight.shift();
    if (this.halted) return;
    for (const fn of batch.waiters) {
      try {
        fn();
      } catch (err) {
        this.onError(err);
      }
    }
  }
}
