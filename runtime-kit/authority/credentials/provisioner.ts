// §9.8 provisioned credentials: the vendor-neutral provisioner seam, and the mapping of a
// lease onto the constraints baked into a credential (§9.8.3).

import type { Credential, Lease, LeaseConstraints } from '../deps.js';

export interface CredentialJob {
  jobId: string;
  principal?: string;
  parentJobId?: string;
}

/** What the upstream is asked to enforce (Spec keys, catalog §9 #13). */
export interface CredentialScope {
  /** Sized to the job's remaining budget (§9.8.3), e.g. ["USD:5"]. */
  'cost.budget'?: string[];
  'model.use'?: string[];
  expires_at?: string;
}

export interface CredentialProvisioner {
  /** Mints credentials for one job; values MUST NOT be reused across jobs (§9.8.2). */
  issue(job: CredentialJob, scope: CredentialScope): Promise<Credential[]>;
  /** Returns the same `id` with a new `value`; the prior value MUST stop working. */
  rotate(credential: Credential): Promise<Credential>;
  /** Revokes at the upstream; throws on (possibly transient) failure. Idempotent. */
  revoke(id: string): Promise<void>;
  /**
   * Revokes everything issued for a job, for an issuance a crash interrupted before its ids were
   * recorded (revocation-ledger.ts). Without it such a credential can only be reported, not
   * revoked. Idempotent.
   */
  revokeJob?(jobId: string): Promise<void>;
}

/**
 * §9.8.3: cost.budget -> per-credential spend cap (the remaining budget), model.use -> allowed
 * models, expires_at -> TTL (exact, no grace). Absent lease entries stay absent.
 */
export function credentialScopeFor(
  lease: Lease,
  constraints: LeaseConstraints | undefined,
  remainingBudget: readonly string[] | undefined,
): CredentialScope {
  const scope: CredentialScope = {};
  if (remainingBudget !== undefined) scope['cost.budget'] = [...remainingBudget];
  if (lease['model.use'] !== undefined) scope['model.use'] = [...lease['model.use']];
  if (constraints?.expires_at !== undefined) scope.expires_at = constraints.expires_at;
  return scope;
}
