// Default implementations of the authority hooks (hooks.ts). Until authority/ provides
// JobAuthority, the defaults are pass-through: every call site in JobContext already goes
// through `job.authority`, so wiring the real enforcement is a change to this file only.
import type { Lease, LeaseConstraints } from '../../generated/index.js';
import { arcpError } from '../errors/index.js';
import type { JobAuthorityLike, RuntimeHooks } from './hooks.js';

/** Allows every operation; no budget. Used when no authority is configured. */
export const passThroughAuthority: JobAuthorityLike = {
  check: () => ({ allowed: true }),
  checkModel: () => ({ allowed: true }),
  recordCost: () => ({}),
  budget: () => undefined,
};

/** Shape-only lease validation (the schema already ran): capability -> non-empty pattern strings. */
export function validateLeaseShape(leaseRequest: unknown, leaseConstraints: unknown): { lease: Lease; constraints?: LeaseConstraints } {
  const lease: Lease = {};
  if (leaseRequest !== undefined) {
    if (typeof leaseRequest !== 'object' || leaseRequest === null || Array.isArray(leaseRequest)) {
      throw arcpError('INVALID_REQUEST', 'lease_request must be an object of capability -> patterns');
    }
    for (const [cap, patterns] of Object.entries(leaseRequest)) {
      if (!Array.isArray(patterns) || patterns.some((p) => typeof p !== 'string' || p === '')) {
        throw arcpError('INVALID_REQUEST', `lease_request["${cap}"] must be an array of non-empty strings`, { details: { capability: cap } });
      }
      lease[cap] = [...patterns];
    }
  }
  if (leaseConstraints === undefined) return { lease };
  return { lease, constraints: leaseConstraints as LeaseConstraints };
}

/** Fills every hook the embedder left out with its default. */
export function resolveHooks(hooks: RuntimeHooks = {}): Required<Pick<RuntimeHooks, 'validateLease' | 'leasePolicy' | 'createAuthority'>> & RuntimeHooks {
  return {
    ...hooks,
    validateLease: hooks.validateLease ?? ((req, constraints) => validateLeaseShape(req, constraints)),
    leasePolicy: hooks.leasePolicy ?? ((requested) => requested),
    createAuthority: hooks.createAuthority ?? (() => passThroughAuthority),
  };
}

/** True when real lease enforcement is configured (lease_expires_at / cost.budget / model.use can be advertised). */
export function hasAuthority(hooks: RuntimeHooks): boolean {
  return hooks.createAuthority !== undefined;
}
