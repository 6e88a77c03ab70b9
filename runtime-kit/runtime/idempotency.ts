// Idempotency keys (§7.2; catalog §6.10, §10 #17): scoped by principal, ">= 24 h", "identical"
// means the whole submit payload is deep-equal (key order irrelevant).
// The record keeps a digest of the payload, not the payload: a retained key must not hold a
// 1 MiB input for 24 h (issue 13 memory budgets). The keys themselves are budgeted too: their
// length, and their number per principal and overall (see IdempotencyStore).
import { createHash } from 'node:crypto';
import type { ARCPError } from '../errors/index.js';
import { limitError } from './limits/limit-errors.js';
import { DEFAULT_LIMITS, type RuntimeLimits } from './limits/limits-options.js';

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

type KeyLimits = Pick<RuntimeLimits, 'maxIdempotencyKeyBytes' | 'maxIdempotencyKeysPerPrincipal' | 'maxIdempotencyKeys'>;

export interface IdempotencyStoreOptions<J> {
  limits?: Readonly<KeyLimits>;
  /** Whether the key's job has ended (only then may its key be evicted). Default: never. */
  isFinished?: (job: J) => boolean;
  /** What the key keeps of a job once it has ended (keyed-job.ts). Default: the job itself. */
  compact?: (job: J) => J;
}

interface Entry<J> extends IdempotencyRecord<J> {
  principal: string;
  key: string;
  finished: boolean;
}

/** One principal's keys: those whose job runs (or is being accepted), and those whose job ended, oldest first. */
interface PrincipalKeys {
  open: number;
  finished: Set<string>;
}

/**
 * Memory budget (issue 13): at most `maxIdempotencyKeysPerPrincipal` / `maxIdempotencyKeys`
 * keys. A new key makes room by evicting keys whose job has ended, **oldest finished first**
 * (the order finished-job retention uses); a key whose job still runs is never evicted (it must
 * keep answering), so when only those are left the submit is refused (`admit`). An evicted key
 * is forgotten like an expired one: a later submit with it creates a new job.
 */
export class IdempotencyStore<J> {
  private readonly records = new Map<string, Entry<J>>();
  private readonly byPrincipal = new Map<string, PrincipalKeys>();
  /** Scopes of keys whose job ended, all principals, oldest finished first. */
  private readonly finished = new Set<string>();
  /** Scope of each key whose job has not ended yet (moved to `finished` by jobEnded). */
  private readonly openByJob = new Map<J, string>();
  private readonly limits: Readonly<KeyLimits>;
  private readonly isFinished: (job: J) => boolean;
  private readonly compact: (job: J) => J;

  constructor(
    private readonly ttlMs: number = 24 * 60 * 60 * 1000,
    opts: IdempotencyStoreOptions<J> = {},
  ) {
    this.limits = opts.limits ?? DEFAULT_LIMITS;
    this.isFinished = opts.isFinished ?? (() => false);
    this.compact = opts.compact ?? ((job) => job);
  }

  lookup(principal: string, key: string, submitPayload: unknown, nowMs: number): IdempotencyHit<J> {
    const record = this.records.get(scope(principal, key));
    if (!record) return { kind: 'miss' };
    if (nowMs - record.createdAtMs >= this.ttlMs) {
      this.drop(scope(principal, key));
      return { kind: 'miss' };
    }
    const kind = record.payloadDigest === payloadDigest(submitPayload) ? 'same' : 'conflict';
    return record.settled ? { kind, job: record.job, settled: record.settled } : { kind, job: record.job };
  }

  /** The key itself: over `maxIdempotencyKeyBytes` (UTF-8) it is refused before anything keeps or hashes it. */
  admitKey(key: string): ARCPError | undefined {
    const max = this.limits.maxIdempotencyKeyBytes;
    // A UTF-16 unit is at most 3 UTF-8 bytes: only long keys need measuring.
    if (key.length * 3 <= max) return undefined;
    const bytes = Buffer.byteLength(key, 'utf8');
    if (bytes <= max) return undefined;
    return limitError('INVALID_REQUEST', 'maxIdempotencyKeyBytes', max, `idempotency_key of ${bytes} bytes exceeds the ${max}-byte cap`, {
      details: { field: '/payload/idempotency_key', key_bytes: bytes },
    });
  }

