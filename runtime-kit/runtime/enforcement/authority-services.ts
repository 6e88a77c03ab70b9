// The authority layer of one runtime (issue 4), installed by ARCPRuntime's constructor:
// wraps the resolved hooks so every job gets enforcement, proactive expiry,
// credentials and delegation, and holds the state the new handlers share (subscriptions,
// audit log, listing policy). Handlers reach it through `authorityServicesOf(ctx.core)`;
// JobContext reaches it through `authorityServicesOfJob(job)`.
import type { Credential } from '../../../generated/index.js';
import { arcpError } from '../../errors/index.js';
import { KitError } from '../../errors/kit-error.js';
import { createAuditSink, type AuditSink } from '../audit/audit-log.js';
import type { RuntimeCore } from '../core.js';
import { CredentialService } from '../credentials/credential-service.js';
import { DelegationService } from '../delegation/delegation-service.js';
import type { JobAuthorityLike, JobInfo, RuntimeHooks } from '../hooks.js';
import type { Job } from '../job.js';
import { HistoryReplays } from '../subscriptions/history-replay.js';
import { JobHistorySink, MemoryJobHistory, type JobHistory } from '../subscriptions/job-history.js';
import { SubscriptionRegistry } from '../subscriptions/subscription-registry.js';
import { resolveAuthorityOptions, type AuthorityRuntimeOptions, type ResolvedAuthorityOptions } from './authority-options.js';
import { ExpiryTimers } from './expiry-timers.js';

const byCore = new WeakMap<object, AuthorityServices>();
const byJob = new WeakMap<object, AuthorityServices>();

export class AuthorityServices {
  readonly options: ResolvedAuthorityOptions;
  readonly audit: AuditSink;
  readonly subscriptions: SubscriptionRegistry;
  /** Every job's sequenced output for `history: true` subscribers, independent of acks (issue 9). */
  readonly history: JobHistory;
  /** `history: true` replays being written (subscriptions/history-replay.ts). */
  readonly replays: HistoryReplays;
  readonly delegation: DelegationService;
  /**
   * Present only with a provisioner AND a durable revocation ledger (§14: no ledger, no
   * feature): `revocationLedgerPath`, else a durable `store` (SQLite, Redis; not memory).
   */
  readonly credentials: CredentialService | undefined;
  private readonly expiry: ExpiryTimers;
  private embedderRevocation: RuntimeHooks['revokeCredentials'];

  constructor(
    private readonly core: RuntimeCore,
    opts: AuthorityRuntimeOptions,
  ) {
    this.options = resolveAuthorityOptions(opts);
    const log = core.options.logger;
    this.audit = createAuditSink(this.options.auditLog, (err) => log('error', 'audit log write failed', { error: String(err) }));
    this.subscriptions = new SubscriptionRegistry(log, core.guard.fairShare);
    this.history = opts.jobHistory ?? new MemoryJobHistory();
    this.replays = new HistoryReplays(core.guard.fairShare, core.options.limits.maxHistoryReplaysPerSession, log);
    core.jobs.onForget = (jobId) => this.history.forget(jobId);
    this.delegation = new DelegationService(core);
    this.expiry = new ExpiryTimers(core);
    const { credentialProvisioner: provisioner, revocationLedgerPath: path, revocationStore: store } = this.options;
    // An explicit ledger file wins; else the store's ledger, only if the store survives the process.
    const ledger = path !== undefined ? { path } : store?.durable ? { store } : undefined;
    this.credentials =
      provisioner && ledger
        ? new CredentialService({ provisioner, ledger, logger: log, ...(this.options.credentialRetry ? { retry: this.options.credentialRetry } : {}) })
        : undefined;
  }

  /** Current credentials of a job for its submitter (after rotations). */
  credentialsOf(job: Job): Credential[] | undefined {
    return this.credentials?.credentialsOf(job.jobId) ?? job.acceptedPayload?.credentials;
  }

