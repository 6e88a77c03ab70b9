// RuntimeStore on SQLite (better-sqlite3): one file, WAL journal, every tick's writes in one
// transaction (write-behind.ts), a tick's events of one session (and history entries of one job)
// in one row (sqlite-schema.ts), WAL checkpoints on a worker thread (sqlite-checkpointer.ts).
// With `synchronous = NORMAL` (the default here) a committed transaction survives the process being killed (kill -9: the WAL is in the OS page cache);
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
import { AuditRetention, trimmablePrefix, type AuditRetentionSetting, type AuditTrim } from './audit-retention.js';
import { SqliteCheckpointer } from './sqlite-checkpointer.js';
import { openSchema } from './sqlite-schema.js';
import { WriteBehind } from './write-behind.js';

export interface SqliteStoreOptions {
  /** `normal` (default): durable across process crashes; `full`: across power loss too. */
  synchronous?: 'normal' | 'full';
  /** A failed commit (disk full, I/O error). Default: written to stderr. */
  onError?: (err: unknown) => void;
  /** Audit log bounds (audit-retention.ts; default 30 days, 1,000,000 records). */
  auditRetention?: AuditRetentionSetting;
}

type Op =
  | { t: 'session'; r: SessionRecord }
  | { t: 'event'; s: string; e: StoredEvent }
  | { t: 'free'; s: string; p: EventPosition }
  | { t: 'drop-session'; s: string }
  | { t: 'job'; r: JobRecord }
  | { t: 'history'; j: string; e: JobHistoryRecord }
  | { t: 'replace-history'; j: string; e: JobHistoryRecord }
  | { t: 'drop-job'; j: string }
  | { t: 'key'; r: IdempotencyKeyRecord }
  | { t: 'drop-key'; p: string; k: string }
  | { t: 'revocation'; r: RevocationRecord }
  | { t: 'drop-revocation'; id: string }
  | { t: 'audit'; r: AuditRecord };

/** An event as stored in a chunk: [seq, type, job id or null, the frame verbatim]. */
type EventTuple = [number, string, string | null, string];

/** Lowest and highest seq (a loop: a tick can hold more entries than a spread call takes). */
function span(seqs: readonly number[]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const x of seqs) {
    if (x < lo) lo = x;
    if (x > hi) hi = x;
  }
  return [lo, hi];
}

/** The events and history entries of one tick, grouped into one chunk per session and per job. */
interface TickChunks {
  events: Map<string, EventTuple[]>;
  history: Map<string, JobHistoryRecord[]>;
}

export class SqliteRuntimeStore implements RuntimeStore {
  readonly kind = 'sqlite';
  readonly durable = true;
  readonly db: Database.Database;
  private readonly queue: WriteBehind<Op>;
  private readonly apply: (ops: Op[]) => void;
  private closed = false;
  private readonly checkpointer: SqliteCheckpointer;
  private readonly q: ReturnType<SqliteRuntimeStore['prepare']>;
  private readonly applyRevocations: (change: RevocationChange) => void;
  readonly auditRetention: AuditRetention;

