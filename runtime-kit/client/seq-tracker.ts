/**
 * Session-scoped `event_seq` bookkeeping on the client (§8.3): strictly monotonic and gap-free.
 * A seq at or below the latest is a duplicate (e.g. a replay overlapping what we already saw)
 * and is dropped; a jump past latest+1 is a gap, which makes the session broken and calls for
 * a resume from the last contiguous seq.
 */
export type SeqVerdict = 'next' | 'duplicate' | { gapFrom: number; gapTo: number };

export class SeqTracker {
  private last = 0;

  /** Highest contiguous seq seen; what `session.ack` and resume's `last_event_seq` report. */
  get latest(): number {
    return this.last;
  }

  /** Starts counting from `lastEventSeq` (a fresh session is 0; a resume is the client's last seq). */
  seed(lastEventSeq: number): void {
    this.last = lastEventSeq;
  }

  observe(seq: number): SeqVerdict {
    if (seq <= this.last) return 'duplicate';
    if (seq === this.last + 1) {
      this.last = seq;
      return 'next';
    }
    return { gapFrom: this.last + 1, gapTo: seq - 1 };
  }
}
