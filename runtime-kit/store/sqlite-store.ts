// RuntimeStore on SQLite (better-sqlite3): one file, WAL journal, every tick's writes in one
// transaction (write-behind.ts). With `synchronous = NORMAL` (the default here) a committed
// transaction survives the process being killed (kill -9: the WAL is in the OS page cache);
// `synchronous: 'full'` also survives power loss at the cost of an fsync per commit.
// Records are JSON text beside the few columns queries need; frames are stored verbatim so a
// resume after a restart replays the exact bytes first sent.
import Database from 'better-sqlite3';
import type {
  AuditRecord,
  ResolvedAuditQuery,
  RevocationChange,
  EventPosition,
  IdempotencyKeyRecord,
  JobHistoryRecord,
  JobRecord,
  RevocationRecord,
  RuntimeStore,
  SessionRecord,
  StoredEvent,
} from './runtime-store.js';
import { WriteBehind } from './write-behind.js';

export interface SqliteStoreOptions {
  /** `normal` (default): durable across process crashes; `full`: across power loss too. */
  synchronous?: 'normal' | 'full';
  /** A failed commit (disk full, I/O error). Default: written to stderr. */
  onError?: (err: unknown) => void;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sessions (session_id TEXT PRIMARY KEY, record TEXT NOT NULL,
  freed_through INTEGER NOT NULL DEFAULT 0, acked_through INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS events (session_id TEXT NOT NULL, seq INTEGER NOT NULL, type TEXT NOT NULL,
  job_id TEXT, frame TEXT NOT NULL, PRIMARY KEY (session_id, seq)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS jobs (job_id TEXT PRIMARY KEY, record TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS job_history (job_id TEXT NOT NULL, seq INTEGER NOT NULL, entry TEXT NOT NULL,
  PRIMARY KEY (job_id, seq)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS idempotency_keys (principal TEXT NOT NULL, key TEXT NOT NULL, record TEXT NOT NULL,
  PRIMARY KEY (principal, key)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS revocations (id TEXT PRIMARY KEY, record TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS audit (n INTEGER PRIMARY KEY AUTOINCREMENT, record TEXT NOT NULL);
`;
const SCHEMA_VERSION = '1';

type Op =
  | { t: 'session'; r: SessionRecord }
  | { t: 'event'; s: string; e: StoredEvent }
  | { t: 'free'; s: string; p: EventPosition }
  | { t: 'drop-session'; s: string }
  | { t: 'job'; r: JobRecord }
  | { t: 'history'; j: string; e: JobHistoryRecord }
  | { t: 'drop-job'; j: string }
  | { t: 'key'; r: IdempotencyKeyRecord }
  | { t: 'drop-key'; p: string; k: string }
  | { t: 'revocation'; r: RevocationRecord }
  | { t: 'drop-revocation'; id: string }
  | { t: 'audit'; r: AuditRecord };

export class SqliteRuntimeStore implements RuntimeStore {
  readonly kind = 'sqlite';
  readonly durable = true;
  readonly db: Database.Database;
  private readonly queue: WriteBehind<Op>;
  private readonly apply: (ops: Op[]) => void;
  private closed = false;
  private readonly q: ReturnType<SqliteRuntimeStore['prepare']>;
  private readonly applyRevocations: (change: RevocationChange) => void;

  constructor(
    readonly path: string,
    opts: SqliteStoreOptions = {},
  ) {
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma(`synchronous = ${opts.synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(SCHEMA);
    const version = this.db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get('schema_version') as string | undefined;
    if (version === undefined) this.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run('schema_version', SCHEMA_VERSION);
    else if (version !== SCHEMA_VERSION) throw new Error(`${path}: store schema version ${version}, this arcp-kit reads ${SCHEMA_VERSION}`);
    this.q = this.prepare();
    this.apply = this.db.transaction((ops: Op[]) => {
      for (const op of ops) this.applyOne(op);
    });
    const onError = opts.onError ?? ((err: unknown) => process.stderr.write(`arcp store (sqlite ${path}): commit failed: ${String(err)}\n`));
    this.queue = new WriteBehind<Op>((ops) => this.apply(ops), onError);
    this.applyRevocations = this.db.transaction((change: RevocationChange) => {
      for (const r of change.save) this.q.revocation.run(r.id, JSON.stringify(r));
      for (const id of change.remove) this.q.dropRevocation.run(id);
    });
  }

  private prepare() {
    const db = this.db;
    return {
      session: db.prepare(
        'INSERT INTO sessions (session_id, record) VALUES (?, ?) ON CONFLICT (session_id) DO UPDATE SET record = excluded.record',
      ),
      event: db.prepare('INSERT OR REPLACE INTO events (session_id, seq, type, job_id, frame) VALUES (?, ?, ?, ?, ?)'),
      position: db.prepare('UPDATE sessions SET freed_through = ?, acked_through = ? WHERE session_id = ?'),
      freeEvents: db.prepare('DELETE FROM events WHERE session_id = ? AND seq <= ?'),
      dropSession: db.prepare('DELETE FROM sessions WHERE session_id = ?'),
      dropEvents: db.prepare('DELETE FROM events WHERE session_id = ?'),
      job: db.prepare('INSERT OR REPLACE INTO jobs (job_id, record) VALUES (?, ?)'),
      history: db.prepare('INSERT OR REPLACE INTO job_history (job_id, seq, entry) VALUES (?, ?, ?)'),
      dropJob: db.prepare('DELETE FROM jobs WHERE job_id = ?'),
      dropHistory: db.prepare('DELETE FROM job_history WHERE job_id = ?'),
      key: db.prepare('INSERT OR REPLACE INTO idempotency_keys (principal, key, record) VALUES (?, ?, ?)'),
      dropKey: db.prepare('DELETE FROM idempotency_keys WHERE principal = ? AND key = ?'),
      revocation: db.prepare('INSERT OR REPLACE INTO revocations (id, record) VALUES (?, ?)'),
      dropRevocation: db.prepare('DELETE FROM revocations WHERE id = ?'),
      audit: db.prepare('INSERT INTO audit (record) VALUES (?)'),
      loadSessions: db.prepare('SELECT record FROM sessions').pluck(),
      loadSession: db.prepare('SELECT record FROM sessions WHERE session_id = ?').pluck(),
      loadPosition: db.prepare('SELECT freed_through, acked_through FROM sessions WHERE session_id = ?'),
      loadEvents: db.prepare('SELECT seq, type, job_id AS jobId, frame FROM events WHERE session_id = ? AND seq > ? ORDER BY seq'),
      loadJobs: db.prepare('SELECT record FROM jobs').pluck(),
      loadJob: db.prepare('SELECT record FROM jobs WHERE job_id = ?').pluck(),
      loadHistory: db.prepare('SELECT entry FROM job_history WHERE job_id = ? AND seq > ? ORDER BY seq').pluck(),
      loadKeys: db.prepare('SELECT record FROM idempotency_keys').pluck(),
      loadKey: db.prepare('SELECT record FROM idempotency_keys WHERE principal = ? AND key = ?').pluck(),
      loadRevocations: db.prepare('SELECT record FROM revocations').pluck(),
      loadAudit: db.prepare('SELECT record FROM audit ORDER BY n').pluck(),
      readAudit: db.prepare('SELECT record FROM audit ORDER BY n LIMIT ?').pluck(),
      // ts stamps are toISOString() text (audit-query.ts), so text order is time order.
      readAuditSince: db.prepare("SELECT record FROM audit WHERE json_extract(record, '$.ts') >= ? ORDER BY n LIMIT ?").pluck(),
    };
  }

  private applyOne(op: Op): void {
    const q = this.q;
    switch (op.t) {
      case 'session':
        q.session.run(op.r.session_id, JSON.stringify(op.r));
        return;
      case 'event':
        q.event.run(op.s, op.e.seq, op.e.type, op.e.jobId ?? null, op.e.frame);
        return;
      case 'free':
        q.position.run(op.p.freed_through, op.p.acked_through, op.s);
        q.freeEvents.run(op.s, op.p.freed_through);
        return;
      case 'drop-session':
        q.dropSession.run(op.s);
        q.dropEvents.run(op.s);
        return;
      case 'job':
        q.job.run(op.r.job_id, JSON.stringify(op.r));
        return;
      case 'history':
        q.history.run(op.j, op.e.seq, JSON.stringify(op.e));
        return;
      case 'drop-job':
        q.dropJob.run(op.j);
        q.dropHistory.run(op.j);
        return;
      case 'key':
        q.key.run(op.r.principal, op.r.key, JSON.stringify(op.r));
        return;
      case 'drop-key':
        q.dropKey.run(op.p, op.k);
        return;
      case 'revocation':
        q.revocation.run(op.r.id, JSON.stringify(op.r));
        return;
      case 'drop-revocation':
        q.dropRevocation.run(op.id);
        return;
      case 'audit':
        q.audit.run(JSON.stringify(op.r));
        return;
    }
  }

  saveSession(r: SessionRecord): void {
    this.queue.push({ t: 'session', r: { ...r } });
  }
  appendEvent(s: string, e: StoredEvent): void {
    this.queue.push({ t: 'event', s, e });
  }
  freeEvents(s: string, p: EventPosition): void {
    this.queue.push({ t: 'free', s, p: { ...p } });
  }
  deleteSession(s: string): void {
    this.queue.push({ t: 'drop-session', s });
  }
  saveJob(r: JobRecord): void {
    // Serialised now: the runtime keeps mutating the objects a record was built from.
    this.queue.push({ t: 'job', r: JSON.parse(JSON.stringify(r)) as JobRecord });
  }
  appendJobHistory(j: string, e: JobHistoryRecord): void {
    this.queue.push({ t: 'history', j, e });
  }
  deleteJob(j: string): void {
    this.queue.push({ t: 'drop-job', j });
  }
  saveIdempotencyKey(r: IdempotencyKeyRecord): void {
    this.queue.push({ t: 'key', r });
  }
  deleteIdempotencyKey(p: string, k: string): void {
    this.queue.push({ t: 'drop-key', p, k });
  }
  saveRevocation(r: RevocationRecord): void {
    this.queue.push({ t: 'revocation', r: { ...r } });
  }
  deleteRevocation(id: string): void {
    this.queue.push({ t: 'drop-revocation', id });
  }
  appendAudit(r: AuditRecord): void {
    this.queue.push({ t: 'audit', r: { ...r } });
  }

  async commitRevocations(change: RevocationChange): Promise<void> {
    if (this.closed) throw new Error(`store (sqlite ${this.path}) is closed`);
    // Its own transaction, committed now (WAL, synchronous NORMAL: survives kill -9), so the
    // caller learns whether it is durable; it touches only the revocations table.
    this.applyRevocations(change);
  }

  afterDurable(fn: () => void): boolean {
    return this.queue.afterDurable(fn);
  }

  flush(): Promise<void> {
    return this.queue.flush();
  }

  async loadSessions(): Promise<SessionRecord[]> {
    await this.flush();
    return (this.q.loadSessions.all() as string[]).map((t) => JSON.parse(t) as SessionRecord);
  }
  async loadSession(id: string): Promise<SessionRecord | undefined> {
    await this.flush();
    const t = this.q.loadSession.get(id) as string | undefined;
    return t === undefined ? undefined : (JSON.parse(t) as SessionRecord);
  }
  async loadEvents(id: string, afterSeq = 0): Promise<{ events: StoredEvent[]; position: EventPosition }> {
    await this.flush();
    const events = (this.q.loadEvents.all(id, afterSeq) as { seq: number; type: string; jobId: string | null; frame: string }[]).map((r) =>
      r.jobId === null ? { seq: r.seq, type: r.type, frame: r.frame } : { seq: r.seq, type: r.type, jobId: r.jobId, frame: r.frame },
    );
    const p = this.q.loadPosition.get(id) as { freed_through: number; acked_through: number } | undefined;
    return { events, position: p ? { freed_through: p.freed_through, acked_through: p.acked_through } : { freed_through: 0, acked_through: 0 } };
  }
  async loadJobs(): Promise<JobRecord[]> {
    await this.flush();
    return (this.q.loadJobs.all() as string[]).map((t) => JSON.parse(t) as JobRecord);
  }
  async loadJob(id: string): Promise<JobRecord | undefined> {
    await this.flush();
    const t = this.q.loadJob.get(id) as string | undefined;
    return t === undefined ? undefined : (JSON.parse(t) as JobRecord);
  }
  async loadJobHistory(id: string, afterSeq = 0): Promise<JobHistoryRecord[]> {
    await this.flush();
    return (this.q.loadHistory.all(id, afterSeq) as string[]).map((t) => JSON.parse(t) as JobHistoryRecord);
  }
  async loadIdempotencyKeys(): Promise<IdempotencyKeyRecord[]> {
    await this.flush();
    return (this.q.loadKeys.all() as string[]).map((t) => JSON.parse(t) as IdempotencyKeyRecord);
  }
  async loadIdempotencyKey(principal: string, key: string): Promise<IdempotencyKeyRecord | undefined> {
    await this.flush();
    const t = this.q.loadKey.get(principal, key) as string | undefined;
    return t === undefined ? undefined : (JSON.parse(t) as IdempotencyKeyRecord);
  }
  async loadRevocations(): Promise<RevocationRecord[]> {
    await this.flush();
    return (this.q.loadRevocations.all() as string[]).map((t) => JSON.parse(t) as RevocationRecord);
  }
  async loadAudit(): Promise<AuditRecord[]> {
    await this.flush();
    return (this.q.loadAudit.all() as string[]).map((t) => JSON.parse(t) as AuditRecord);
  }

  async readAudit(query: ResolvedAuditQuery): Promise<AuditRecord[]> {
    await this.flush();
    const rows = (query.since === undefined ? this.q.readAudit.all(query.limit) : this.q.readAuditSince.all(query.since, query.limit)) as string[];
    return rows.map((t) => JSON.parse(t) as AuditRecord);
  }

  /** `PRAGMA integrity_check` (tests, operators): 'ok' or the problems found. */
  integrityCheck(): string {
    return (this.db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check).join('; ');
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.flush();
    this.closed = true;
    this.db.close();
  }
}
