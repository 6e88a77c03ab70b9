// The credential revocation ledger kept in the runtime's durable store (issue 12, §14): with
// `--store sqlite:PATH` or `redis://...` the outstanding credential ids live beside the
// sessions and jobs, in the store's `revocations` records, instead of in a separate file.
// Each ledger change is its own committed transaction (RuntimeStore.commitRevocations), so
// "recorded before issued" holds exactly as with the file.
//
// A shared (cluster) store holds every node's entries. Each is stamped with the node that
// recorded it; a node recovers at start-up only its own, unstamped ones and those of nodes
// that are no longer alive (a live node's entries are its running jobs' credentials), and a
// node ending another node's job takes that job's entries over (RevocationLedger.adoptJob).
import { KitError } from '../../errors/kit-error.js';
import { RevocationLedger, type LedgerBackend, type LedgerChange, type LedgerEntry } from '../../authority/index.js';
import type { RevocationRecord, RuntimeStore } from '../../store/runtime-store.js';

export interface StoreLedger {
  ledger: RevocationLedger;
  backend: StoreLedgerBackend;
  /** Entries left to nodes that were alive when this one started (cluster stores). */
  skipped: number;
}

export class StoreLedgerBackend implements LedgerBackend {
  readonly where: string;
  private readonly nodeId: string | undefined;

  constructor(private readonly store: RuntimeStore) {
    this.where = `store ${store.kind}`;
    this.nodeId = store.bus?.nodeId;
    this.loadJob = store.bus ? async (jobId) => (await this.load()).filter((r) => r.job_id === jobId).map(toEntry) : undefined;
  }

  write(change: LedgerChange): Promise<void> {
    return this.store.commitRevocations({ save: change.save.map((e) => this.stamp(e)), remove: change.remove });
  }

  /** Only a shared (cluster) store has entries another process recorded: absent otherwise. */
  readonly loadJob: ((jobId: string) => Promise<LedgerEntry[]>) | undefined;

  /** Job ids with entries of nodes that are no longer alive (cluster stores; [] otherwise). */
  async orphanJobs(): Promise<string[]> {
    if (!this.store.bus) return [];
    const jobs = new Set<string>();
    const alive = new Map<string, boolean>();
    for (const r of await this.load()) {
      if (r.node_id === undefined || r.node_id === this.nodeId) continue;
      if (await this.mine(r, alive)) jobs.add(r.job_id);
    }
    return [...jobs];
  }

  /**
   * Reads every record. Throws KitError ARCP_KIT_LEDGER_UNREADABLE when the store cannot be
   * read and ARCP_KIT_LEDGER_CORRUPT when a record is not a ledger entry: either way
   * revocation is not durable and provisioned_credentials must not be advertised.
   */
  async load(): Promise<RevocationRecord[]> {
    let records: unknown[];
    try {
      records = await this.store.loadRevocations();
    } catch (err) {
      if (err instanceof SyntaxError) throw new KitError('ARCP_KIT_LEDGER_CORRUPT', `revocation ledger in ${this.where} is unreadable: ${err.message}`, { cause: err });
      throw new KitError('ARCP_KIT_LEDGER_UNREADABLE', `revocation ledger in ${this.where} cannot be read: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
    for (const r of records) {
      if (!isRecord(r)) {
        throw new KitError('ARCP_KIT_LEDGER_CORRUPT', `revocation ledger in ${this.where} is unreadable: not an entry: ${JSON.stringify(r)?.slice(0, 120)}`);
      }
    }
    return records as RevocationRecord[];
  }

  /** An entry this node recovers: its own, unstamped, or of a node no longer alive. */
  async mine(r: RevocationRecord, alive = new Map<string, boolean>()): Promise<boolean> {
    const node = r.node_id;
    if (node === undefined || node === this.nodeId || !this.store.bus) return true;
    // Another node's credentials are revoked here only once it is declared dead (fenced).
    if (!alive.has(node)) alive.set(node, !(await this.store.bus.declareDead(node)));
    return !alive.get(node);
  }

  private stamp(e: LedgerEntry): RevocationRecord {
    return { ...e, ...(this.nodeId !== undefined ? { node_id: this.nodeId } : {}) };
  }
}

/** Loads the ledger from a durable store (see the head of this file for which entries). */
export async function openStoreLedger(store: RuntimeStore): Promise<StoreLedger> {
  const backend = new StoreLedgerBackend(store);
  const entries: LedgerEntry[] = [];
  let skipped = 0;
  const alive = new Map<string, boolean>();
  for (const r of await backend.load()) {
    if (await backend.mine(r, alive)) entries.push(toEntry(r));
    else skipped++;
  }
  return { ledger: RevocationLedger.withBackend(backend, entries), backend, skipped };
}

function toEntry(r: RevocationRecord): LedgerEntry {
  const { node_id: _node, ...entry } = r;
  return entry;
}

function isRecord(r: unknown): r is RevocationRecord {
  if (typeof r !== 'object' || r === null) return false;
  const o = r as Record<string, unknown>;
  return typeof o.id === 'string' && typeof o.job_id === 'string' && typeof o.recorded_at === 'string' && typeof o.attempts === 'number';
}
