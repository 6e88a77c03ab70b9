// Test-only faults of the authority layer (faults.ts), applied around the real JobAuthority so
// the conformance harness can prove its checks catch each broken MUST. Without faults none of
// this runs (the factory returns the authority untouched).
import type { Lease, LeaseConstraints, MetricBody } from '../../../generated/index.js';
import { arcpError, type ARCPError } from '../../errors/index.js';
import type { FaultSet } from '../faults.js';
import type { Decision, JobAuthorityLike } from '../hooks.js';

/** `glob-star-crosses-slash`: every lone `*` becomes `**` (so it matches across `/`). */
export function starCrossesSlash(lease: Lease): Lease {
  const out: Lease = {};
  for (const [cap, patterns] of Object.entries(lease)) {
    if (patterns === undefined) continue;
    out[cap] = cap === 'cost.budget' ? [...patterns] : patterns.map((p) => p.replace(/(?<!\*)\*(?!\*)/g, '**'));
  }
  return out;
}

/** `ignore-expires-at`: the authority never learns the expiry. */
export function withoutExpiry(constraints: LeaseConstraints | undefined): LeaseConstraints | undefined {
  if (constraints?.expires_at === undefined) return constraints;
  const { expires_at: _dropped, ...rest } = constraints;
  return Object.keys(rest).length > 0 ? rest : undefined;
}

/** `lease-expired-retryable`: LEASE_EXPIRED goes out with retryable true (breaks §12's pin). */
export function retryableLeaseExpired(error: ARCPError): ARCPError {
  if (error.code !== 'LEASE_EXPIRED') return error;
  const e = arcpError('LEASE_EXPIRED', error.message, error.details ? { details: error.details } : {});
  Object.defineProperty(e, 'retryable', { value: true });
  return e;
}

/** Wraps an authority with the decision/cost faults that are active; identity otherwise. */
export function withAuthorityFaults(authority: JobAuthorityLike, faults: FaultSet): JobAuthorityLike {
  const drift = faults.has('budget-float-drift');
  const retryable = faults.has('lease-expired-retryable');
  if (!drift && !retryable) return authority;
  const fix = (d: Decision): Decision => (retryable && !d.allowed ? { allowed: false, error: retryableLeaseExpired(d.error) } : d);
  const wrapped: JobAuthorityLike = Object.create(authority) as JobAuthorityLike;
  wrapped.check = (capability, target) => fix(authority.check(capability, target));
  wrapped.checkModel = (model) => fix(authority.checkModel(model));
  // binary32 rounding of every cost: 100 x 0.01 no longer exhausts USD:1.00 (§9.6 "to the cent").
  if (drift) wrapped.recordCost = (metric: MetricBody) => authority.recordCost({ ...metric, value: Math.fround(metric.value) });
  else wrapped.recordCost = (metric: MetricBody) => authority.recordCost(metric);
  wrapped.budget = () => authority.budget();
  return wrapped;
}
