// Runtime wiring of §9.8 provisioned credentials over authority/'s CredentialManager:
// the durable revocation ledger is opened once — a JSON file synchronously, or the runtime's
// durable store (store-ledger-backend.ts) before the runtime serves anyone; fatal either way
// when unreadable — and every outstanding credential a previous process left behind is retried
// at start-up (§14); credentials are
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
import type { RuntimeStore } from '../../store/runtime-store.js';
import { openStoreLedger, type StoreLedger } from './store-ledger-backend.js';

export interface CredentialServiceOptions {
  provisioner: CredentialProvisioner;
  /** The ledger: a JSON file, or a durable RuntimeStore (`store.durable`). */
  ledger: { path: string } | { store: RuntimeStore };
  retry?: RetryOptions;
  logger: RuntimeLogger;
}

export class CredentialService {
  /** Resolves with the start-up recovery report (revocations a previous process left). */
  readonly recovered: Promise<RetryReport>;
  /**
   * Resolves once the ledger is loaded (at once for a file: that is synchronous); rejects with
   * KitError ARCP_KIT_LEDGER_CORRUPT / _UNREADABLE when a store's cannot be, and from then on
   * `usable` is false: revocation is not durable, so provisioned_credentials is not advertised.
   */
  readonly opened: Promise<void>;
  /** False once the ledger failed to load. */
  usable = true;
  private readonly manager: Promise<CredentialManager>;
  private loaded: CredentialManager | undefined;
  private readonly revocations = new Set<Promise<unknown>>();
  private orphanTimer: NodeJS.Timeout | undefined;

  constructor(private readonly opts: CredentialServiceOptions) {
    if ('store' in opts.ledger) {
      const store = opts.ledger.store;
      const opening = openStoreLedger(store);
      this.manager = opening.then((l) => this.start(l.ledger));
      this.opened = this.manager.then(
        () => undefined,
        (err: unknown) => {
          this.usable = false;
          throw err;
        },
      );
      this.opened.catch(() => undefined); // the runtime reports it (ready() rejects)
      this.recovered = opening.then(async (l) => {
        if (l.skipped > 0) opts.logger('info', 'credential ledger: entries of live nodes left to them', { path: l.ledger.path, skipped: l.skipped });
        const report = await this.recoverLogged(await this.manager, l.ledger);
        this.scheduleOrphanPass(store, opening);
        return report;
      });
      this.recovered.catch(() => undefined); // a failed load is reported through `opened`
      return;
    }
    // Synchronous and fatal (issue 13, §14): a ledger that cannot be read or parsed means
    // revocation is not durable, so this throws (KitError ARCP_KIT_LEDGER_CORRUPT / _UNREADABLE)
    // and the runtime is never built advertising provisioned_credentials.
    const path = opts.ledger.path;
    const ledger = RevocationLedger.openSync(path);
    if (ledger.removedTempFiles.length > 0) {
      opts.logger('warn', 'credential ledger: removed temp files left by dead processes', { path, files: ledger.removedTempFiles });
    }
    const manager = this.start(ledger);
    this.manager = Promise.resolve(manager);
    this.opened = Promise.resolve();
    this.recovered = this.recoverLogged(manager, ledger);
  }

  private start(ledger: RevocationLedger): CredentialManager {
    const opts = this.opts;
    this.loaded = new CredentialManager({
      provisioner: opts.provisioner,
      ledger,
      ...(opts.retry !== undefined ? { retry: opts.retry } : {}),
      // §9.8.2 MUST log permanent failures; §14 surface them to operators. Ids only, never values.
      onPermanentFailure: (f) => opts.logger('error', 'credential revocation failed permanently', { credential_id: f.id, job_id: f.jobId, error: f.error }),
    });
    return this.loaded;
  }

  /** Start-up recovery, logged so operators see it (`arcp serve` prints warn and error). */
  private recoverLogged(manager: CredentialManager, ledger: RevocationLedger): Promise<RetryReport> {
    const { logger } = this.opts;
    const path = ledger.path;
    const outstanding = ledger.outstanding().length;
    const report = manager.recover();
    report.then(
      (r) => {
        if (outstanding === 0) return;
        logger(r.failed.length > 0 ? 'error' : 'warn', 'credential ledger recovery: revoking what a previous process left outstanding', {
          path,
          outstanding,
          revoked: r.revoked.length,
          failed: r.failed.length,
        });
      },
      (err) => logger('error', 'credential ledger recovery failed', { path, error: String(err) }),
    );
    return report;
  }

  /**
   * Cluster stores: entries of nodes that were alive at start-up but have died since (their
   * liveness key expired) are revoked once, a little after the liveness TTL. Jobs of dead nodes
   * that other nodes end are revoked anyway (adoptJob); this catches interrupted issuances.
   */
  private scheduleOrphanPass(store: RuntimeStore, opening: Promise<StoreLedger>): void {
    const bus = store.bus;
    if (!bus) return;
    this.orphanTimer = setTimeout(() => {
      this.orphanTimer = undefined;
      const p = opening
        .then(async ({ backend }) => {
          const manager = await this.manager;
          for (const jobId of await backend.orphanJobs()) await manager.revokeJob(jobId, { adopt: true });
        })
        .catch((err) => this.opts.logger('error', 'credential ledger: revoking entries of dead nodes failed', { error: String(err) }))
        .finally(() => this.revocations.delete(p));
      this.revocations.add(p);
    }, 2 * bus.livenessTtlMs);
    this.orphanTimer.unref();
  }

  /** Stops the delayed cluster pass (runtime close). */
  stop(): void {
    if (this.orphanTimer) clearTimeout(this.orphanTimer);
    this.orphanTimer = undefined;
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
    const creds = this.loaded?.credentialsOf(jobId);
    return creds && creds.length > 0 ? creds : undefined;
  }

  async rotate(jobId: string, credentialId: string): Promise<CredentialRotatedBody> {
    return (await this.manager).rotate(jobId, credentialId);
  }

  /**
   * Revokes at a terminal state, in the background (retries inside; failures stay in the ledger).
   * `issuedElsewhere`: the job was accepted with credentials, maybe by another node sharing the
   * store (a dead node's job ended here): its ledger entries are read from the store first.
   */
  revoke(jobId: string, issuedElsewhere = false): void {
    const p = this.manager
      .then((m) => m.revokeJob(jobId, { adopt: issuedElsewhere }))
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