  /**
   * Before a new key's job is created: is there room for one more key of `principal`, counting
   * keys that could be evicted? PERMISSION_DENIED (retryable: room frees as jobs end) when every
   * key of the budget names a job that still runs.
   */
  admit(principal: string): ARCPError | undefined {
    const l = this.limits;
    const p = this.byPrincipal.get(principal);
    if (p && p.open + p.finished.size >= l.maxIdempotencyKeysPerPrincipal && p.finished.size === 0) {
      return limitError('PERMISSION_DENIED', 'maxIdempotencyKeysPerPrincipal', l.maxIdempotencyKeysPerPrincipal, `${p.open} idempotency keys of this principal name jobs still running`, {
        retryable: true,
      });
    }
    if (this.records.size >= l.maxIdempotencyKeys && this.finished.size === 0) {
      return limitError('PERMISSION_DENIED', 'maxIdempotencyKeys', l.maxIdempotencyKeys, 'every retained idempotency key names a job still running', { retryable: true });
    }
    return undefined;
  }

  /**
   * Records the key's job. With `settled`, the job is still being accepted: a retry meanwhile
   * must wait for it instead of creating a second job; remember again (or forget) once it is.
   */
  remember(principal: string, key: string, submitPayload: unknown, job: J, nowMs: number, settled?: Promise<void>): void {
    this.put(principal, key, payloadDigest(submitPayload), job, nowMs, settled);
  }

  /** Drops the key if it still names `job` (its submit was refused, so a retry starts afresh). */
  forget(principal: string, key: string, job: J): void {
    if (this.records.get(scope(principal, key))?.job === job) this.drop(scope(principal, key));
  }

  /** The job ended: its key becomes evictable, as the newest finished one. */
  jobEnded(job: J): void {
    const s = this.openByJob.get(job);
    if (s === undefined) return;
    this.openByJob.delete(job);
    const e = this.records.get(s);
    if (!e || e.finished) return;
    e.finished = true;
    e.job = this.compact(e.job);
    const p = this.byPrincipal.get(e.principal)!;
    p.open--;
    p.finished.add(s);
    this.finished.add(s);
  }

  /** Drops expired records (called from the runtime's periodic sweep). */
  sweep(nowMs: number): void {
    for (const [k, r] of this.records) if (nowMs - r.createdAtMs >= this.ttlMs) this.drop(k);
  }

  get size(): number {
    return this.records.size;
  }

  /** Keys held for one principal. */
  sizeOf(principal: string): number {
    const p = this.byPrincipal.get(principal);
    return p ? p.open + p.finished.size : 0;
  }

  /** A record left the table (expired, evicted or forgotten): subclasses drop their copy. */
  protected dropped(_principal: string, _key: string): void {}

  protected put(principal: string, key: string, digest: string, job: J, nowMs: number, settled?: Promise<void>): void {
    const s = scope(principal, key);
    if (this.records.has(s)) this.unlink(s);
    const finished = this.isFinished(job);
    this.records.set(s, { principal, key, job: finished ? this.compact(job) : job, payloadDigest: digest, createdAtMs: nowMs, finished, ...(settled ? { settled } : {}) });
    let p = this.byPrincipal.get(principal);
    if (!p) this.byPrincipal.set(principal, (p = { open: 0, finished: new Set() }));
    if (finished) {
      p.finished.add(s);
      this.finished.add(s);
    } else {
      p.open++;
      this.openByJob.set(job, s);
    }
    // Oldest finished first: the principal's own budget, then the global one.
    while (p.open + p.finished.size > this.limits.maxIdempotencyKeysPerPrincipal && p.finished.size > 0) this.drop(p.finished.values().next().value as string);
    while (this.records.size > this.limits.maxIdempotencyKeys && this.finished.size > 0) this.drop(this.finished.values().next().value as string);
  }

  private drop(s: string): void {
    const e = this.unlink(s);
    if (e) this.dropped(e.principal, e.key);
  }

  private unlink(s: string): Entry<J> | undefined {
    const e = this.records.get(s);
    if (!e) return undefined;
    this.records.delete(s);
    const p = this.byPrincipal.get(e.principal);
    if (e.finished) {
      this.finished.delete(s);
      p?.finished.delete(s);
    } else {
      if (p) p.open--;
      if (this.openByJob.get(e.job) === s) this.openByJob.delete(e.job);
    }
    if (p && p.open === 0 && p.finished.size === 0) this.byPrincipal.delete(e.principal);
    return e;
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
