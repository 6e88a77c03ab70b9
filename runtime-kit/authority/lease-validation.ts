// Submit-time validation of `lease_request` (§9.2, §9.6) and `lease_constraints` (§9.5).
// Everything wrong is INVALID_REQUEST; nothing here throws anything else.

import { isValidCapabilityName } from './capability-names.js';
import { parseBudgetAmount } from './budget-amount.js';
import { parseUtcTimestamp } from './expires-at.js';
import { arcpError, type Lease, type LeaseConstraints } from './deps.js';

/**
 * Bounds that keep a hostile lease (or a hostile delegated lease from an agent) from costing
 * the runtime memory or CPU: matching is O(target x pattern) per pattern, and the subset check
 * O(child patterns x parent patterns x segments^2).
 */
export const LEASE_LIMITS = {
  maxCapabilities: 64,
  maxPatternsPerCapability: 128,
  maxPatternLength: 512,
  maxPatternSegments: 32,
} as const;

function segmentCount(pattern: string): number {
  let n = 1;
  for (let i = 0; i < pattern.length; i++) if (pattern.charCodeAt(i) === 47) n++;
  return n;
}

function invalid(message: string, field: string): never {
  throw arcpError('INVALID_REQUEST', message, { details: { field } });
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Validates a lease request and returns a copy of it. Capability names must be reserved or
 * `x-vendor.<v>.<n>`; patterns are non-empty strings without control characters; every
 * `cost.budget` pattern follows the amount grammar. An empty pattern list grants nothing.
 */
export function validateLeaseRequest(req: unknown): Lease {
  if (!isPlainObject(req)) invalid('lease must be an object of capability -> patterns', '/lease_request');
  const names = Object.keys(req);
  if (names.length > LEASE_LIMITS.maxCapabilities) invalid('lease names too many capabilities', '/lease_request');
  const lease: Lease = {};
  for (const name of names) {
    const field = `/lease_request/${name}`;
    if (!isValidCapabilityName(name)) {
      invalid(`unknown capability ${JSON.stringify(name)} (reserved or x-vendor.<vendor>.<name> only)`, field);
    }
    const patterns = req[name];
    if (!Array.isArray(patterns)) invalid(`${name} must be an array of patterns`, field);
    if (patterns.length > LEASE_LIMITS.maxPatternsPerCapability) invalid(`${name} has too many patterns`, field);
    patterns.forEach((pattern, i) => {
      if (typeof pattern !== 'string' || pattern.length === 0) invalid(`${name}[${i}] must be a non-empty string`, `${field}/${i}`);
      if (pattern.length > LEASE_LIMITS.maxPatternLength) invalid(`${name}[${i}] is too long`, `${field}/${i}`);
      if (segmentCount(pattern) > LEASE_LIMITS.maxPatternSegments) invalid(`${name}[${i}] has too many segments`, `${field}/${i}`);
      // eslint-disable-next-line no-control-regex
      if (/[\u0000-\u001f\u007f]/.test(pattern)) invalid(`${name}[${i}] contains control characters`, `${field}/${i}`);
      if (name === 'cost.budget' && parseBudgetAmount(pattern) === undefined) {
        invalid(`cost.budget[${i}] must be "currency:decimal" (e.g. "USD:5.00")`, `${field}/${i}`);
      }
    });
    lease[name] = [...(patterns as string[])];
  }
  return lease;
}

/**
 * Validates `lease_constraints` at submit time. `expires_at` must be a strict UTC timestamp
 * strictly later than `nowMs` (a value equal to now is not "in the future", catalog §10 #33).
 * Unknown keys are dropped from the returned effective constraints (receivers ignore them).
 */
export function validateLeaseConstraints(c: unknown, nowMs: number): LeaseConstraints | undefined {
  if (c === undefined || c === null) return undefined;
  if (!isPlainObject(c)) invalid('lease_constraints must be an object', '/lease_constraints');
  const out: LeaseConstraints = {};
  if (c.expires_at !== undefined) {
    const at = parseUtcTimestamp(c.expires_at);
    if (at === undefined) {
      invalid('lease_constraints.expires_at must be ISO 8601 UTC ending in "Z"', '/lease_constraints/expires_at');
    }
    if (at <= nowMs) invalid('lease_constraints.expires_at must be in the future', '/lease_constraints/expires_at');
    out.expires_at = c.expires_at as string;
  }
  return out;
}