  constructor(
    readonly path: string,
    opts: SqliteStoreOptions = {},
  ) {
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma(`synchronous = ${opts.synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
    this.db.pragma('busy_timeout = 5000');
    // A replaced or deleted row's bytes are zeroed on its page (credential values that left a job
    // record, §14) at no extra I/O; `FAST` leaves freelist pages as they were (docs/store.md).
    this.db.pragma('secure_delete = FAST');
    openSchema(this.db, path);
    this.q = this.prepare();
    this.apply = this.db.transaction((ops: Op[]) => {
      const tick: TickChunks = { events: new Map(), history: new Map() };
      for (const op of ops) this.applyOne(op, tick);
      this.writeChunks(tick);
    });
    const onError = opts.onError ?? ((err: unknown) => process.stderr.write(`arcp store (sqlite ${path}): commit failed: ${String(err)}\n`));
    this.queue = new WriteBehind<Op>((ops) => this.apply(ops), onError);
    this.applyRevocations = this.db.transaction((change: RevocationChange) => {
      for (const r of change.save) this.q.revocation.run(r.id, JSON.stringify(r));
      for (const id of change.remove) this.q.dropRevocation.run(id);
    });
    this.auditRetention = new AuditRetention(opts.auditRetention, (t) => this.trimAudit(t), onError);
    this.auditRetention.start(); // also bounds what a previous process left
    this.db.pragma('wal_autocheckpoint = 0'); // the checkpointer's job, off the event loop
    this.checkpointer = new SqliteCheckpointer(path, onError, () => {
      if (!this.closed) this.db.pragma('wal_autocheckpoint = 1000'); // SQLite's default, inline again
    });
  }

  private prepare() {
    const db = this.db;
    return {
      session: db.prepare(
        'INSERT INTO sessions (session_id, record) VALUES (?, ?) ON CONFLICT (session_id) DO UPDATE SET record = excluded.record',
      ),
      eventChunk: db.prepare('INSERT INTO event_chunks (session_id, first_seq, last_seq, events) VALUES (?, ?, ?, ?)'),
      position: db.prepare('UPDATE sessions SET freed_through = ?, acked_through = ? WHERE session_id = ?'),
      freeEvents: db.prepare('DELETE FROM event_chunks WHERE session_id = ? AND last_seq <= ?'),
      dropSession: db.prepare('DELETE FROM sessions WHERE session_id = ?'),
      dropEvents: db.prepare('DELETE FROM event_chunks WHERE session_id = ?'),
      job: db.prepare('INSERT OR REPLACE INTO jobs (job_id, record) VALUES (?, ?)'),
      historyChunk: db.prepare('INSERT INTO history_chunks (job_id, first_seq, last_seq, entries) VALUES (?, ?, ?, ?)'),
      dropJob: db.prepare('DELETE FROM jobs WHERE job_id = ?'),
      dropHistory: db.prepare('DELETE FROM history_chunks WHERE job_id = ?'),
      historyHolding: db.prepare('SELECT rowid AS id, entries FROM history_chunks WHERE job_id = ? AND last_seq >= ? AND first_seq <= ?'),
      rewriteHistory: db.prepare('UPDATE history_chunks SET entries = ? WHERE rowid = ?'),
      key: db.prepare('INSERT OR REPLACE INTO idempotency_keys (principal, key, record) VALUES (?, ?, ?)'),
      dropKey: db.prepare('DELETE FROM idempotency_keys WHERE principal = ? AND key = ?'),
      revocation: db.prepare('INSERT OR REPLACE INTO revocations (id, record) VALUES (?, ?)'),
      dropRevocation: db.prepare('DELETE FROM revocations WHERE id = ?'),
      audit: db.prepare('INSERT INTO audit (record) VALUES (?)'),
      loadSessions: db.prepare('SELECT record FROM sessions').pluck(),
      loadSession: db.prepare('SELECT record FROM sessions WHERE session_id = ?').pluck(),
      loadPosition: db.prepare('SELECT freed_through, acked_through FROM sessions WHERE session_id = ?'),
      loadEvents: db.prepare('SELECT events FROM event_chunks WHERE session_id = ? AND last_seq > ? ORDER BY rowid').pluck(),
      loadJobs: db.prepare('SELECT record FROM jobs').pluck(),
      loadJob: db.prepare('SELECT record FROM jobs WHERE job_id = ?').pluck(),
      loadHistory: db.prepare('SELECT entries FROM history_chunks WHERE job_id = ? AND last_seq > ? ORDER BY rowid').pluck(),
      loadKeys: db.prepare('SELECT record FROM idempotency_keys').pluck(),
      loadKey: db.prepare('SELECT record FROM idempotency_keys WHERE principal = ? AND key = ?').pluck(),
      loadRevocations: db.prepare('SELECT record FROM revocations').pluck(),
      loadAudit: db.prepare('SELECT record FROM audit ORDER BY n').pluck(),
      readAudit: db.prepare('SELECT record FROM audit ORDER BY n LIMIT ?').pluck(),
      auditSpan: db.prepare('SELECT min(n) AS lo, max(n) AS hi FROM audit'),
      // A record that does not parse has no stamp (never removed for its age).
      auditStamps: db.prepare("SELECT n, CASE WHEN json_valid(record) THEN json_extract(record, '$.ts') END AS ts FROM audit ORDER BY n LIMIT ?"),
      trimAudit: db.prepare('DELETE FROM audit WHERE n <= ?'),
      // ts stamps are toISOString() text (audit-query.ts), so text order is time order.
      readAuditSince: db.prepare("SELECT record FROM audit WHERE json_extract(record, '$.ts') >= ? ORDER BY n LIMIT ?").pluck(),
    };
  }

  /** Runs one op inside the tick's transaction; events and history entries go to `tick`. */
  private applyOne(op: Op, tick: TickChunks): void {
    const q = this.q;
    switch (op.t) {
      case 'session':
        q.session.run(op.r.session_id, JSON.stringify(op.r));
        return;
      case 'event': {
        const chunk = tick.events.get(op.s) ?? tick.events.set(op.s, []).get(op.s)!;
        chunk.push([op.e.seq, op.e.type, op.e.jobId ?? null, op.e.frame]);
        return;
      }
      case 'free': {
        q.position.run(op.p.freed_through, op.p.acked_through, op.s);
        q.freeEvents.run(op.s, op.p.freed_through);
        const chunk = tick.events.get(op.s);
        if (chunk) tick.events.set(op.s, chunk.filter((e) => e[0] > op.p.freed_through));
        return;
      }
      case 'drop-session':
        q.dropSession.run(op.s);
        q.dropEvents.run(op.s);
        tick.events.delete(op.s);
        return;
      case 'job':
        q.job.run(op.r.job_id, JSON.stringify(op.r));
        return;
      case 'history': {
        const chunk = tick.history.get(op.j) ?? tick.history.set(op.j, []).get(op.j)!;
        chunk.push(op.e);
        return;
      }
      case 'replace-history': {
        const swap = (entries: JobHistoryRecord[]): boolean => {
          let hit = false;
          for (let i = 0; i < entries.length; i++) if (entries[i]!.seq === op.e.seq) (entries[i] = op.e), (hit = true);
          return hit;
        };
        const pending = tick.history.get(op.j); // this tick's chunk, not written yet
        if (pending) swap(pending);
        for (const row of q.historyHolding.all(op.j, op.e.seq, op.e.seq) as { id: number; entries: string }[]) {
          const entries = JSON.parse(row.entries) as JobHistoryRecord[];
          if (swap(entries)) q.rewriteHistory.run(JSON.stringify(entries), row.id);
        }
        return;
      }
      case 'drop-job':
        q.dropJob.run(op.j);
        q.dropHistory.run(op.j);
        tick.history.delete(op.j);
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

  /** One row per session and per job that got entries this tick (after the tick's other ops). */
  private writeChunks(tick: TickChunks): void {
    for (const [s, events] of tick.events) {
      if (events.length === 0) continue;
      const [first, last] = span(events.map((e) => e[0]));
      this.q.eventChunk.run(s, first, last, JSON.stringify(events));
    }
    for (const [j, entries] of tick.history) {
      const [first, last] = span(entries.map((e) => e.seq));
      this.q.historyChunk.run(j, first, last, JSON.stringify(entries));
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
  replaceJobHistory(j: string, _original: JobHistoryRecord, e: JobHistoryRecord): void {
    this.queue.push({ t: 'replace-history', j, e });
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
    this.auditRetention.noteAppend();
  }

  trimAudit(trim: AuditTrim): number {
    if (this.closed) return 0;
    // Audit rows are only ever removed from the oldest end and n is AUTOINCREMENT (a rolled-back
    // insert rolls its number back too), so the rows are exactly lo..hi: the count costs two
    // index lookups instead of a scan.
    const { lo, hi } = this.q.auditSpan.get() as { lo: number | null; hi: number | null };
    if (lo === null || hi === null) return 0;
    const rows = this.q.auditStamps.iterate(trim.max + 1) as IterableIterator<{ n: number; ts: string | null }>;
    let last = 0;
    const n = trimmablePrefix((function* () {
      for (const row of rows) {
        yield typeof row.ts === 'string' ? row.ts : undefined;
        last = row.n; // reached only when the prefix takes this row
      }
    })(), hi - lo + 1, trim);
    rows.return?.(); // the rest is not read: the statement is reset
    if (n > 0) this.q.trimAudit.run(last);
    return n;
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
    const p = this.q.loadPosition.get(id) as { freed_through: number; acked_through: number } | undefined;
    const position = p ? { freed_through: p.freed_through, acked_through: p.acked_through } : { freed_through: 0, acked_through: 0 };
    const after = Math.max(afterSeq, position.freed_through);
    const bySeq = new Map<number, StoredEvent>(); // a seq written twice: the later write wins
    for (const text of this.q.loadEvents.all(id, after) as string[]) {
      for (const [seq, type, jobId, frame] of JSON.parse(text) as EventTuple[]) {
        if (seq > after) bySeq.set(seq, jobId === null ? { seq, type, frame } : { seq, type, jobId, frame });
      }
    }
    return { events: [...bySeq.values()].sort((a, b) => a.seq - b.seq), position };
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
    const bySeq = new Map<number, JobHistoryRecord>(); // a seq written twice: the later write wins
    for (const text of this.q.loadHistory.all(id, afterSeq) as string[]) {
      for (const e of JSON.parse(text) as JobHistoryRecord[]) if (e.seq > afterSeq) bySeq.set(e.seq, e);
    }
    return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
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
    this.auditRetention.stop();
    await this.flush();
    this.closed = true;
    await this.checkpointer.stop();
    this.db.close(); // the last connection: SQLite checkpoints the WAL and removes it
  }
}
