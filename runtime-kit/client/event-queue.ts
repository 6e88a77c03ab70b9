/**
 * An unbounded, single-consumer async queue: producers push synchronously from the frame
 * dispatcher, the consumer pulls with `for await`. Everything pushed before the consumer starts
 * is kept, so no event is lost between `submit()` resolving and the first `events()` call.
 */
export class EventQueue<T> implements AsyncIterable<T> {
  private readonly items: T[] = [];
  private head = 0;
  private waiter: { resolve: (r: IteratorResult<T>) => void; reject: (e: unknown) => void } | undefined;
  private ended = false;
  private failure: unknown;
  private failed = false;

  /** Number of items buffered and not yet consumed. */
  get size(): number {
    return this.items.length - this.head;
  }

  /** True once `end()` or `fail()` was called (buffered items may still be pending). */
  get closed(): boolean {
    return this.ended || this.failed;
  }

  push(item: T): void {
    if (this.closed) return;
    const w = this.waiter;
    if (w) {
      this.waiter = undefined;
      w.resolve({ value: item, done: false });
      return;
    }
    this.items.push(item);
  }

  /** Visits the items buffered and not yet consumed (to scrub them in place). */
  forEachBuffered(fn: (item: T) => void): void {
    for (let i = this.head; i < this.items.length; i++) fn(this.items[i] as T);
  }

  /** Ends the stream after the buffered items are drained. */
  end(): void {
    if (this.closed) return;
    this.ended = true;
    this.wake();
  }

  /** Ends the stream with an error, thrown to the consumer after the buffered items. */
  fail(err: unknown): void {
    if (this.closed) return;
    this.failed = true;
    this.failure = err;
    this.wake();
  }

  private wake(): void {
    const w = this.waiter;
    if (!w) return;
    this.waiter = undefined;
    if (this.failed) w.reject(this.failure);
    else w.resolve({ value: undefined, done: true });
  }

  next(): Promise<IteratorResult<T>> {
    if (this.head < this.items.length) {
      const value = this.items[this.head++] as T;
      // Compact occasionally so a long stream does not keep every consumed item alive.
      if (this.head > 1024 && this.head * 2 > this.items.length) {
        this.items.splice(0, this.head);
        this.head = 0;
      }
      return Promise.resolve({ value, done: false });
    }
    if (this.failed) return Promise.reject(this.failure);
    if (this.ended) return Promise.resolve({ value: undefined, done: true });
    if (this.waiter) return Promise.reject(new Error('EventQueue supports a single concurrent consumer'));
    return new Promise((resolve, reject) => {
      this.waiter = { resolve, reject };
    });
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return {
      next: () => this.next(),
      // Breaking out of `for await` must not end the queue: a later `events()` call continues.
      return: () => Promise.resolve({ value: undefined, done: true }),
    };
  }
}
