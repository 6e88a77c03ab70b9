// Reading the §14 subscription audit log back (ARCPRuntime.readAudit, `arcp audit`): which
// records, checked once here so every store answers the same question.
import { KitError } from '../../errors/kit-error.js';

export interface AuditQuery {
  /** ISO-8601 time: only records at or after it. */
  since?: string;
  /** At most this many records (the oldest first). Default 1000, at most 100,000. */
  limit?: number;
}

/** A checked query: `since` normalised to the records' own format, so strings compare as times. */
export interface ResolvedAuditQuery {
  since?: string;
  limit: number;
}

export const DEFAULT_AUDIT_LIMIT = 1000;
export const MAX_AUDIT_LIMIT = 100_000;

/** Throws KitError ARCP_KIT_BAD_AUDIT_QUERY for a `since` that is not a time or a bad `limit`. */
export function resolveAuditQuery(query: AuditQuery = {}): ResolvedAuditQuery {
  const limit = query.limit ?? DEFAULT_AUDIT_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_AUDIT_LIMIT) {
    throw new KitError('ARCP_KIT_BAD_AUDIT_QUERY', `audit limit must be an integer in [1, ${MAX_AUDIT_LIMIT}], got ${String(query.limit)}`);
  }
  if (query.since === undefined) return { limit };
  const ms = typeof query.since === 'string' && /^\d{4}-\d\d-\d\dT/.test(query.since) ? Date.parse(query.since) : NaN;
  if (!Number.isFinite(ms)) throw new KitError('ARCP_KIT_BAD_AUDIT_QUERY', `audit since must be an ISO-8601 time (e.g. 2026-12-02T17:00:00Z), got ${JSON.stringify(query.since).slice(0, 80)}`);
  // Records carry `new Date().toISOString()` stamps; the same format makes string order time order.
  return { since: new Date(ms).toISOString(), limit };
}

/** The query applied to records in the order they were written (memory store, Redis, files). */
export function selectAudit<R extends { ts: string }>(records: Iterable<R>, query: ResolvedAuditQuery): R[] {
  const out: R[] = [];
  for (const r of records) {
    if (query.since !== undefined && !(r.ts >= query.since)) continue;
    out.push(r);
    if (out.length >= query.limit) break;
  }
  return out;
}
