// The revocation ledger on a JSON file, for runtimes without a durable store (§14).
//
// Writes are atomic: a temp file beside the target, fsync, then rename over it; a crash leaves
// either the old or the new ledger, never a torn one. Every write is the whole ledger (the
// ledger serialises them). Temp files a dead process left (its pid is in the name) are removed
// when the ledger is opened.
import { readdirSync, readFileSync, unlinkSync } from 'node:fs';
import { open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { KitError } from '../deps.js';
import type { LedgerBackend, LedgerEntry } from './ledger-backend.js';

interface LedgerFile {
  version: 1;
  outstanding: LedgerEntry[];
}

export class FileLedgerBackend implements LedgerBackend {
  private constructor(readonly path: string) {}

  get where(): string {
    return this.path;
  }

  /**
   * Reads the file synchronously (a missing file is an empty ledger), so a runtime knows before
   * it serves anyone whether it can revoke. Throws KitError ARCP_KIT_LEDGER_UNREADABLE (I/O) or
   * ARCP_KIT_LEDGER_CORRUPT (content).
   */
  static openSync(path: string): { backend: FileLedgerBackend; entries: LedgerEntry[]; removedTempFiles: string[] } {
    let text: string | undefined;
    try {
      text = readFileSync(path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw new KitError('ARCP_KIT_LEDGER_UNREADABLE', `revocation ledger ${path} cannot be read: ${(err as Error).message}`, { cause: err });
      }
    }
    const entries: LedgerEntry[] = [];
    if (text !== undefined) {
      let parsed: LedgerFile;
      try {
        parsed = JSON.parse(text) as LedgerFile;
        if (parsed.version !== 1 || !Array.isArray(parsed.outstanding)) throw new Error('unexpected shape');
      } catch (err) {
        // Losing track of live credentials must be loud, not silently reset.
        throw new KitError('ARCP_KIT_LEDGER_CORRUPT', `revocation ledger ${path} is unreadable`, { cause: err });
      }
      for (const e of parsed.outstanding) if (typeof e?.id === 'string') entries.push({ ...e });
    }
    return { backend: new FileLedgerBackend(path), entries, removedTempFiles: removeOrphanTempFiles(path) };
  }

  write(_change: unknown, entries: readonly LedgerEntry[]): Promise<void> {
    const snapshot: LedgerFile = { version: 1, outstanding: [...entries] };
    return writeAtomically(this.path, JSON.stringify(snapshot, null, 2));
  }
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
