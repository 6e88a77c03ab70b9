// How long a store keeps the §14 subscription audit log (issue 12): at most `maxRecords`
// records, none older than `maxAgeMs` (by the record's `ts`). Each engine removes the oldest
// records in bounded trims (`trimAudit`), run by this timer: a trim removes at most
// AUDIT_TRIM_BATCH records plus those appended since the previous one, so one trim never does
// more work than that, and a log over its bounds (after a restart with smaller ones, or while
// records arrive faster than the batch) still shrinks back under them.
import { KitError } from '../errors/kit-error.js';

export interface AuditRetentionOptions {
  /** Records whose `ts` is older go. Default 30 days; `Infinity` keeps records of any age. */
  maxAgeMs?: number;
  /** Only the newest this many are kept. Default 1,000,000; `Infinity`: no cap. */
  maxRecords?: number;
  /** Time between trims. Default 1 s. */
  intervalMs?: number;
}

export const DEFAULT_AUDIT_RETENTION: Readonly<Required<AuditRetentionOptions>> = {
  maxAgeMs: 30 * 24 * 60 * 60 * 1000,
  maxRecords: 1_000_000,
  intervalMs: 1000,
};

/** Removals a trim may make beyond the records appended since the previous trim. */
export const AUDIT_TRIM_BATCH = 1000;

/** One bounded trim: remove the oldest records while there are more than `keep` or their `ts` is before `before`. */
export interface AuditTrim {
  /** ISO-8601 time: records with an older `ts` go. Absent: no age bound. */
  before?: string;
  /** Absent: no count bound. */
  keep?: number;
  /** At most this many are removed. */
  max: number;
}

/**
 * An engine's half: removes a prefix of the log (oldest first), stopping at the first record
 * that is within both bounds or once `max` are gone; returns how many it removed.
 */
export type AuditTrimmer = (trim: AuditTrim) => number | Promise<number>;

/** `false`: the store never trims (a reader such as `arcp audit`, which must not impose its own retention). */
export type AuditRetentionSetting = AuditRetentionOptions | false;

function checked(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || Number.isNaN(value) || value <= 0) {
    throw new KitError('ARCP_KIT_BAD_STORE', `audit retention ${name} must be a positive number (Infinity: unbounded), got ${String(value)}`);
  }
  return value;
}

export class AuditRetention {
  readonly maxAgeMs: number;
  readonly maxRecords: number;
  private readonly intervalMs: number;
  private appended = 0;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;
  private stopped = false;

  constructor(
    setting: AuditRetentionSetting | undefined,
    private readonly trim: AuditTrimmer,
    private readonly onError: (err: unknown) => void,
    private readonly now: () => number = Date.now,
  ) {
    const opts = setting === false ? { maxAgeMs: Infinity, maxRecords: Infinity } : (setting ?? {});
    this.maxAgeMs = checked('maxAgeMs', opts.maxAgeMs, DEFAULT_AUDIT_RETENTION.maxAgeMs);
    this.maxRecords = checked('maxRecords', opts.maxRecords, DEFAULT_AUDIT_RETENTION.maxRecords);
    if (this.maxRecords !== Infinity && !Number.isInteger(this.maxRecords)) throw new KitError('ARCP_KIT_BAD_STORE', `audit retention maxRecords must be an integer, got ${this.maxRecords}`);
    this.intervalMs = checked('intervalMs', setting === false ? undefined : setting?.intervalMs, DEFAULT_AUDIT_RETENTION.intervalMs);
    if (this.intervalMs === Infinity) throw new KitError('ARCP_KIT_BAD_STORE', 'audit retention intervalMs must be finite');
  }

  /** Both bounds are off: nothing to do, no timer. */
  get unbounded(): boolean {
    return this.maxAgeMs === Infinity && this.maxRecords === Infinity;
  }

  /** Starts the (unref'd) trim timer; idempotent. */
  start(): void {
    if (this.timer || this.stopped || this.unbounded) return;
    // A trim still in flight when the store closes fails with the connection: not worth a report.
    this.timer = setInterval(() => void this.trimNow().catch((err) => this.stopped || this.onError(err)), this.intervalMs);
    this.timer.unref();
  }

  /** The engine appended a record (counted so the next trim can keep up with the rate). */
  noteAppend(): void {
    this.appended++;
  }

  /** One bounded trim now; resolves to the number of records removed (0 when both bounds are off). */
  trimNow(): Promise<number> {
    if (this.unbounded || this.stopped) return Promise.resolve(0);
    // Trims never overlap: one slow Redis round trip does not stack up a second.
    this.running ??= (async () => {
      const max = AUDIT_TRIM_BATCH + this.appended;
      this.appended = 0;
      const trim: AuditTrim = { max };
      if (this.maxAgeMs !== Infinity) trim.before = new Date(this.now() - this.maxAgeMs).toISOString();
      if (this.maxRecords !== Infinity) trim.keep = this.maxRecords;
      return this.trim(trim);
    })().finally(() => (this.running = undefined));
    return this.running;
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}

/**
 * How many of the oldest records `trim` removes: the `ts` stamps oldest first (undefined for a
 * record that cannot be dated, which stops the age bound: it is never removed for its age), of
 * a log `total` long. Reads at most the answer plus one stamp.
 */
export function trimmablePrefix(stampsOldestFirst: Iterable<string | undefined>, total: number, trim: AuditTrim): number {
  let n = 0;
  for (const ts of stampsOldestFirst) {
    if (n >= trim.max) break;
    const over = trim.keep !== undefined && total - n > trim.keep;
    const old = trim.before !== undefined && ts !== undefined && ts < trim.before;
    if (!over && !old) break;
    n++;
  }
  return n;
}
