/**
 * A bounded, single-consumer async queue: producers push synchronously from the frame
 * dispatcher, the consumer pulls with `for await`. Items pushed before the consumer starts are
 * kept, so nothing is lost between `submit()` resolving and the first `events()` call, up to
 * `maxItems` items and `maxBytes` (as the producer sizes them). Past either, the OLDEST unread
 * items are dropped: the producer is a remote peer that must not grow our memory without bound
 * (issue 13: 300,000 unread events held 94 MB), and pausing the transport instead would stall
 * every other job of the session behind one handle nobody reads. The drop is not silent: the
 * next read rejects once with `overflow(dropped, first, last)`, then delivers what was kept.
 */
export interface EventQueueBounds<T> {
  maxItems: number;
  maxBytes: number;
  /** The error the consumer's next read rejects with after `dropped` items, `first`..`last`, were dropped. */
  overflow: (dropped: number, first: T, last: T) => unknown;
}

export class EventQueue<T> implements AsyncIterable<T> {
  private items: (T | undefined)[] = [];
  private sizes: number[] = [];
  private head = 0;
  private bytes = 0;
  private waiter: { resolve: (r: IteratorResult<T>) => void; reject: (e: unknown) => void } | undefined;
  private ended = false;
  private failure: unknown;
  private failed = false;
  private dropped: { count: number; first: T; last: T } | undefined;

  constructor(private readonly bounds: EventQueueBounds<T>) {}

  /** Number of items buffered and not yet consumed. */
  get size(): number {
    return this.items.length - this.head;
  }

  /** True once `end()` or `fail()` was called (buffered items may still be pending). */
  get closed(): boolean {
    return this.ended || this.failed;
  }

  /** Buffers `item`, sized `bytes`; past the bounds the oldest unread items are dropped. */
  push(item: T, bytes = 0): void {
    if (this.closed) return;
    const w = this.waiter;
    if (w) {
      this.waiter = undefined;
      w.resolve({ value: item, done: false });
      return;
    }
    this.items.push(item);
    this.sizes.push(bytes);
    this.bytes += bytes;
    while (this.size > 0 && (this.size > this.bounds.maxItems || this.bytes > this.bounds.maxBytes)) this.dropOldest();
  }

  private dropOldest(): void {
    const item = this.shift();
    if (this.dropped) {
      this.dropped.count++;
      this.dropped.last = item;
    } else {
      this.dropped = { count: 1, first: item, last: item };
    }
  }

  /** Takes the oldest buffered item (the caller checked there is one). */
  private shift(): T {
    const value = this.items[this.head] as T;
    // Cleared so a dropped or consumed item is not kept alive until the next compaction.
    this.items[this.head] = undefined;
    this.bytes -= this.sizes[this.head] ?? 0;
    this.head++;
    // Compact occasionally so the arrays do not grow with everything ever pushed.
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.sizes = this.sizes.slice(this.head);
      this.head = 0;
    }
    return value;
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
    const dropped = this.dropped;
    if (dropped) {
      this.dropped = undefined;
      return Promise.reject(this.bounds.overflow(dropped.count, dropped.first, dropped.last));
    }
    if (this.head < this.items.length) return Promise.resolve({ value: this.shift(), done: false });
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
