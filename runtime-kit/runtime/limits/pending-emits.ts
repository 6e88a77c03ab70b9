// One session's deferred sequenced output (emit-outbox.ts): a FIFO of emits that were checked
// and copied when the agent made them, waiting to be sequenced and written. FIFO per
// session, so the session's seqs come out in exactly the order the emits were made.
import type { Job, SequencedType } from '../job.js';
import type { Session } from '../session.js';

export interface PendingEmit {
  readonly job: Job;
  readonly type: SequencedType;
  /** A copy of the payload taken at emit time (emit-snapshot.ts): later mutation by the agent cannot change it. */
  readonly payload: unknown;
  /** Characters counted against the caps (the payload's estimated JSON length plus a per-entry overhead). */
  readonly cost: number;
  /** Set for a re-stamp of a job's terminal into a session other than through job.emit (idempotent replay). */
  readonly replayTo?: Session;
}

export class PendingEmits {
  private entries: PendingEmit[] = [];
  private head = 0;
  /** Characters held (sum of `cost`). */
  chars = 0;
  private drained: Promise<void> | undefined;
  private wake: (() => void) | undefined;

  get size(): number {
    return this.entries.length - this.head;
  }

  push(entry: PendingEmit): void {
    this.entries.push(entry);
    this.chars += entry.cost;
  }

  /** The oldest entry, removed; undefined when empty. */
  shift(): PendingEmit | undefined {
    if (this.head === this.entries.length) return undefined;
    const entry = this.entries[this.head]!;
    this.entries[this.head++] = undefined as never; // let it be collected
    this.chars -= entry.cost;
    // Compact now and then so a long-lived queue does not keep a long dead prefix.
    if (this.head === this.entries.length) {
      this.entries = [];
      this.head = 0;
    } else if (this.head >= 1024 && this.head * 2 >= this.entries.length) {
      this.entries = this.entries.slice(this.head);
      this.head = 0;
    }
    return entry;
  }

  /** Resolves once everything queued so far has been written (at once when empty). */
  whenDrained(): Promise<void> {
    if (this.size === 0) return Promise.resolve();
    return (this.drained ??= new Promise<void>((resolve) => (this.wake = resolve)));
  }

  /** Called by the outbox when the queue has run empty. */
  settle(): void {
    const wake = this.wake;
    this.drained = undefined;
    this.wake = undefined;
    wake?.();
  }
}
