// What a runtime must not lose, behind one interface (issue 12): sessions, each session's
// sequenced events and ack position, job records with the history subscribers replay,
// idempotency keys, the credential revocation ledger and the audit log.
//
// Writes are synchronous calls that only *queue* (the session's allocate-seq -> store -> send
// step is synchronous, event-store.ts); an implementation applies them in call order and in
// batches (one transaction per tick for SQLite, one pipeline per tick for Redis). Whatever is
// sent to a peer after a write waits for that write to be durable: `afterDurable` runs the send
// once every write queued before it has been committed. So an event a client can see (and
// acknowledge) is always one a restarted runtime still has. Reads are asynchronous (Redis).
import type { Feature, JobState, JobAcceptedPayload } from '../../generated/index.js';
import type { StoredEvent } from '../runtime/event-store.js';
import type { AuditRecord } from '../runtime/audit/audit-log.js';
import type { ResolvedAuditQuery } from '../runtime/audit/audit-query.js';

export type { StoredEvent, AuditRecord, ResolvedAuditQuery };

export interface SessionRecord {
  session_id: string;
  principal: string;
  /** The negotiated intersection (§6.2). */
  features: Feature[];
  /** sha256 hex of the current resume token: the token itself is never stored. */
  resume_token_hash: string;
  /** Wall-clock ms of the last attach / detach / welcome. */
  last_activity_at: number;
  /** A transport carried the session when this record was written. */
  attached: boolean;
  /** Node that holds the session (cluster stores); absent for single-node stores. */
  node_id?: string;
}

/** Ack / free position of a session's event log (§6.5). */
export interface EventPosition {
  /** Every seq <= freed_through is gone (acknowledged or evicted). */
  freed_through: number;
  acked_through: number;
}

export interface JobRecord {
  job_id: string;
  session_id: string;
  principal: string;
  /** `name@version` as accepted (§7.5). */
  agent: string;
  status: JobState;
  trace_id: string;
  created_at: number;
  updated_at: number;
  parent_job_id?: string;
  /** The job.accepted payload (lease, budget, credentials as first sent). */
  accepted: JobAcceptedPayload;
  /** Terminal envelope type and payload once the job ended. */
  terminal?: { type: 'job.result' | 'job.error'; payload: unknown };
  /** Owner-session seq of the job's latest sequenced envelope. */
  last_event_seq: number;
  /**
   * Current budget counters (`cost.budget` leases only): written again each time the job's
   * node spends or reserves, so a node answering job.subscribe for it, or a restarted one,
   * shows the remaining budget, not the one at acceptance (§7.6).
   */
  budget?: JobAcceptedPayload['budget'];
  /** Node the job runs on (cluster stores). */
  node_id?: string;
}

/** One sequenced envelope of a job in its owner's seq space (subscription history, §7.6). */
export interface JobHistoryRecord {
  seq: number;
  type: 'job.event' | 'job.result' | 'job.error';
  trace_id?: string;
  payload: unknown;
}

export interface IdempotencyKeyRecord {
  principal: string;
  key: string;
  /** SHA-256 of the canonical JSON of the submit payload (runtime/idempotency.ts payloadDigest). */
  payload_digest?: string;
  /** The whole submit payload: written by earlier versions only (still read on restore). */
  submit_payload?: unknown;
  job_id: string;
  created_at: number;
}

/** An outstanding credential id (revocation-ledger.ts LedgerEntry; never a value, §14). */
export interface RevocationRecord {
  id: string;
  job_id: string;
  parent_job_id?: string;
  recorded_at: string;
  attempts: number;
  last_error?: string;
  /** Issuance intent (the ids are not known yet): revoked by job (revocation-ledger.ts). */
  pending?: true;
  /** Node that recorded it (cluster stores): another node's live entries are not its to revoke. */
  node_id?: string;
}

/** One change of the revocation ledger, applied all or nothing. */
export interface RevocationChange {
  save: RevocationRecord[];
  remove: string[];
}

/** A message between the runtime nodes sharing one store (persistence/cluster/ gives them meaning). */
export type ClusterMessage = Record<string, unknown> & { op: string; from: string };

