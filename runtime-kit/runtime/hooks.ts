// Extension points of the runtime (issue 4 fills them: leases, budgets, models, credentials,
// delegation). Each hook has a safe default (authority-bridge.ts) so the runtime works alone.
import type { Credential, Lease, LeaseConstraints, MetricBody } from '../../generated/index.js';
import type { ARCPError } from '../errors/index.js';
import type { Clock } from './timers.js';

export type Decision = { allowed: true } | { allowed: false; error: ARCPError };

/** What JobContext needs from the per-job enforcement object (authority/ JobAuthority). */
export interface JobAuthorityLike {
  /** §9.3: synchronous, before dispatch; expiry -> budget -> capability. */
  check(capability: string, target: string): Decision;
  /** §9.7 model gate. */
  checkModel(model: string): Decision;
  /** §9.6 budget decrement on `cost.*` metrics; `error` rejects the metric (not emitted). */
  recordCost(metric: MetricBody): { error?: ARCPError; remaining?: { currency: string; value: number }[] };
  /** Current budget counters (job.accepted.budget), undefined without cost.budget. */
  budget(): Record<string, number> | undefined;
  readonly expiresAtMs?: number;
}

/** Read-only facts about a job, as hooks see them. */
export interface JobInfo {
  readonly jobId: string;
  readonly principal: string;
  /** The submitting session (owner: cancel authority). */
  readonly sessionId: string;
  /** Resolved `name@version` (or bare name). */
  readonly agentRef: string;
  readonly lease: Lease;
  readonly leaseConstraints?: LeaseConstraints;
  readonly traceId: string;
  readonly parentJobId?: string;
  readonly createdAtMs: number;
}

export interface SubmitInfo {
  principal: string;
  sessionId: string;
  agentRef: string;
  nowMs: number;
}

/**
 * Revocation that survives a crash or restart (§14): outstanding revocations are recorded before
 * credentials are handed out and retried at start-up. `durable: true` is the embedder's promise
 * that this holds; a plain terminal callback (onJobTerminal) is not enough to advertise the flag.
 */
export interface DurableRevocation {
  /** Must be true for `provisioned_credentials` to be advertised (read when features are computed). */
  readonly durable: boolean;
  revoke(job: JobInfo): void | Promise<void>;
}

export interface RuntimeHooks {
  /**
   * Validates `lease_request` / `lease_constraints` of a submit (§9.1-§9.5). Throw an ARCPError
   * (INVALID_REQUEST) to reject. Default: authority/ validators when present.
   */
  validateLease?(leaseRequest: unknown, leaseConstraints: unknown, nowMs: number): { lease: Lease; constraints?: LeaseConstraints };
  /** Narrows the requested lease (§7.1 "effective lease"). MUST NOT widen it. Default: identity. */
  leasePolicy?(requested: Lease, info: SubmitInfo): Lease;
  /** Builds the per-job enforcement object. Default: authority/ JobAuthority. */
  createAuthority?(args: { lease: Lease; constraints?: LeaseConstraints; clock: Clock; job: JobInfo }): JobAuthorityLike;
  /**
   * Issues provisioned credentials before job.accepted (§9.8). The runtime advertises
   * `provisioned_credentials` only with this hook AND durable revocation (`revokeCredentials`,
   * or the built-in provisioner + ledger): §14 MUST NOT advertise what it cannot revoke.
   */
  issueCredentials?(job: JobInfo): Credential[] | Promise<Credential[]>;
  /** Revokes a job's credentials at every terminal state (§9.8.2); see DurableRevocation. */
  revokeCredentials?: DurableRevocation;
  /** Called once, when the job's terminal is decided (e.g. revoke credentials); its envelope may still be queued behind the job's events (limits/emit-outbox.ts). */
  onJobTerminal?(job: JobInfo, finalStatus: string): void;
}
