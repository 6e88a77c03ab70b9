// Runtime policy hook over a requested lease: it may NARROW the request (fewer capabilities,
// narrower patterns, smaller budgets, an earlier expiry) but never widen it. The effective
// lease is what `job.accepted` echoes. A policy that widens is a bug in the runtime's own
// configuration: it is refused loudly with INTERNAL_ERROR instead of granting authority the
// client never asked for.

import { parseUtcTimestamp } from './expires-at.js';
import { budgetCeilingOf, leaseSubsetViolation, type ModelPolicy } from './lease-subset.js';
import { validateLeaseRequest } from './lease-validation.js';
import { ARCPError, arcpError, type Lease, type LeaseConstraints } from './deps.js';

export interface LeasePolicyContext {
  agent: string;
  principal?: string;
  lease: Lease;
  constraints?: LeaseConstraints;
}

/** Returns the narrowed lease/constraints, or undefined to keep the request as is. */
export type LeasePolicy = (ctx: LeasePolicyContext) => { lease?: Lease; constraints?: LeaseConstraints } | undefined;

export interface EffectiveLease {
  lease: Lease;
  constraints?: LeaseConstraints;
}

function widened(reason: string): never {
  throw arcpError('INTERNAL_ERROR', `lease policy widened the requested lease: ${reason}`, { details: { reason } });
}

/**
 * Checks that `narrowed` grants no more than `requested` and returns it validated; throws
 * INTERNAL_ERROR otherwise. For hooks of the shape `(requested) => Lease`.
 */
export function enforceNarrowing(requested: Lease, narrowed: Lease, modelPolicy: ModelPolicy = 'forbid'): Lease {
  let lease: Lease;
  try {
    lease = validateLeaseRequest(narrowed);
  } catch (err) {
    if (err instanceof ARCPError) widened(`invalid lease: ${err.message}`);
    throw err;
  }
  const why = leaseSubsetViolation(requested, lease, { parentBudget: budgetCeilingOf(requested), modelPolicy });
  if (why !== undefined) widened(why);
  return lease;
}

/** Applies `policy` to a validated request; throws INTERNAL_ERROR if the result is wider. */
export function applyLeasePolicy(
  policy: LeasePolicy | undefined,
  ctx: LeasePolicyContext,
  modelPolicy: ModelPolicy = 'forbid',
): EffectiveLease {
  const requested: EffectiveLease = { lease: ctx.lease, ...(ctx.constraints ? { constraints: ctx.constraints } : {}) };
  const out = policy?.(ctx);
  if (out === undefined) return requested;
  const lease = out.lease === undefined ? ctx.lease : enforceNarrowing(ctx.lease, out.lease, modelPolicy);
  let constraints = ctx.constraints;
  if (out.constraints !== undefined) {
    const at = out.constraints.expires_at;
    const narrowedMs = at === undefined ? undefined : parseUtcTimestamp(at);
    if (at !== undefined && narrowedMs === undefined) widened('unreadable expires_at');
    const requestedAt = ctx.constraints?.expires_at;
    if (requestedAt !== undefined) {
      if (narrowedMs === undefined) widened('dropped expires_at');
      if (narrowedMs > parseUtcTimestamp(requestedAt)!) widened('later expires_at');
    }
    constraints = { ...out.constraints };
  }
  return { lease, ...(constraints !== undefined ? { constraints } : {}) };
}
