// The SQLite store keeps a tick's events of one session (and history entries of one job) in one
// row (sqlite-schema.ts). What a caller reads back must not depend on how writes fell into
// ticks: exactly the events after the freed/acked position and `afterSeq`, frames verbatim, in
// seq order; acks, session drops and job drops inside the same tick as appends; whole chunks
// deleted once freed; the same answers from a fresh connection; and a version-1 file (one row per
// event) upgraded in place.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { JobHistoryRecord, SessionRecord, StoredEvent } from '../runtime-store.js';
import { SqliteRuntimeStore } from '../sqlite-store.js';

const dirs: string[] = [];
const open: SqliteRuntimeStore[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function file(): string {
  const dir = mkdtempSync(join(tmpdir(), 'arcp-sqlite-chunks-'));
  dirs.push(dir);
  return join(dir, 'arcp.db');
}
function store(path: string): SqliteRuntimeStore {
  const s = new SqliteRuntimeStore(path);
  open.push(s);
  return s;
}
const session = (id: string): SessionRecord => ({ session_id: id, principal: 'alice', features: ['ack'], resume_token_hash: 'h', last_activity: 1 }) as unknown as SessionRecord;
const ev = (seq: number, jobId?: string): StoredEvent => ({ seq, type: 'job.event', ...(jobId ? { jobId } : {}), frame: `{"arcp":"1.1","event_seq":${seq},"payload":{"s":"\\"quoted\\" ${seq}"}}` });
const hist = (seq: number): JobHistoryRecord => ({ seq, type: 'job.event', payload: { kind: 'log', n: seq } });
const seqs = (events: readonly { seq: number }[]): number[] => events.map((e) => e.seq);
const rows = (s: SqliteRuntimeStore, table: string): number => s.db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;

describe('sqlite store: events and history in per-tick chunks', () => {
  it('reads back exactly the events after the freed position and afterSeq, verbatim, across ticks and a reopen', async () => {
    const path = file();
    const s = store(path);
    s.saveSession(session('s1'));
    for (let i = 1; i <= 5; i++) s.appendEvent('s1', ev(i, 'j1'));
    await s.flush();
    for (let i = 6; i <= 9; i++) s.appendEvent('s1', ev(i));
    await s.flush();
    expect(rows(s, 'event_chunks')).toBe(2);

    s.freeEvents('s1', { freed_through: 3, acked_through: 3 }); // inside the first chunk
    const read = await s.loadEvents('s1');
    expect(seqs(read.events)).toEqual([4, 5, 6, 7, 8, 9]);
    expect(read.events[0]).toEqual(ev(4, 'j1'));
    expect(read.events[2]).toEqual(ev(6));
    expect(read.position).toEqual({ freed_through: 3, acked_through: 3 });
    expect(seqs((await s.loadEvents('s1', 7)).events)).toEqual([8, 9]);
    expect(rows(s, 'event_chunks')).toBe(2); // partly freed: kept

    s.freeEvents('s1', { freed_through: 5, acked_through: 5 });
    await s.flush();
    expect(rows(s, 'event_chunks')).toBe(1); // the first chunk is all freed: deleted

    const again = store(path);
    expect((await again.loadEvents('s1')).events).toEqual([6, 7, 8, 9].map((n) => ev(n)));
  });

  it('applies acks and drops that share a tick with appends in call order', async () => {
    const s = store(file());
    s.saveSession(session('a'));
    s.saveSession(session('b'));
    for (let i = 1; i <= 5; i++) s.appendEvent('a', ev(i));
    s.freeEvents('a', { freed_through: 3, acked_through: 3 });
    s.appendEvent('a', ev(6));
    s.appendEvent('b', ev(1));
    s.deleteSession('b');
    s.saveSession(session('b'));
    s.appendEvent('b', ev(2));
    await s.flush();
    expect(seqs((await s.loadEvents('a')).events)).toEqual([4, 5, 6]);
    expect(seqs((await s.loadEvents('b')).events)).toEqual([2]);

    s.freeEvents('a', { freed_through: 6, acked_through: 6 });
    s.appendEvent('a', ev(7));
    await s.flush();
    expect(seqs((await s.loadEvents('a')).events)).toEqual([7]);
  });

  it('keeps job history per tick: afterSeq, a job dropped in the tick of its appends, a reopen', async () => {
    const path = file();
    const s = store(path);
    for (let i = 1; i <= 4; i++) s.appendJobHistory('j1', hist(i));
    await s.flush();
    for (let i = 5; i <= 6; i++) s.appendJobHistory('j1', hist(i));
    s.appendJobHistory('j2', hist(1));
    s.deleteJob('j2');
    s.appendJobHistory('j3', hist(1));
    await s.flush();
    expect(await s.loadJobHistory('j1')).toEqual([1, 2, 3, 4, 5, 6].map(hist));
    expect(seqs(await s.loadJobHistory('j1', 3))).toEqual([4, 5, 6]);
    expect(await s.loadJobHistory('j2')).toEqual([]);
    s.deleteJob('j1');
    await s.flush();
    expect(rows(s, 'history_chunks')).toBe(1);
    expect(await store(path).loadJobHistory('j3')).toEqual([hist(1)]);
  });

  it('upgrades a version-1 file (one row per event and per history entry) in place', async () => {
    const path = file();
    const v1 = new Database(path);
    v1.exec(`CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE sessions (session_id TEXT PRIMARY KEY, record TEXT NOT NULL, freed_through INTEGER NOT NULL DEFAULT 0, acked_through INTEGER NOT NULL DEFAULT 0);
      CREATE TABLE events (session_id TEXT NOT NULL, seq INTEGER NOT NULL, type TEXT NOT NULL, job_id TEXT, frame TEXT NOT NULL, PRIMARY KEY (session_id, seq)) WITHOUT ROWID;
      CREATE TABLE job_history (job_id TEXT NOT NULL, seq INTEGER NOT NULL, entry TEXT NOT NULL, PRIMARY KEY (job_id, seq)) WITHOUT ROWID;
      INSERT INTO meta VALUES ('schema_version', '1');`);
    v1.prepare('INSERT INTO sessions (session_id, record, freed_through, acked_through) VALUES (?, ?, 1, 1)').run('s1', JSON.stringify(session('s1')));
    for (const e of [ev(1, 'j1'), ev(2, 'j1'), ev(3)]) v1.prepare('INSERT INTO events VALUES (?, ?, ?, ?, ?)').run('s1', e.seq, e.type, e.jobId ?? null, e.frame);
    for (const h of [hist(2), hist(1)]) v1.prepare('INSERT INTO job_history VALUES (?, ?, ?)').run('j1', h.seq, JSON.stringify(h));
    v1.close();

    const s = store(path);
    expect((await s.loadEvents('s1')).events).toEqual([ev(2, 'j1'), ev(3)]);
    expect(await s.loadJobHistory('j1')).toEqual([hist(1), hist(2)]);
    expect(s.db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").pluck().get()).toBe('2');
    expect(s.db.prepare("SELECT count(*) FROM sqlite_master WHERE name IN ('events', 'job_history')").pluck().get()).toBe(0);
    expect(s.integrityCheck()).toBe('ok');
  });
});
