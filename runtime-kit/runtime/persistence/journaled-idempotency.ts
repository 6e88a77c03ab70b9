// Idempotency keys (§7.2) journaled to the RuntimeStore once their job is accepted, so a retry
// after a restart still gets the first job (a key whose submit is still being accepted is not
// journaled: if the process dies then, no job.accepted was ever sent for it).
import { IdempotencyStore } from '../idempotency.js';
import type { Job } from '../job.js';
import type { RuntimeStore } from '../../store/runtime-store.js';

export class JournaledIdempotencyStore extends IdempotencyStore<Job> {
  constructor(
    ttlMs: number,
    private readonly store: RuntimeStore,
  ) {
    super(ttlMs);
  }

  override remember(principal: string, key: string, submitPayload: unknown, job: Job, nowMs: number, settled?: Promise<void>): void {
    super.remember(principal, key, submitPayload, job, nowMs, settled);
    if (!settled) this.store.saveIdempotencyKey({ principal, key, submit_payload: submitPayload, job_id: job.jobId, created_at: nowMs });
  }

  override forget(principal: string, key: string, job: Job): void {
    super.forget(principal, key, job);
    this.store.deleteIdempotencyKey(principal, key);
  }

  /** Puts a stored key back without journaling it again (restart). */
  restore(principal: string, key: string, submitPayload: unknown, job: Job, createdAtMs: number): void {
    super.remember(principal, key, submitPayload, job, createdAtMs);
  }
}
