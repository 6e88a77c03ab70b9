// Where the revocation ledger (revocation-ledger.ts) keeps its entries: a JSON file
// (file-ledger-backend.ts) when the runtime has no durable store, else the runtime's store
// (runtime/credentials/store-ledger-backend.ts). The ledger owns the semantics (intent, record,
// retry); a backend only makes each change durable.

/** One outstanding credential id, or an issuance intent (never a credential value, §14). */
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

/** One change of the ledger: entries saved (added or updated) and ids removed. */
export interface LedgerChange {
  save: LedgerEntry[];
  remove: string[];
}

export interface LedgerBackend {
  /** What holds the ledger, for messages: a file path, `store sqlite`, ... */
  readonly where: string;
  /**
   * Makes `change` durable, all or nothing; resolves only once it is, rejects when it is not.
   * `entries` is the whole ledger after the change (a file rewrites it; a store applies the
   * change). Calls arrive one at a time, in order.
   */
  write(change: LedgerChange, entries: readonly LedgerEntry[]): Promise<void>;
  /**
   * Entries of `jobId` recorded by another process sharing the backend (a node of a cluster
   * whose job this process ends), so they are revoked too. Absent: nobody shares it.
   */
  loadJob?(jobId: string): Promise<LedgerEntry[]>;
}
