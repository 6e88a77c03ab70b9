// Idempotency keys (§7.2; catalog §6.10, §10 #17): scoped by principal, ">= 24 h", "identical"
// means the whole submit payload is deep-equal (key order irrelevant).
// The record keeps a digest of the payload, not the payload: a retained key must not hold a
// 1 MiB input for 24 h (issue 13 memory budgets).
import { createHash } from 'node:crypto';

export interface IdempotencyRecord<J> {
  job: J;
  /** SHA-256 of the canonical JSON (sorted keys) of the submit payload that created the job. */
  payloadDigest: string;
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
    const kind = record.payloadDigest === payloadDigest(submitPayload) ? 'same' : 'conflict';
    return record.settled ? { kind, job: record.job, settled: record.settled } : { kind, job: record.job };
  }

  /**
   * Records the key's job. With `settled`, the job is still being accepted: a retry meanwhile
   * must wait for it instead of creating a second job; remember again (or forget) once it is.
   */
  remember(principal: string, key: string, submitPayload: unknown, job: J, nowMs: number, settled?: Promise<void>): void {
    this.records.set(scope(principal, key), { job, payloadDigest: payloadDigest(submitPayload), createdAtMs: nowMs, ...(settled ? { settled } : {}) });
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

/** Key order never matters ("identical" is deep equality). Iterative: any nesting depth JSON.parse accepted. */
export function payloadDigest(value: unknown): string {
  const hash = createHash('sha256');
  // Work items: a value to write, or a literal token.
  const todo: Array<{ v: unknown } | string> = [{ v: value }];
  while (todo.length > 0) {
    const item = todo.pop()!;
    if (typeof item === 'string') {
      hash.update(item);
      continue;
    }
    const v = item.v;
    if (Array.isArray(v)) {
      todo.push(']');
      for (let i = v.length - 1; i >= 0; i--) todo.push(',', { v: v[i] });
      hash.update('[');
    } else if (v !== null && typeof v === 'object') {
      todo.push('}');
      const keys = Object.keys(v).sort();
      for (let i = keys.length - 1; i >= 0; i--) {
        const child = (v as Record<string, unknown>)[keys[i]!];
        if (child !== undefined) todo.push(',', { v: child }, `${JSON.stringify(keys[i])}:`);
      }
      hash.update('{');
    } else {
      hash.update(JSON.stringify(v) ?? 'undefined');
    }
  }
  return hash.digest('hex');
}
