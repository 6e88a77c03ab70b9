// Runtime options of the authority layer (issue 4) beside `modelPolicy` (options.ts): proactive
// expiry, provisioned credentials, subscription policy, listing retention and the audit log.
// ARCPRuntime's RuntimeOptions extends this interface; resolveAuthorityOptions fills defaults.
import type { CredentialProvisioner, RetryOptions } from '../../authority/index.js';
import type { AuditSink } from '../audit/audit-log.js';
import type { JobHistory } from '../subscriptions/job-history.js';
import type { SubscribePolicy } from '../subscriptions/subscribe-policy.js';
import type { RuntimeStore } from '../../store/runtime-store.js';

export interface AuthorityRuntimeOptions {
  /** §9.5 "MAY proactively terminate": end the job with LEASE_EXPIRED at expires_at. Default true. */
  proactiveExpiry?: boolean;
  /** §9.8 provisioner. Advertised only together with `revocationLedgerPath` (§14). */
  credentialProvisioner?: CredentialProvisioner;
  /**
   * Durable ledger of outstanding credential ids (JSON file), retried at start-up (§14).
   * Without it, a durable `store` (SQLite, Redis) holds the ledger; the memory store cannot.
   */
  revocationLedgerPath?: string;
  /** The store holding the ledger when no file is given: set by the runtime from its `store`. */
  revocationStore?: RuntimeStore;
  /** Retry policy of provisioner calls (issue, rotate, revoke). */
  credentialRetry?: RetryOptions;
  /** §7.6/§14: who may observe (subscribe to, list) a job. Default: same principal only. */
  subscribePolicy?: SubscribePolicy;
  /**
   * How long terminal jobs stay listable (catalog §9 #32). Default 3600 s. The job registry forgets
   * terminal jobs after its own window (1 h, job-registry.ts), so longer values are capped by it.
   */
  listRetentionSec?: number;
  /** §14 cross-session subscription audit: a sink, or `{ file }` for JSON lines. Default in-memory. */
  auditLog?: AuditSink | { file: string };
  /** Subscription history (§7.6), independent of the owner's acks. Default: MemoryJobHistory (bounds in job-history.ts). */
  jobHistory?: JobHistory;
}

export interface ResolvedAuthorityOptions {
  proactiveExpiry: boolean;
  credentialProvisioner?: CredentialProvisioner;
  revocationLedgerPath?: string;
  revocationStore?: RuntimeStore;
  credentialRetry?: RetryOptions;
  subscribePolicy?: SubscribePolicy;
  listRetentionMs: number;
  auditLog?: AuditSink | { file: string };
}

export function resolveAuthorityOptions(opts: AuthorityRuntimeOptions): ResolvedAuthorityOptions {
  const retention = opts.listRetentionSec ?? 3600;
  if (!Number.isFinite(retention) || retention < 0) throw new TypeError(`listRetentionSec must be >= 0, got ${retention}`);
  return {
    proactiveExpiry: opts.proactiveExpiry ?? true,
    ...(opts.credentialProvisioner !== undefined ? { credentialProvisioner: opts.credentialProvisioner } : {}),
    ...(opts.revocationLedgerPath !== undefined ? { revocationLedgerPath: opts.revocationLedgerPath } : {}),
    ...(opts.revocationStore !== undefined ? { revocationStore: opts.revocationStore } : {}),
    ...(opts.credentialRetry !== undefined ? { credentialRetry: opts.credentialRetry } : {}),
    ...(opts.subscribePolicy !== undefined ? { subscribePolicy: opts.subscribePolicy } : {}),
    listRetentionMs: retention * 1000,
    ...(opts.auditLog !== undefined ? { auditLog: opts.auditLog } : {}),
  };
}
