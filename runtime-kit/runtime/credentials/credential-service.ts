// Runtime wiring of §9.8 provisioned credentials over authority/'s CredentialManager:
// the durable revocation ledger is opened once (synchronously, fatal when unreadable) and every outstanding
// credential a previous process left behind is retried at start-up (§14); credentials are
// issued before job.accepted, scoped to the job's lease (budget, models, expiry, §9.8.3);
// rotation is announced by `status credential_rotated`; revocation runs at every terminal state.
import type { Credential } from '../../../generated/index.js';
import {
  CredentialManager,
  credentialScopeFor,
  RevocationLedger,
  type CredentialProvisioner,
  type CredentialRotatedBody,
  type RetryOptions,
  type RetryReport,
} from '../../authority/index.js';
import type { Job } from '../job.js';
import type { RuntimeLogger } from '../options.js';

export interface CredentialServiceOptions {
  provisioner: CredentialProvisioner;
  ledgerPath: string;
  retry?: RetryOptions;
  logger: RuntimeLogger;
}

export class CredentialService {
  /** Resolves with the start-up recovery report (revocations a previous process left). */
  readonly recovered: Promise<RetryReport>;
  private readonly manager: Promise<CredentialManager>;
  private readonly loaded: CredentialManager;
  private readonly revocations = new Set<Promise<unknown>>();

  constructor(private readonly opts: CredentialServiceOptions) {
    // Synchronous and fatal (issue 13, §14): a ledger that cannot be read or parsed means
    // revocation is not durable, so this throws (KitError ARCP_KIT_LEDGER_CORRUPT / _UNREADABLE)
    // and the runtime is never built advertising provisioned_credentials.
    const ledger = RevocationLedger.openSync(opts.ledgerPath);
    if (ledger.removedTempFiles.length > 0) {
      opts.logger('warn', 'credential ledger: removed temp files left by dead processes', { path: opts.ledgerPath, files: ledger.removedTempFiles });
    }
    this.loaded = new CredentialManager({
      provisioner: opts.provisioner,
      ledger,
      ...(opts.retry !== undefined ? { retry: opts.retry } : {}),
      // §9.8.2 MUST log permanent failures; §14 surface them to operators. Ids only, never values.
      onPermanentFailure: (f) => opts.logger('error', 'credential revocation failed permanently', { credential_id: f.id, job_id: f.jobId, error: f.error }),
    });
    this.manager = Promise.resolve(this.loaded);
    const outstanding = ledger.outstanding().length;
    this.recovered = this.loaded.recover();
    // warn: `arcp serve` prints warn and error, and operators must see a recovery happen.
    this.recovered.then(
      (r) => {
        if (outstanding === 0) return;
        opts.logger(r.failed.length > 0 ? 'error' : 'warn', 'credential ledger recovery: revoking what a previous process left outstanding', {
          path: opts.ledgerPath,
          outstanding,
          revoked: r.revoked.length,
          failed: r.failed.length,
        });
      },
      (err) => opts.logger('error', 'credential ledger recovery failed', { path: opts.ledgerPath, error: String(err) }),
    );
  }

  /** Issues the job's credentials (throws -> the submit answers job.error INTERNAL_ERROR). */
  async issue(job: Job): Promise<Credential[]> {
    const manager = await this.manager;
    const budget = job.authority.budget();
    const remaining = budget === undefined ? undefined : Object.entries(budget).map(([c, v]) => `${c}:${formatAmount(v)}`);
    const scope = credentialScopeFor(job.lease, job.leaseConstraints, remaining);
    return manager.issueForJob({ jobId: job.jobId, principal: job.principal, ...(job.parentJobId ? { parentJobId: job.parentJobId } : {}) }, scope);
  }

  /** Current (post-rotation) credentials of a job; undefined when none were issued. */
  credentialsOf(jobId: string): Credential[] | undefined {
    const creds = this.loaded.credentialsOf(jobId);
    return creds && creds.length > 0 ? creds : undefined;
  }

  async rotate(jobId: string, credentialId: string): Promise<CredentialRotatedBody> {
    return (await this.manager).rotate(jobId, credentialId);
  }

  /** Revokes at a terminal state, in the background (retries inside; failures stay in the ledger). */
  revoke(jobId: string): void {
    const p = this.manager
      .then((m) => m.revokeJob(jobId))
      .catch((err) => this.opts.logger('error', 'credential revocation failed', { job_id: jobId, error: String(err) }))
      .finally(() => this.revocations.delete(p));
    this.revocations.add(p);
  }

  /** Resolves once every revocation started so far has finished (tests, shutdown). */
  async settled(): Promise<void> {
    while (this.revocations.size > 0) await Promise.allSettled([...this.revocations]);
  }
}

/** A JSON-number counter back to a §9.6 decimal string (no exponent, never negative). */
function formatAmount(v: number): string {
  if (!(v > 0)) return '0';
  const s = String(v);
  return /e/i.test(s) ? v.toFixed(20).replace(/0+$/, '').replace(/\.$/, '') : s;
}
