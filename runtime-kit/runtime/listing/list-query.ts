// Parses a session.list_jobs payload (§6.6; catalog §2.9, §6.7, §10 #28): every filter field is
// optional; `status` is set membership (unknown values ignored); `agent` bare name = any version,
// `name@version` exact; created_after / created_before are strict bounds on RFC 3339 times;
// `limit` defaults to 100 and is capped at 1000; `cursor` is opaque (null = first page).
import type { JobState } from '../../../generated/index.js';
import { arcpError } from '../../errors/index.js';
import { parseAgentRef } from '../agent-ref.js';
import { decodeCursor, type ListPosition } from './list-cursor.js';

export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 1000;

const STATES: ReadonlySet<string> = new Set(['pending', 'running', 'success', 'error', 'cancelled', 'timed_out']);

export interface ListQuery {
  statuses?: ReadonlySet<JobState>;
  agent?: { name: string; version?: string };
  createdAfterMs?: number;
  createdBeforeMs?: number;
  limit: number;
  after?: ListPosition;
}

function invalid(message: string, field: string): never {
  throw arcpError('INVALID_REQUEST', message, { details: { field } });
}

function time(value: unknown, field: string): number {
  const ms = typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value) ? Date.parse(value) : NaN;
  if (!Number.isFinite(ms)) invalid(`${field} must be an RFC 3339 timestamp`, `/payload/filter/${field}`);
  return ms;
}

export function parseListQuery(payload: unknown): ListQuery {
  const p = (typeof payload === 'object' && payload !== null ? payload : {}) as Record<string, unknown>;
  const query: ListQuery = { limit: DEFAULT_LIMIT };
  const filter = p.filter;
  if (filter !== undefined && filter !== null) {
    if (typeof filter !== 'object' || Array.isArray(filter)) invalid('filter must be an object', '/payload/filter');
    const f = filter as Record<string, unknown>;
    if (f.status !== undefined) {
      if (!Array.isArray(f.status)) invalid('filter.status must be an array of job states', '/payload/filter/status');
      query.statuses = new Set(f.status.filter((s): s is JobState => typeof s === 'string' && STATES.has(s)));
    }
    if (f.agent !== undefined) {
      const ref = typeof f.agent === 'string' ? parseAgentRef(f.agent) : undefined;
      if (!ref) invalid('filter.agent must be an agent name or name@version', '/payload/filter/agent');
      query.agent = ref;
    }
    if (f.created_after !== undefined) query.createdAfterMs = time(f.created_after, 'created_after');
    if (f.created_before !== undefined) query.createdBeforeMs = time(f.created_before, 'created_before');
  }
  if (p.limit !== undefined) {
    if (typeof p.limit !== 'number' || !Number.isInteger(p.limit) || p.limit < 1) invalid('limit must be a positive integer', '/payload/limit');
    query.limit = Math.min(p.limit, MAX_LIMIT);
  }
  if (p.cursor !== undefined && p.cursor !== null) {
    const pos = typeof p.cursor === 'string' ? decodeCursor(p.cursor) : undefined;
    // Rejected rather than treated as "no cursor" (TS): silently restarting could loop a pager.
    if (!pos) invalid('cursor is not a cursor this runtime issued', '/payload/cursor');
    query.after = pos;
  }
  return query;
}
