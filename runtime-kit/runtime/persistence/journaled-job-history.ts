// Subscription history (§7.6) kept in memory for replay and journaled to the RuntimeStore, so a
// restarted runtime (or another node) can still replay a job from its first event.
import type { JobHistory, JobHistoryEntry } from '../subscriptions/job-history.js';
import type { RuntimeStore } from '../../store/runtime-store.js';

export class JournaledJobHistory implements JobHistory {
  constructor(
    private readonly inner: JobHistory,
    private readonly store: RuntimeStore,
  ) {}

  record(jobId: string, entry: JobHistoryEntry): void {
    this.inner.record(jobId, entry);
    this.store.appendJobHistory(jobId, {
      seq: entry.seq,
      type: entry.type,
      ...(entry.traceId !== undefined ? { trace_id: entry.traceId } : {}),
      payload: entry.payload,
    });
  }

  after(jobId: string, fromSeq: number): readonly JobHistoryEntry[] {
    return this.inner.after(jobId, fromSeq);
  }

  /** Memory only: the stored history goes with the job record (JobRegistry observer). */
  forget(jobId: string): void {
    this.inner.forget(jobId);
  }

  /** Puts back what the store held (restart). */
  restore(jobId: string, entries: readonly JobHistoryEntry[]): void {
    for (const e of entries) this.inner.record(jobId, e);
  }
}
