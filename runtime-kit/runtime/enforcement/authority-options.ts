// Runtime options of the authority layer (issue 4): lease enforcement, model policy, expiry,
// provisioned credentials, subscription policy, listing retention and the audit log.
// ARCPRuntime's RuntimeOptions extends this interface; resolveAuthorityOptions fills defaults.
import type { CredentialProvisioner, ModelPolicy, RetryOptions } from '../../authority/index.js';
import type { AuditSink } from '../audit/audit-log.js';
import type { SubscribePolicy } from '../subscriptions/subscribe-policy.js';

export interface AuthorityRuntimeOptions {
  /**
   * Real lease enforcement (authority/ JobAuthority) for every job. Default true. When false the
   * runtime allows every operation and does not advertise lease_expires_at / cost.budget / model.use.
   */
  enforceLeases?: boolean;
  /** §9.7 deployment policy for a lease without `model.use`. Default 'forbid'. */
  modelPolicy?: ModelPolicy;
  /** §9.5 "MAY proactively terminate": end the job with LEASE_EXPIRED at expires_at. Default true. */
  proactiveExpiry?: boolean;
  /** §14 bounded clock grace after expires_at, 0..1000 ms. Default 1000. */
  leaseGraceMs?: number;
  /** §9.8 provisioner. Advertised only together with `revocationLedgerPath` (§14). */
  credentialProvisioner?: CredentialProvisioner;
  /** Durable ledger of outstanding credential ids (JSON file), retried at start-up (§14). */
  revocationLedgerPath?: string;
  /** Retry policy of provisioner calls (issue, rotate, revoke). */
  credentialRetry?: RetryOptions;
  /** §7.6/§14: who may observe (subscribe to, list) a job. Default: same principal only. */
  subscribePolicy?: SubscribePolicy;
  /** How long terminal jobs stay listable (catalog §9 #32). Default 3600 s. */
  listRetentionSec?: number;
  /** §14 cross-session subscription audit: a sink, or `{ file }` for JSON lines. Default in-memory. */
  auditLog?: AuditSink | { file: string };
}

export interface ResolvedAuthorityOptions {
  enforceLeases: boolean;
  modelPolicy: ModelPolicy;
  proactiveExpiry: boolean;
  leaseGraceMs: number;
  credentialProvisioner?: CredentialProvisioner;
  revocationLedgerPath?: string;
  credentialRetry?: RetryOptions;
  subscribePolicy?: SubscribePolicy;
  listRetentionMs: number;
  auditLog?: AuditSink | { file: string };
}

export function resolveAuthorityOptions(opts: AuthorityRuntimeOptions): ResolvedAuthorityOptions {
  const modelPolicy = opts.modelPolicy ?? 'forbid';
  if (modelPolicy !== 'forbid' && modelPolicy !== 'allow') throw new TypeError(`modelPolicy must be 'forbid' or 'allow', got ${String(modelPolicy)}`);
  const grace = opts.leaseGraceMs ?? 1000;
  if (!Number.isFinite(grace) || grace < 0 || grace > 1000) throw new TypeError(`leaseGraceMs must be within 0..1000, got ${grace}`);
  const retention = opts.listRetentionSec ?? 3600;
  if (!Number.isFinite(retention) || retention < 0) throw new TypeError(`listRetentionSec must be >= 0, got ${retention}`);
  return {
    enforceLeases: opts.enforceLeases ?? true,
    modelPolicy,
    proactiveExpiry: opts.proactiveExpiry ?? true,
    leaseGraceMs: grace,
    ...(opts.credentialProvisioner !== undefined ? { credentialProvisioner: opts.credentialProvisioner } : {}),
    ...(opts.revocationLedgerPath !== undefined ? { revocationLedgerPath: opts.revocationLedgerPath } : {}),
    ...(opts.credentialRetry !== undefined ? { credentialRetry: opts.credentialRetry } : {}),
    ...(opts.subscribePolicy !== undefined ? { subscribePolicy: opts.subscribePolicy } : {}),
    listRetentionMs: retention * 1000,
    ...(opts.auditLog !== undefined ? { auditLog: opts.auditLog } : {}),
  };
}
