// §14 "Credential revocation reliability": outstanding credential ids are persisted so a
// restarted runtime retries what it could not revoke. The ledger holds ids and job ids only —
// never credential values (§14: values are not persisted beyond the job). Where it persists is
// its backend (ledger-backend.ts): a JSON file (openSync) or the runtime's durable store
// (withBackend). Writes are serialised in-process, in call order.
//
// Issuance is recorded before it happens (issue 13): a `pending` entry for the job is made
// durable before the provisioner is asked, and is replaced by the credential ids once they are
// known. A crash in between leaves the pending entry, and recovery revokes by job
// (`CredentialProvisioner.revokeJob`), so no credential is ever live and unrecorded.

import { withRetries, type RetryOptions } from './retry.js';
import type { CredentialProvisioner } from './provisioner.js';
import { FileLedgerBackend } from './file-ledger-backend.js';
import type { LedgerBackend, LedgerChange, LedgerEntry } from './ledger-backend.js';

export type { LedgerBackend, LedgerChange, LedgerEntry };

export interface RetryReport {
  revoked: string[];
  failed: { id: string; error: string }[];
}

export class RevocationLedger {
  private readonly entries = new Map<string, LedgerEntry>();
  private writing: Promise<void> = Promise.resolve();
  /** Orphan temp files (of dead processes) removed when this (file) ledger was opened. */
  removedTempFiles: string[] = [];

  private constructor(
    private readonly backend: LedgerBackend,
    entries: readonly LedgerEntry[],
  ) {
    for (const e of entries) this.entries.set(e.id, { ...e });
  }

  /** The file path, or what else holds the ledger (for messages). */
  get path(): string {
    return this.backend.where;
  }

  /** Loads the ledger at `path` (a missing file is an empty ledger; a corrupt one throws). */
  static async open(path: string): Promise<RevocationLedger> {
    return RevocationLedger.openSync(path);
  }

  /**
   * Synchronous load, so a runtime knows before it serves anyone whether it can revoke (§14).
   * Throws KitError ARCP_KIT_LEDGER_UNREADABLE (I/O) or ARCP_KIT_LEDGER_CORRUPT (content).
   */
  static openSync(path: string): RevocationLedger {
    const { backend, entries, removedTempFiles } = FileLedgerBackend.openSync(path);
    const ledger = new RevocationLedger(backend, entries);
    ledger.removedTempFiles = removedTempFiles;
    return ledger;
  }

  /** A ledger on any backend, holding `entries` (what the backend had when it was loaded). */
  static withBackend(backend: LedgerBackend, entries: readonly LedgerEntry[]): RevocationLedger {
    return new RevocationLedger(backend, entries);
  }

  /** Before the provisioner is asked: the job may hold credentials from here on. */
  async recordIntent(jobId: string, parentJobId?: string): Promise<void> {
    const entry: LedgerEntry = {
      id: pendingId(jobId),
      job_id: jobId,
      ...(parentJobId ? { parent_job_id: parentJobId } : {}),
      recorded_at: new Date().toISOString(),
      attempts: 0,
      pending: true,
    };
    this.entries.set(entry.id, entry);
    await this.persist({ save: [{ ...entry }], remove: [] });
  }

  /** The provisioner issued nothing: the intent is void. */
  async dropIntent(jobId: string): Promise<void> {
    if (this.entries.delete(pendingId(jobId))) await this.persist({ save: [], remove: [pendingId(jobId)] });
  }

  /** Records newly issued credentials (replacing the job's intent); resolves once they are durable. */
  async record(jobId: string, ids: readonly string[], parentJobId?: string): Promise<void> {
    const now = new Date().toISOString();
    // The intent goes only together with the ids, in the same write: never neither on disk.
    const removed = this.entries.delete(pendingId(jobId));
    const save: LedgerEntry[] = [];
    for (const id of ids) {
      const entry: LedgerEntry = { id, job_id: jobId, ...(parentJobId ? { parent_job_id: parentJobId } : {}), recorded_at: now, attempts: 0 };
      this.entries.set(id, entry);
      save.push({ ...entry });
    }
    await this.persist({ save, remove: removed ? [pendingId(jobId)] : [] });
  }

  async markRevoked(id: string): Promise<void> {
    if (this.entries.delete(id)) await this.persist({ save: [], remove: [id] });
  }

  async noteFailure(id: string, error: unknown): Promise<void> {
    const e = this.entries.get(id);
    if (e === undefined) return;
    e.attempts++;
    e.last_error = error instanceof Error ? error.message : String(error);
    await this.persist({ save: [{ ...e }], remove: [] });
  }

  outstanding(): LedgerEntry[] {
    return [...this.entries.values()].map((e) => ({ ...e }));
  }

  outstandingFor(jobId: string): LedgerEntry[] {
    return this.outstanding().filter((e) => e.job_id === jobId);
  }

  /**
   * Takes in what another process sharing the backend recorded for `jobId` (a cluster node
   * whose job this process is ending), so revoking the job revokes those too. A no-op for a
   * backend nobody shares.
   */
  async adoptJob(jobId: string): Promise<void> {
    if (!this.backend.loadJob) return;
    for (const e of await this.backend.loadJob(jobId)) if (!this.entries.has(e.id)) this.entries.set(e.id, { ...e });
  }

  /**
   * Retries the revocation of every outstanding credential (e.g. at start-up). What still
   * fails stays in the ledger and is reported, so operators can see it (§14).
   */
  async retryOutstanding(provisioner: CredentialProvisioner, retry: RetryOptions = {}): Promise<RetryReport> {
    const report: RetryReport = { revoked: [], failed: [] };
    for (const entry of this.outstanding()) {
      try {
        await withRetries(() => revokeEntry(provisioner, entry), retry);
        await this.markRevoked(entry.id);
        report.revoked.push(entry.id);
      } catch (err) {
        await this.noteFailure(entry.id, err);
        report.failed.push({ id: entry.id, error: err instanceof Error ? err.message : String(err) });
      }
    }
    return report;
  }

  private persist(change: LedgerChange): Promise<void> {
    const snapshot = this.outstanding();
    const next = this.writing.then(() => this.backend.write(change, snapshot));
    this.writing = next.catch(() => undefined); // a failed write does not block later ones
    return next;
  }
}

export function pendingId(jobId: string): string {
  return `pending:${jobId}`;
}

/** A recorded credential by id; an issuance intent by job (the ids never reached the ledger). */
export function revokeEntry(provisioner: CredentialProvisioner, entry: LedgerEntry): Promise<void> {
  if (!entry.pending) return provisioner.revoke(entry.id);
  if (!provisioner.revokeJob) {
    return Promise.reject(new Error(`credentials of job ${entry.job_id} may be live upstream (issuance was interrupted) and this provisioner cannot revoke by job (no revokeJob)`));
  }
  return provisioner.revokeJob(entry.job_id);
}
