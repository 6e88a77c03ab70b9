// authority/ public surface (contracts.md §3 "authority/").

export { validateLeaseRequest, validateLeaseConstraints, LEASE_LIMITS } from './lease-validation.js';
export { isValidCapabilityName, isReservedCapability, targetKindOf, type TargetKind } from './capability-names.js';
export { parseBudgetAmount, sumBudgetAmounts, formatBudgetAmount, type BudgetAmount } from './budget-amount.js';
export { parseUtcTimestamp } from './expires-at.js';
export { compileGlob, matchGlob, type CompiledGlob } from './glob.js';
export { canonicalizeTarget, canonicalizePath, canonicalizeUrl, canonicalizeName, type Canonical } from './canonicalize.js';
export { patternCovers, patternsCovered } from './pattern-subset.js';
export { leaseSubsetViolation, budgetCeilingOf, type ModelPolicy, type SubsetOptions } from './lease-subset.js';
export { BudgetCounters, BUDGET_REMAINING_METRIC, type CostOutcome, type RemainingGauge } from './budget.js';
export { ExpiryClock, MAX_GRACE_MS } from './expiry.js';
export { CompiledLease } from './compiled-lease.js';
export {
  JobAuthority,
  type Decision,
  type DelegationDecision,
  type DelegationRequest,
  type BudgetReservation,
  type JobAuthorityOptions,
} from './job-authority.js';
export { deriveChildLease, subsetViolation, type ParentView, type ChildLease } from './delegation.js';
export { applyLeasePolicy, enforceNarrowing, type LeasePolicy, type LeasePolicyContext, type EffectiveLease } from './lease-policy.js';
export { credentialScopeFor, type CredentialProvisioner, type CredentialJob, type CredentialScope } from './credentials/provisioner.js';
export { ReferenceProvisioner, type ReferenceProvisionerOptions } from './credentials/reference-provisioner.js';
export { RevocationLedger, type LedgerEntry, type LedgerBackend, type LedgerChange, type RetryReport } from './credentials/revocation-ledger.js';
export {
  CredentialManager,
  canAdvertiseProvisionedCredentials,
  type CredentialManagerOptions,
  type CredentialRotatedBody,
  type PermanentRevocationFailure,
} from './credentials/credential-manager.js';
export { withRetries, type RetryOptions } from './credentials/retry.js';
export { authorityHooks, type AuthorityHooksOptions } from './runtime-hooks.js';
export type { AuthorityClock } from './deps.js';
