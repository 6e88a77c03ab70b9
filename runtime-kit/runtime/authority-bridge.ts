// Default implementations of the authority hooks (hooks.ts), backed by authority/: lease
// validation (§9.1-§9.5) and one JobAuthority per job (expiry -> budget -> capability, model
// gate, budget decrements). Embedders replace any of them through RuntimeOptions.hooks.
import type { Lease, LeaseConstraints } from '../../generated/index.js';
import { enforceNarrowing, JobAuthority, validateLeaseConstraints, validateLeaseRequest } from '../authority/index.js';
import type { JobAuthorityLike, RuntimeHooks } from './hooks.js';

/** Allows every operation and tracks no budget (for embedders that enforce elsewhere). */
export const passThroughAuthority: JobAuthorityLike = {
  check: () => ({ allowed: true }),
  checkModel: () => ({ allowed: true }),
  recordCost: () => ({}),
  budget: () => undefined,
};

export interface AuthorityDefaults {
  /** §9.7: what an absent `model.use` means. Default 'forbid'. */
  modelPolicy?: 'forbid' | 'allow';
}

export type ResolvedHooks = Required<Pick<RuntimeHooks, 'validateLease' | 'leasePolicy' | 'createAuthority'>> & RuntimeHooks;

/** Fills every hook the embedder left out with its default. */
export function resolveHooks(hooks: RuntimeHooks = {}, defaults: AuthorityDefaults = {}): ResolvedHooks {
  return {
    ...hooks,
    validateLease:
      hooks.validateLease ??
      ((req, constraints, nowMs) => {
        const lease = validateLeaseRequest(req ?? {}) as Lease;
        const checked = validateLeaseConstraints(constraints, nowMs) as LeaseConstraints | undefined;
        return checked === undefined ? { lease } : { lease, constraints: checked };
      }),
    // §7.1 effective lease: a policy may narrow, never widen (a widening policy -> INTERNAL_ERROR).
    leasePolicy: hooks.leasePolicy
      ? (requested, info) => enforceNarrowing(requested, hooks.leasePolicy!(requested, info), defaults.modelPolicy ?? 'forbid')
      : (requested) => requested,
    createAuthority:
      hooks.createAuthority ??
      (({ lease, constraints, clock }) =>
        new JobAuthority({
          lease: lease as Record<string, string[]>,
          ...(constraints !== undefined ? { constraints } : {}),
          clock,
          modelPolicy: defaults.modelPolicy ?? 'forbid',
        }) as unknown as JobAuthorityLike),
  };
}
