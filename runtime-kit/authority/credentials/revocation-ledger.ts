// §14 "Credential revocation reliability": outstanding credential ids are persisted so a
// restarted runtime retries what it could not revoke. The file holds ids and job ids only —
// never credential values (§14: values are not persisted beyond the job).
//
// Writes are atomic: a temp file beside the target, fsync, then rename over it; a crash leaves
// either the old or the new ledger, never a torn one. Writes are serialised in-process.

import { open, readFile, rename, unlink } from 'node:fs/promises';
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

  private constructor(readonly path: string) {}

  /** Loads the ledger at `path` (a missing file is an empty ledger; a corrupt one throws). */
  static async open(path: string): Promise<RevocationLedger> {
    const ledger = new RevocationLedger(path);
    let text: string | undefined;
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
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
    return ledger;
  }

  /** Records newly issued credentials; resolves once they are on disk. */
  async record(jobId: string, ids: readonly string[], parentJobId?: string): Promise<void> {
    const now = new Date().toISOString();
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
        await withRetries(() => provisioner.revoke(entry.id), retry);
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
