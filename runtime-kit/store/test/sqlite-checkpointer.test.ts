// The SQLite store's WAL is checkpointed by its worker thread, not by the committing connection:
// after commits far beyond SQLite's 1,000-page auto-checkpoint threshold the data reaches the
// database file while the store's own connection has auto-checkpoint off, and the worker reports
// no error (a worker that failed to start would report one and fall back to inline checkpoints).
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { SqliteRuntimeStore } from '../sqlite-store.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

it('moves committed pages into the database file from the worker thread', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'arcp-sqlite-ckpt-'));
  dirs.push(dir);
  const path = join(dir, 'arcp.db');
  const errors: unknown[] = [];
  const store = new SqliteRuntimeStore(path, { onError: (e) => errors.push(e) });
  try {
    expect(store.db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    const frame = 'x'.repeat(2000);
    for (let tick = 0; tick < 20; tick++) {
      for (let i = 1; i <= 500; i++) store.appendEvent('s1', { seq: tick * 500 + i, type: 'job.event', frame });
      await store.flush();
    }
    // ~20 MB committed; wait (bounded) until the worker has copied it into the database file.
    let size = 0;
    for (let i = 0; i < 200 && size < 15_000_000; i++) {
      await new Promise((r) => setTimeout(r, 100));
      size = statSync(path).size;
    }
    expect(size).toBeGreaterThanOrEqual(15_000_000);
    expect(errors).toEqual([]);
    expect((await store.loadEvents('s1')).events).toHaveLength(10_000);
  } finally {
    await store.close();
  }
  expect(statSync(path).size).toBeGreaterThan(0);
});
