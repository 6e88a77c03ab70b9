// Idempotency keys (§7.2) journaled to the RuntimeStore once their job is accepted, so a retry
// after a restart still gets the first job (a key whose submit is still being accepted is not
// journaled: if the process dies then, no job.accepted was ever sent for it). Every key that
// leaves the table (expired, evicted by the key budget, or its submit refused) leaves the store
// too, so the store holds no more keys than the memory budget allows.
import { IdempotencyStore, payloadDigest, type IdempotencyStoreOptions } from '../idempotency.js';
import type { Job } from '../job.js';
import type { KeyedJob } from '../keyed-job.js';
import type { RuntimeStore } from '../../store/runtime-store.js';

export class JournaledIdempotencyStore extends IdempotencyStore<KeyedJob> {
  constructor(
    ttlMs: number,
    private readonly store: RuntimeStore,
    opts: IdempotencyStoreOptions<KeyedJob> = {},
  ) {
    super(ttlMs, opts);
  }

  override remember(principal: string, key: string, submitPayload: unknown, job: KeyedJob, nowMs: number, settled?: Promise<void>): void {
    const digest = payloadDigest(submitPayload);
    this.put(principal, key, digest, job, nowMs, settled);
    // The digest, not the payload: a key must not keep a 1 MiB input in the store for 24 h either.
    if (!settled) this.store.saveIdempotencyKey({ principal, key, payload_digest: digest, job_id: job.jobId, created_at: nowMs });
  }

  protected override dropped(principal: string, key: string): void {
    this.store.deleteIdempotencyKey(principal, key);
  }

  /** Puts a stored key back without journaling it again (restart). */
  restore(principal: string, key: string, digest: string, job: Job, createdAtMs: number): void {
    this.put(principal, key, digest, job, createdAtMs);
  }
}
