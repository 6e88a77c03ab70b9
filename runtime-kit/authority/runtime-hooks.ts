// Adapter from authority/ to the runtime's hook shapes (runtime/hooks.ts: validateLease,
// leasePolicy, createAuthority), declared structurally so authority/ does not import runtime/.
//
//   new ARCPRuntime({ hooks: { ...authorityHooks({ clock }), issueCredentials, onJobTerminal } })

import { JobAuthority } from './job-authority.js';
import { enforceNarrowing } from './lease-policy.js';
import { validateLeaseConstraints, validateLeaseRequest } from './lease-validation.js';
import type { ModelPolicy } from './lease-subset.js';
import type { AuthorityClock, Lease, LeaseConstraints } from './deps.js';

export interface AuthorityHooksOptions<Info> {
  clock: AuthorityClock;
  graceMs?: number;
  modelPolicy?: ModelPolicy;
  gaugeStep?: number;
  delegatedBudget?: 'reserve' | 'check-only';
  /** Deployment policy narrowing a requested lease; a widening result is refused (INTERNAL_ERROR). */
  narrow?: (requested: Lease, info: Info) => Lease;
}

export function authorityHooks<Info = unknown>(opts: AuthorityHooksOptions<Info>) {
  const modelPolicy = opts.modelPolicy ?? 'forbid';
  return {
    /** §9.2 / §9.5 submit validation; INVALID_REQUEST on anything wrong. */
    validateLease(leaseRequest: unknown, leaseConstraints: unknown, nowMs: number): { lease: Lease; constraints?: LeaseConstraints } {
      const lease = leaseRequest === undefined ? {} : validateLeaseRequest(leaseRequest);
      const constraints = validateLeaseConstraints(leaseConstraints, nowMs);
      return constraints === undefined ? { lease } : { lease, constraints };
    },
    leasePolicy(requested: Lease, info: Info): Lease {
      return opts.narrow === undefined ? requested : enforceNarrowing(requested, opts.narrow(requested, info), modelPolicy);
    },
    createAuthority(args: { lease: Lease; constraints?: LeaseConstraints }): JobAuthority {
      return new JobAuthority({
        lease: args.lease,
        constraints: args.constraints,
        clock: opts.clock,
        graceMs: opts.graceMs,
        modelPolicy,
        gaugeStep: opts.gaugeStep,
        delegatedBudget: opts.delegatedBudget,
      });
    },
  };
}
