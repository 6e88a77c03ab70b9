// Idempotency keys (§7.2; catalog §6.10, §10 #17): scoped by principal, ">= 24 h", "identical"
// means the whole submit payload is deep-equal (key order irrelevant).
import { isDeepStrictEqual } from 'node:util';

export interface IdempotencyRecord<J> {
  job: J;
  /** The submit payload that created the job, compared against later submits. */
  submitPayload: unknown;
  createdAtMs: number;
  /** Present while the first submit is still being accepted (e.g. credentials being issued). */
  settled?: Promise<void>;
}

export type IdempotencyHit<J> =
  | { kind: 'miss' }
  | { kind: 'same'; job: J; settled?: Promise<void> }
  | { kind: 'conflict'; job: J; settled?: Promise<void> };

export class IdempotencyStore<J> {
  private readonly records = new Map<string, IdempotencyRecord<J>>();

  constructor(private readonly ttlMs: number = 24 * 60 * 60 * 1000) {}

  lookup(principal: string, key: string, submitPayload: unknown, nowMs: number): IdempotencyHit<J> {
    const record = this.records.get(scope(principal, key));
    if (!record) return { kind: 'miss' };
    if (nowMs - record.createdAtMs >= this.ttlMs) {
      this.records.delete(scope(principal, key));
      return { kind: 'miss' };
    }
    const kind = isDeepStrictEqual(record.submitPayload, submitPayload) ? 'same' : 'conflict';
    return record.settled ? { kind, job: record.job, settled: record.settled } : { kind, job: record.job };
  }

  /**
   * Records the key's job. With `settled`, the job is still being accepted: a retry meanwhile
   * must wait for it instead of creating a second job; remember again (or forget) once it is.
   */
  remember(principal: string, key: string, submitPayload: unknown, job: J, nowMs: number, settled?: Promise<void>): void {
    this.records.set(scope(principal, key), { job, submitPayload, createdAtMs: nowMs, ...(settled ? { settled } : {}) });
  }

  /** Drops the key if it still names `job` (its submit was refused, so a retry starts afresh). */
  forget(principal: string, key: string, job: J): void {
    if (this.records.get(scope(principal, key))?.job === job) this.records.delete(scope(principal, key));
  }

  /** Drops expired records (called from the runtime's periodic sweep). */
  sweep(nowMs: number): void {
    for (const [k, r] of this.records) if (nowMs - r.createdAtMs >= this.ttlMs) this.records.delete(k);
  }

  get size(): number {
    return this.records.size;
  }
}

// NUL cannot appear in a principal from our authenticators' maps in practice, and the key is
// last, so "a\0b" + "c" and "a" + "b\0c" still differ by principal field length being explicit.
function scope(principal: string, key: string): string {
  return `${principal.length}:${principal}\0${key}`;
}
