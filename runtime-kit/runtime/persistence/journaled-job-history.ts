// Subscription history (§7.6) kept in memory for replay and journaled to the RuntimeStore, so a
// restarted runtime (or another node) can still replay a job from its first event.
//
// Once the job ends, its stored `status credential_rotated` entries are replaced by the notice
// observers get (redaction.ts): the value was revoked at the terminal (§9.8.2) and is not kept
// beyond the job (§14), and a later history replay only needs to show that, and which, credential
// rotated. The few entries that carry a value are remembered per job for that, not searched for.
import type { JobHistory, JobHistoryEntry } from '../subscriptions/job-history.js';
import { redactForwardedPayload } from '../subscriptions/redaction.js';
import type { JobHistoryRecord, RuntimeStore } from '../../store/runtime-store.js';

export class JournaledJobHistory implements JobHistory {
  /** Per job, the stored entries that carry a credential value (rotations). */
  private readonly secrets = new Map<string, JobHistoryRecord[]>();
  /** Jobs whose stored history went through this object (else it was written elsewhere). */
  private readonly known = new Set<string>();

  constructor(
    private readonly inner: JobHistory,
    private readonly store: RuntimeStore,
  ) {}

  record(jobId: string, entry: JobHistoryEntry): void {
    this.inner.record(jobId, entry);
    const stored: JobHistoryRecord = {
      seq: entry.seq,
      type: entry.type,
      ...(entry.traceId !== undefined ? { trace_id: entry.traceId } : {}),
      payload: entry.payload,
    };
    this.store.appendJobHistory(jobId, stored);
    this.known.add(jobId);
    this.noteSecret(jobId, stored);
  }

  /** This object saw every stored entry of the job (it ran here, or was restored here). */
  knows(jobId: string): boolean {
    return this.known.has(jobId);
  }

  /** The job ended: its stored entries that carry a credential value are replaced by redacted ones. */
  scrub(jobId: string): void {
    const entries = this.secrets.get(jobId);
    if (!entries) return;
    this.secrets.delete(jobId);
    for (const e of entries) this.store.replaceJobHistory(jobId, e, { ...e, payload: redactForwardedPayload(e.type, e.payload, false) });
  }

  /** The stored history of a job that ran elsewhere (a dead node's, ended here): scrubs what carries a value. */
  scrubStored(jobId: string, stored: readonly JobHistoryRecord[]): void {
    for (const e of stored) this.noteSecret(jobId, e);
    this.scrub(jobId);
  }

  private noteSecret(jobId: string, stored: JobHistoryRecord): void {
    if (redactForwardedPayload(stored.type, stored.payload, false) === stored.payload) return;
    const list = this.secrets.get(jobId);
    if (list) list.push(stored);
    else this.secrets.set(jobId, [stored]);
  }

  after(jobId: string, fromSeq: number): readonly JobHistoryEntry[] {
    return this.inner.after(jobId, fromSeq);
  }

  /** Memory only: the stored history goes with the job record (JobRegistry observer). */
  forget(jobId: string): void {
    this.inner.forget(jobId);
    this.secrets.delete(jobId);
    this.known.delete(jobId);
  }

  /** Puts entries back in memory (another node's output, cluster.ts). */
  restore(jobId: string, entries: readonly JobHistoryEntry[]): void {
    for (const e of entries) this.inner.record(jobId, e);
  }

  /** Puts back what the store held (restart); a running job's rotations are scrubbed when it ends. */
  restoreStored(jobId: string, stored: readonly JobHistoryRecord[]): void {
    this.restore(jobId, stored.map((e) => ({ seq: e.seq, type: e.type, traceId: e.trace_id, payload: e.payload })));
    this.known.add(jobId);
    for (const e of stored) this.noteSecret(jobId, e);
  }
}
