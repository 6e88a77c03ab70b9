// §9.4 / §10: the effective lease of a delegated child, derived from the parent's view.
// Pure: the parent's own operation check (agent.delegate, expiry, budget) and the budget
// reservation stay in JobAuthority.
//
// - The child lease is validated like a submit (INVALID_REQUEST), then completed with what its
//   absence would otherwise widen: the parent's remaining budget in every currency the child
//   does not name (an unnamed currency = unbounded),
//   and under the 'allow' model policy the parent's model.use (no model.use = any model).
// - It must then be a subset of the parent's lease, budgets against the parent's REMAINING
//   counters (lease-subset.ts) -> LEASE_SUBSET_VIOLATION.
// - Expiry: the child's own if not later than the parent's (later -> LEASE_SUBSET_VIOLATION),
//   else the parent's; it must be a valid future UTC time like any submit (INVALID_REQUEST).

import type { Decimal } from 'decimal.js';
import { parseUtcTimestamp } from './expires-at.js';
import { leaseSubsetViolation, type ModelPolicy } from './lease-subset.js';
import { validateLeaseConstraints, validateLeaseRequest } from './lease-validation.js';
import { ARCPError, arcpError, type Lease, type LeaseConstraints } from './deps.js';

export interface DelegationRequest {
  agent: string;
  lease_request?: Lease;
  lease_constraints?: LeaseConstraints;
}

export interface ParentView {
  lease: Lease;
  /** `expires_at` as given and parsed; undefined when the parent has none. */
  expiresAt?: { text: string; ms: number };
  /** Exact remaining counters and the same as amount strings; undefined without cost.budget. */
  budget?: { remaining: ReadonlyMap<string, Decimal>; amounts: string[] };
  modelPolicy: ModelPolicy;
}

export type ChildLease = { ok: true; lease: Lease; constraints?: LeaseConstraints } | { ok: false; error: ARCPError };

export function subsetViolation(reason: string): ARCPError {
  return arcpError('LEASE_SUBSET_VIOLATION', `delegated lease is not a subset of the parent's: ${reason}`, {
    retryable: false,
    details: { reason },
  });
}

export function deriveChildLease(parent: ParentView, req: DelegationRequest, nowMs: number): ChildLease {
  let lease: Lease;
  let own: LeaseConstraints | undefined;
  try {
    lease = req.lease_request === undefined ? {} : validateLeaseRequest(req.lease_request);
    own = validateLeaseConstraints(req.lease_constraints, nowMs);
  } catch (err) {
    if (err instanceof ARCPError) return { ok: false, error: err };
    throw err;
  }
  if (parent.budget !== undefined) {
    // Every currency the parent budgets and the child does not name: the parent's remainder.
    const named = new Set((lease['cost.budget'] ?? []).map((a) => a.slice(0, a.indexOf(':'))));
    const inherited = parent.budget.amounts.filter((a) => !named.has(a.slice(0, a.indexOf(':'))));
    if (inherited.length > 0 || lease['cost.budget'] === undefined) lease['cost.budget'] = [...(lease['cost.budget'] ?? []), ...inherited];
  }
  const parentModels = parent.lease['model.use'];
  if (parent.modelPolicy === 'allow' && parentModels !== undefined && lease['model.use'] === undefined) {
    lease['model.use'] = [...parentModels];
  }
  const violation = leaseSubsetViolation(parent.lease, lease, { parentBudget: parent.budget?.remaining, modelPolicy: parent.modelPolicy });
  if (violation !== undefined) return { ok: false, error: subsetViolation(violation) };

  if (parent.expiresAt === undefined) return { ok: true, lease, ...(own !== undefined ? { constraints: own } : {}) };
  const childAt = own?.expires_at;
  if (childAt === undefined) return { ok: true, lease, constraints: { ...own, expires_at: parent.expiresAt.text } };
  if (parseUtcTimestamp(childAt)! > parent.expiresAt.ms) {
    return { ok: false, error: subsetViolation(`expires_at ${childAt} is later than the parent's ${parent.expiresAt.text}`) };
  }
  return { ok: true, lease, constraints: own };
}
