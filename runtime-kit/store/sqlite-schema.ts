// The SQLite store's tables and the upgrade from older files.
// Version 2 keeps a session's events and a job's history as chunks: one row per session (and per
// job) per committed tick, holding that tick's entries as a JSON array, instead of one row per
// event. A flood writes ~1,000 events per tick; one b-tree insert for all of them instead of two
// per event (event + history) is what keeps the SQLite store's streaming throughput within
// bench/store's target of the memory store's. Reads filter chunks by seq, so a chunk that is only
// partly acknowledged stays until all of it is (freeEvents deletes whole chunks).
import type Database from 'better-sqlite3';

export const SCHEMA_VERSION = '2';

const TABLES = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sessions (session_id TEXT PRIMARY KEY, record TEXT NOT NULL,
  freed_through INTEGER NOT NULL DEFAULT 0, acked_through INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS event_chunks (session_id TEXT NOT NULL, first_seq INTEGER NOT NULL, last_seq INTEGER NOT NULL,
  events TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS event_chunks_by_session ON event_chunks (session_id, last_seq);
CREATE TABLE IF NOT EXISTS jobs (job_id TEXT PRIMARY KEY, record TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS history_chunks (job_id TEXT NOT NULL, first_seq INTEGER NOT NULL, last_seq INTEGER NOT NULL,
  entries TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS history_chunks_by_job ON history_chunks (job_id, last_seq);
CREATE TABLE IF NOT EXISTS idempotency_keys (principal TEXT NOT NULL, key TEXT NOT NULL, record TEXT NOT NULL,
  PRIMARY KEY (principal, key)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS revocations (id TEXT PRIMARY KEY, record TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS audit (n INTEGER PRIMARY KEY AUTOINCREMENT, record TEXT NOT NULL);
`;

/** Version 1 kept one row per event (`events`) and per history entry (`job_history`). */
const FROM_V1 = `
INSERT INTO event_chunks (session_id, first_seq, last_seq, events)
  SELECT session_id, seq, seq, json_array(json_array(seq, type, job_id, frame)) FROM events ORDER BY session_id, seq;
INSERT INTO history_chunks (job_id, first_seq, last_seq, entries)
  SELECT job_id, seq, seq, json_array(json(entry)) FROM job_history ORDER BY job_id, seq;
DROP TABLE events;
DROP TABLE job_history;
UPDATE meta SET value = '2' WHERE key = 'schema_version';
`;

/** Creates the tables of a new file, upgrades a version-1 file, refuses any other version. */
export function openSchema(db: Database.Database, path: string): void {
  db.transaction(() => {
    db.exec(TABLES);
    const version = db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get('schema_version') as string | undefined;
    if (version === undefined) db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run('schema_version', SCHEMA_VERSION);
    else if (version === '1') db.exec(FROM_V1);
    else if (version !== SCHEMA_VERSION) throw new Error(`${path}: store schema version ${version}, this arcp-kit reads ${SCHEMA_VERSION} (and upgrades 1)`);
  })();
}