/** Messaging between nodes of a shared store (Redis pub/sub), with liveness. */
export interface ClusterBus {
  readonly nodeId: string;
  /** Delivers `msg` to node `to` (fire and forget; per-sender order is kept). */
  send(to: string, msg: ClusterMessage): void;
  onMessage(handler: (msg: ClusterMessage) => void): void;
  /** The node refreshed its liveness key recently (it expires `livenessTtlMs` after its last beat). */
  isAlive(nodeId: string): Promise<boolean>;
  /**
   * Act on a node's death (claim its sessions unasked, end its jobs, revoke its credentials)
   * only once this resolves true: its liveness key is gone and it is fenced from now on, so
   * nothing it writes can land after what this node does. False: it is alive.
   */
  declareDead(nodeId: string): Promise<boolean>;
  readonly livenessTtlMs: number;
  /** A cluster-wide lock held until `unlock` or `ttlMs`; false when another node holds it. */
  tryLock(name: string, ttlMs: number): Promise<boolean>;
  unlock(name: string): Promise<void>;
  /**
   * Another node declared this one dead (it stalled past its liveness TTL), or a new process
   * joined under its id: the store writes and the bus sends nothing more, for good
   * (redis-fence.ts). Restart the process to rejoin.
   */
  readonly fenced: boolean;
  /** Called once when the node is fenced, with the reason. */
  onFenced(handler: (why: string) => void): void;
}

export interface RuntimeStore {
  /** `memory`, `sqlite`, `redis`: for logs and reports. */
  readonly kind: string;
  /** Present on stores several runtime nodes share (Redis): enables cluster mode. */
  readonly bus?: ClusterBus;

  saveSession(record: SessionRecord): void;
  appendEvent(sessionId: string, event: StoredEvent): void;
  /** Records the ack position and deletes the session's events with seq <= freed_through. */
  freeEvents(sessionId: string, position: EventPosition): void;
  /** The session is gone for good (resume window over): its record and events. */
  deleteSession(sessionId: string): void;

  saveJob(record: JobRecord): void;
  appendJobHistory(jobId: string, entry: JobHistoryRecord): void;
  /** Forgets the job with its history (retention over). */
  deleteJob(jobId: string): void;

  saveIdempotencyKey(record: IdempotencyKeyRecord): void;
  deleteIdempotencyKey(principal: string, key: string): void;

  saveRevocation(record: RevocationRecord): void;
  deleteRevocation(id: string): void;
  /**
   * Committed writes survive this process (SQLite, Redis; not the memory store). The runtime
   * keeps its credential revocation ledger in the store only when this is true (§14).
   */
  readonly durable: boolean;
  /**
   * The revocation ledger's writes (runtime/credentials/store-ledger-backend.ts): applied at
   * once, not behind the tick's batch, all or nothing; resolves once durable and rejects when
   * not, because a credential is handed out only after its id is recorded. Do not mix with
   * saveRevocation / deleteRevocation on the same ids.
   */
  commitRevocations(change: RevocationChange): Promise<void>;

  appendAudit(record: AuditRecord): void;

  /**
   * Runs `fn` once every write queued so far is durable, after the callbacks registered before
   * it. Returns false (and does not keep `fn`) when nothing is pending: the caller goes on now.
   */
  afterDurable(fn: () => void): boolean;
  /** Commits what is queued; resolves once it is durable. */
  flush(): Promise<void>;

  loadSessions(): Promise<SessionRecord[]>;
  loadSession(sessionId: string): Promise<SessionRecord | undefined>;
  /** Held events with seq > afterSeq in seq order, and the session's ack position. */
  loadEvents(sessionId: string, afterSeq?: number): Promise<{ events: StoredEvent[]; position: EventPosition }>;
  loadJobs(): Promise<JobRecord[]>;
  loadJob(jobId: string): Promise<JobRecord | undefined>;
  loadJobHistory(jobId: string, afterSeq?: number): Promise<JobHistoryRecord[]>;
  loadIdempotencyKeys(): Promise<IdempotencyKeyRecord[]>;
  loadIdempotencyKey(principal: string, key: string): Promise<IdempotencyKeyRecord | undefined>;
  loadRevocations(): Promise<RevocationRecord[]>;
  loadAudit(): Promise<AuditRecord[]>;
  /** Audit records (oldest first) at or after `query.since`, at most `query.limit` (audit-query.ts). */
  readAudit(query: ResolvedAuditQuery): Promise<AuditRecord[]>;

  /** Flushes and releases the engine connection. */
  close(): Promise<void>;
}
