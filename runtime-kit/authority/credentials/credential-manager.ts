// Ties provisioner and ledger together per job (§9.8.2):
//   - issue before `job.accepted`, recorded durably in the ledger before they are handed out;
//   - rotate: new value under the same id, returned as the `status` body to emit
//     (`credential_rotated`, catalog §10 #27: details {id, value});
//   - revoke at every terminal state with bounded retries; children first, so parent
//     termination never leaves child credentials live;
//   - recover(): at start-up, retry whatever a previous process left in the ledger.
// A runtime has durable revocation — and may advertise `provisioned_credentials` (§14) — only
// when it has both a provisioner and a ledger: see `canAdvertiseProvisionedCredentials`.

import { arcpError, KitError, type Credential } from '../deps.js';
import { withRetries, type RetryOptions } from './retry.js';
import { revokeEntry, type RetryReport, type RevocationLedger } from './revocation-ledger.js';
import type { CredentialJob, CredentialProvisioner, CredentialScope } from './provisioner.js';

export interface CredentialRotatedBody {
  phase: 'credential_rotated';
  message: string;
  details: { id: string; value: string };
}

export interface PermanentRevocationFailure {
  id: string;
  jobId: string;
  error: string;
}

export interface CredentialManagerOptions {
  provisioner: CredentialProvisioner;
  ledger: RevocationLedger;
  retry?: RetryOptions;
  /** Called for every credential that could not be revoked after all retries (§9.8.2 MUST log). */
  onPermanentFailure?: (failure: PermanentRevocationFailure) => void;
}

export function canAdvertiseProvisionedCredentials(opts: { provisioner?: unknown; ledger?: unknown }): boolean {
  return opts.provisioner !== undefined && opts.ledger !== undefined;
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export class CredentialManager {
  private readonly byJob = new Map<string, Map<string, Credential>>();
  private readonly children = new Map<string, Set<string>>();

  constructor(private readonly opts: CredentialManagerOptions) {}

  /** Issues and durably records a job's credentials; INTERNAL_ERROR if that is impossible. */
  async issueForJob(job: CredentialJob, scope: CredentialScope): Promise<Credential[]> {
    // Recorded before issued (revocation-ledger.ts): a crash from here on is recoverable.
    try {
      await this.opts.ledger.recordIntent(job.jobId, job.parentJobId);
    } catch (err) {
      throw arcpError('INTERNAL_ERROR', 'could not record the credential issuance for revocation', { details: { reason: message(err) } });
    }
    let creds: Credential[];
    try {
      creds = await withRetries(() => this.opts.provisioner.issue(job, scope), this.opts.retry);
    } catch (err) {
      await this.opts.ledger.dropIntent(job.jobId).catch(() => undefined);
      throw arcpError('INTERNAL_ERROR', 'could not provision credentials', { details: { reason: message(err) } });
    }
    try {
      await this.opts.ledger.record(job.jobId, creds.map((c) => c.id), job.parentJobId);
    } catch (err) {
      // Not durable means not revocable after a crash: take them back now and refuse the job.
      await Promise.allSettled(creds.map((c) => this.opts.provisioner.revoke(c.id)));
      throw arcpError('INTERNAL_ERROR', 'could not record credentials for revocation', { details: { reason: message(err) } });
    }
    this.byJob.set(job.jobId, new Map(creds.map((c) => [c.id, c])));
    if (job.parentJobId !== undefined) {
      const set = this.children.get(job.parentJobId) ?? new Set<string>();
      set.add(job.jobId);
      this.children.set(job.parentJobId, set);
    }
    return creds.map((c) => ({ ...c }));
  }

  credentialsOf(jobId: string): Credential[] {
    return [...(this.byJob.get(jobId)?.values() ?? [])].map((c) => ({ ...c }));
  }

  /** Rotates one credential and returns the `status` event body announcing it. */
  async rotate(jobId: string, credentialId: string): Promise<CredentialRotatedBody> {
    const current = this.byJob.get(jobId)?.get(credentialId);
    if (current === undefined) {
      throw new KitError('ARCP_KIT_UNKNOWN_CREDENTIAL', `job ${jobId} has no live credential ${credentialId}`);
    }
    const next = await withRetries(() => this.opts.provisioner.rotate(current), this.opts.retry);
    if (next.id !== current.id) {
      throw new KitError('ARCP_KIT_ROTATION_CHANGED_ID', `rotation of ${current.id} returned id ${next.id}`);
    }
    this.byJob.get(jobId)!.set(next.id, next);
    return { phase: 'credential_rotated', message: next.id, details: { id: next.id, value: next.value } };
  }

  /**
   * Revokes every credential of `jobId` and of its delegated descendants. Call at every
   * terminal state. Failures stay in the ledger for `recover()` and are reported.
   * `opts.adopt`: the job may hold credentials this manager did not issue (another node of a
   * shared store issued them): its entries are read from the ledger's backend first.
   */
  async revokeJob(jobId: string, opts: { adopt?: boolean } = {}): Promise<RetryReport> {
    const report: RetryReport = { revoked: [], failed: [] };
    for (const child of this.children.get(jobId) ?? []) {
      const sub = await this.revokeJob(child);
      report.revoked.push(...sub.revoked);
      report.failed.push(...sub.failed);
    }
    this.children.delete(jobId);
    // A job another node of a shared store started (and this one ends): its ids are in the store only.
    if (opts.adopt && !this.byJob.has(jobId)) await this.opts.ledger.adoptJob(jobId).catch(() => undefined);
    const recorded = this.opts.ledger.outstandingFor(jobId);
    const ids = new Set([...(this.byJob.get(jobId)?.keys() ?? []), ...recorded.map((e) => e.id)]);
    const entries = new Map(recorded.map((e) => [e.id, e]));
    this.byJob.delete(jobId);
    for (const id of ids) {
      try {
        const entry = entries.get(id) ?? { id, job_id: jobId, recorded_at: '', attempts: 0 };
        await withRetries(() => revokeEntry(this.opts.provisioner, entry), this.opts.retry);
        await this.opts.ledger.markRevoked(id);
        report.revoked.push(id);
      } catch (err) {
        await this.opts.ledger.noteFailure(id, err).catch(() => undefined);
        report.failed.push({ id, error: message(err) });
        this.opts.onPermanentFailure?.({ id, jobId, error: message(err) });
      }
    }
    return report;
  }

  /** Start-up recovery: retry revocations a previous process could not finish. */
  async recover(): Promise<RetryReport> {
    const report = await this.opts.ledger.retryOutstanding(this.opts.provisioner, this.opts.retry);
    for (const f of report.failed) {
      const jobId = this.opts.ledger.outstanding().find((e) => e.id === f.id)?.job_id ?? '';
      this.opts.onPermanentFailure?.({ id: f.id, jobId, error: f.error });
    }
    return report;
  }
}
