// `arcp serve --audit-max-records N / --audit-max-age AGE`: the durable store's audit log is
// trimmed to its bounds by the serving process (what an earlier process left included), read
// back from the SQLite file directly; the flags without a durable store, or with a bad value,
// are refused before anything is served.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteRuntimeStore } from '../../runtime-kit/store/sqlite-store.js';
import { startServe, type ServeChild } from '../../test/store/support/serve-child.js';

const ARCP = new URL('../arcp.mjs', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'arcp-serve-audit-'));
const serves: ServeChild[] = [];
afterAll(async () => {
  for (const s of serves) await s.kill9();
  rmSync(dir, { recursive: true, force: true });
});

function arcp(args: string[]): { status: number | null; stderr: string } {
  return spawnSync(process.execPath, [ARCP, ...args], { encoding: 'utf8', timeout: 60_000 });
}

function auditJobIds(file: string): string[] {
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare('SELECT record FROM audit ORDER BY n').pluck().all() as string[]).map((t) => (JSON.parse(t) as { job_id: string }).job_id);
  } finally {
    db.close();
  }
}

describe('arcp serve audit retention flags', () => {
  it('--audit-max-records trims what an earlier process left, oldest first; --audit-max-age drops old records', async () => {
    const file = join(dir, 'arcp.db');
    const seed = new SqliteRuntimeStore(file, { auditRetention: false });
    const now = Date.now();
    for (let i = 0; i < 8; i++) {
      // job_0..job_2 are 40 days old; the rest are recent
      const ts = new Date(i < 3 ? now - 40 * 86_400_000 + i : now - 1000 + i).toISOString();
      seed.appendAudit({ ts, event: 'job.subscribe', subscriber_principal: 'alice', subscriber_session_id: 's', job_id: `job_${i}`, decision: 'allowed', reason: 'seed' });
    }
    await seed.close();
    expect(auditJobIds(file)).toHaveLength(8);

    const byAge = await startServe(['--store', `sqlite:${file}`, '--audit-max-age', '30d', '--audit-max-records', 'none']);
    serves.push(byAge);
    await expect.poll(() => auditJobIds(file), { timeout: 30_000, interval: 100 }).toEqual(['job_3', 'job_4', 'job_5', 'job_6', 'job_7']);
    await byAge.stop();

    const byCount = await startServe(['--store', `sqlite:${file}`, '--audit-max-records', '2']);
    serves.push(byCount);
    await expect.poll(() => auditJobIds(file), { timeout: 30_000, interval: 100 }).toEqual(['job_6', 'job_7']);
    await byCount.stop();
  }, 90_000);

  it('without a durable store the flags are refused (exit 2); bad values are refused', () => {
    const memory = arcp(['serve', '--port', '0', '--audit-max-records', '5']);
    expect(memory.status).toBe(2);
    expect(memory.stderr).toContain('bound the audit log of a durable --store');
    for (const [flag, value] of [['--audit-max-records', '0'], ['--audit-max-records', '1.5'], ['--audit-max-age', '-3d'], ['--audit-max-age', '3w']] as const) {
      const bad = arcp(['serve', '--port', '0', '--store', `sqlite:${join(dir, 'never.db')}`, flag, value]);
      expect(bad.status, `${flag} ${value}`).not.toBe(0);
      expect(bad.stderr).toContain(`${flag}`);
    }
  }, 90_000);
});
