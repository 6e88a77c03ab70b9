// §14 "Credential revocation reliability": outstanding credential ids are persisted so a
// restarted runtime retries what it could not revoke. The file holds ids and job ids only —
// never credential values (§14: values are not persisted beyond the job).
//
// Writes are atomic: a temp file beside the target, fsync, then rename over it; a crash leaves
// either the old or the new ledger, never a torn one. Writes are serialised in-process. Temp
// files a dead process left (its pid is in the name) are removed when the ledger is opened.
//
// Issuance is recorded before it happens (issue 13): a `pending` entry for the job goes to disk
// before the provisioner is asked, and is replaced by the credential ids once they are known.
// A crash in between leaves the pending entry, and recovery revokes by job
// (`CredentialProvisioner.revokeJob`), so no credential is ever live and unrecorded.

import { readdirSync, readFileSync, unlinkSync } from 'node:fs';
import { open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { KitError } from '../deps.js';
import { withRetries, type RetryOptions } from './retry.js';
import type { CredentialProvisioner } from './provisioner.js';

export interface LedgerEntry {
  id: string;
  job_id: string;
  parent_job_id?: string;
  recorded_at: string;
  /** Failed revocation attempts so far. */
  attempts: number;
  /** Issuance intent: credentials for `job_id` may exist upstream but their ids are not known yet. */
  pending?: true;
  last_error?: string;
}

interface LedgerFile {
  version: 1;
  outstanding: LedgerEntry[];
}

export interface RetryReport {
  revoked: string[];
  failed: { id: string; error: string }[];
}

export class RevocationLedger {
  private readonly entries = new Map<string, LedgerEntry>();
  private writing: Promise<void> = Promise.resolve();
  /** Orphan temp files (of dead processes) removed when this ledger was opened. */
  removedTempFiles: string[] = [];

  private constructor(readonly path: string) {}

  /** Loads the ledger at `path` (a missing file is an empty ledger; a corrupt one throws). */
  static async open(path: string): Promise<RevocationLedger> {
    return RevocationLedger.openSync(path);
  }

  /**
   * Synchronous load, so a runtime knows before it serves anyone whether it can revoke (§14).
   * Throws KitError ARCP_KIT_LEDGER_UNREADABLE (I/O) or ARCP_KIT_LEDGER_CORRUPT (content).
   */
  static openSync(path: string): RevocationLedger {
    const ledger = new RevocationLedger(path);
    let text: string | undefined;
    try {
      text = readFileSync(path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw new KitError('ARCP_KIT_LEDGER_UNREADABLE', `revocation ledger ${path} cannot be read: ${(err as Error).message}`, { cause: err });
      }
    }
    if (text !== undefined) {
      let parsed: LedgerFile;
      try {
        parsed = JSON.parse(text) as LedgerFile;
        if (parsed.version !== 1 || !Array.isArray(parsed.outstanding)) throw new Error('unexpected shape');
      } catch (err) {
        // Losing track of live credentials must be loud, not silently reset.
        throw new KitError('ARCP_KIT_LEDGER_CORRUPT', `revocation ledger ${path} is unreadable`, { cause: err });
      }
      for (const e of parsed.outstanding) if (typeof e?.id === 'string') ledger.entries.set(e.id, { ...e });
    }
    ledger.removedTempFiles = removeOrphanTempFiles(path);
    return ledger;
  }

  /** Before the provisioner is asked: the job may hold credentials from here on. */
  async recordIntent(jobId: string, parentJobId?: string): Promise<void> {
    this.entries.set(pendingId(jobId), {
      id: pendingId(jobId),
      job_id: jobId,
      ...(parentJobId ? { parent_job_id: parentJobId } : {}),
      recorded_at: new Date().toISOString(),
      attempts: 0,
      pending: true,
    });
    await this.persist();
  }

  /** The provisioner issued nothing: the intent is void. */
  async dropIntent(jobId: string): Promise<void> {
    if (this.entries.delete(pendingId(jobId))) await this.persist();
  }

  /** Records newly issued credentials (replacing the job's intent); resolves once they are on disk. */
  async record(jobId: string, ids: readonly string[], parentJobId?: string): Promise<void> {
    const now = new Date().toISOString();
    // The intent goes only together with the ids, in the same write: never neither on disk.
    this.entries.delete(pendingId(jobId));
    for (const id of ids) {
      this.entries.set(id, { id, job_id: jobId, ...(parentJobId ? { parent_job_id: parentJobId } : {}), recorded_at: now, attempts: 0 });
    }
    await this.persist();
  }

  async markRevoked(id: string): Promise<void> {
    if (this.entries.delete(id)) await this.persist();
  }

  async noteFailure(id: string, error: unknown): Promise<void> {
    const e = this.entries.get(id);
    if (e === undefined) return;
    e.attempts++;
    e.last_error = error instanceof Error ? error.message : String(error);
    await this.persist();
  }

  outstanding(): LedgerEntry[] {
    return [...this.entries.values()].map((e) => ({ ...e }));
  }

  outstandingFor(jobId: string): LedgerEntry[] {
    return this.outstanding().filter((e) => e.job_id === jobId);
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

  private persist(): Promise<void> {
    const snapshot: LedgerFile = { version: 1, outstanding: this.outstanding() };
    const next = this.writing.then(() => writeAtomically(this.path, JSON.stringify(snapshot, null, 2)));
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

/** `<ledger>.<pid>.<hex>.tmp` of processes that no longer run; returns the names removed. */
function removeOrphanTempFiles(path: string): string[] {
  const dir = dirname(path);
  const prefix = `${basename(path)}.`;
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return removed;
  }
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith('.tmp')) continue;
    const pid = Number(name.slice(prefix.length).split('.')[0]);
    if (!Number.isInteger(pid) || pid === process.pid || isAlive(pid)) continue;
    try {
      unlinkSync(join(dir, name));
      removed.push(name);
    } catch {
      // someone else removed it first
    }
  }
  return removed;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function writeAtomically(path: string, text: string): Promise<void> {
  const tmp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  const handle = await open(tmp, 'w', 0o600);
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(tmp, path);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
}