  /**
   * Rotates one credential of a running job (§9.8.2): the provisioner returns a new value for
   * the same id, the prior value stops working, and a `status credential_rotated` event
   * {id, value} goes to the submitter (observers get it redacted). Throws JOB_NOT_FOUND for a
   * job that is not running, KitError ARCP_KIT_NO_PROVISIONER without credentials configured, and
   * authority/'s ARCP_KIT_UNKNOWN_CREDENTIAL for an id the job does not hold.
   */
  async rotateCredential(jobId: string, credentialId: string): Promise<void> {
    const job = this.core.jobs.get(jobId);
    if (!job || job.isTerminal) throw arcpError('JOB_NOT_FOUND', `job ${jobId} is not running`);
    if (!this.credentials) throw new KitError('ARCP_KIT_NO_PROVISIONER', 'no credential provisioner (and revocation ledger) is configured');
    const body = await this.credentials.rotate(jobId, credentialId);
    const accepted = job.acceptedPayload?.credentials;
    if (accepted) {
      // Keep an idempotent replay of job.accepted from handing out the revoked value. A new
      // object, never an edit: the job.accepted already queued may still be waiting for the
      // store to be durable (Session.whenDurable) and must go out with the value it was issued.
      job.acceptedPayload = { ...job.acceptedPayload, credentials: accepted.map((c) => (c.id === credentialId ? { ...c, value: body.details.value } : c)) };
    }
    this.core.runner.emitEvent(job, 'status', body);
  }

  /** Wraps the runtime's resolved hooks (called once, from the constructor). */
  install(hooks: RuntimeHooks): void {
    const base = hooks.createAuthority;
    if (base) {
      hooks.createAuthority = (args) => {
        const authority: JobAuthorityLike = base(args);
        const job = args.job as Job;
        byJob.set(job, this);
        job.sinks.add(new JobHistorySink(this.history)); // every job passes here before its first event
        if (this.options.proactiveExpiry) this.expiry.arm(job, authority);
        return authority;
      };
    }
    if (this.credentials && !hooks.issueCredentials) {
      const credentials = this.credentials;
      hooks.issueCredentials = (job: JobInfo) => credentials.issue(job as Job);
    }
    // The ledger-backed service revokes durably; an embedder's own hook must say it does (§14).
    const embedderRevocation = hooks.revokeCredentials;
    if (this.credentials && !embedderRevocation) {
      const credentials = this.credentials;
      hooks.revokeCredentials = {
        // False once a store's ledger failed to load: then the feature is not advertised.
        get durable() {
          return credentials.usable;
        },
        revoke: (job) => credentials.revoke(job.jobId),
      };
    }
    this.embedderRevocation = embedderRevocation;
    const userTerminal = hooks.onJobTerminal;
    hooks.onJobTerminal = (job: JobInfo, state: string) => {
      this.onTerminal(job as Job, state);
      userTerminal?.call(hooks, job, state);
    };
  }

  private onTerminal(job: Job, state: string): void {
    this.expiry.cancel(job);
    this.delegation.endChildren(job, state);
    // §9.8.2 MUST revoke at every terminal state (children first, via the manager's cascade).
    this.credentials?.revoke(job.jobId, job.acceptedPayload?.credentials !== undefined);
    if (this.embedderRevocation) {
      const log = this.core.options.logger;
      Promise.resolve()
        .then(() => this.embedderRevocation!.revoke(job))
        .catch((err) => log('error', 'credential revocation hook failed', { job_id: job.jobId, error: String(err) }));
    }
  }
}

/** Creates the services of `core` and wraps its hooks (ARCPRuntime constructor). */
export function installAuthorityServices(core: RuntimeCore, opts: AuthorityRuntimeOptions): AuthorityServices {
  const services = new AuthorityServices(core, opts);
  services.install(core.hooks);
  byCore.set(core, services);
  return services;
}

export function authorityServicesOf(core: RuntimeCore): AuthorityServices {
  const s = byCore.get(core);
  if (!s) throw new Error('authority services are not installed on this runtime');
  return s;
}

export function authorityServicesOfJob(job: Job): AuthorityServices | undefined {
  return byJob.get(job);
}
