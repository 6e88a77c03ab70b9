// Audit log retention (issue 12): every engine (memory, SQLite file, real redis-server) keeps at
// most `maxRecords` audit records and none older than `maxAgeMs`, removing the oldest first in
// trims of bounded size, run by the store's own timer; two Redis nodes trimming the one shared
// list at once remove no more than one would. Bad settings are typed errors.
import { describe, expect, it } from 'vitest';
import type { AuditRecord } from '../../runtime-kit/runtime/audit/audit-log.js';
import { AUDIT_TRIM_BATCH, AuditRetention } from '../../runtime-kit/store/audit-retention.js';
import { storeEngines } from './support/store-engines.js';

const { engines } = storeEngines('the redis cases of audit-retention');

const DAY = 24 * 60 * 60 * 1000;
/** No timer during the test unless it asks for one. */
const manual = { intervalMs: 3_600_000 };

function record(i: number, ts: string): AuditRecord {
  return { ts, event: 'job.subscribe', subscriber_principal: 'alice', subscriber_session_id: `sess_${i}`, job_id: `job_${i}`, decision: 'allowed', reason: `r${i}` };
}

/** `n` records stamped one second apart from `startMs`. */
function records(n: number, startMs: number, from = 0): AuditRecord[] {
  return Array.from({ length: n }, (_, k) => record(from + k, new Date(startMs + k * 1000).toISOString()));
}

describe.each(engines)('audit retention in the $name store', (engine) => {
  it('keeps the newest maxRecords, oldest removed first', async () => {
    const store = await engine.open({ auditRetention: { ...manual, maxRecords: 5, maxAgeMs: Infinity } });
    for (const r of records(12, Date.now())) store.appendAudit(r);
    await store.flush();
    expect(await store.auditRetention.trimNow()).toBe(7);
    expect((await store.loadAudit()).map((r) => r.job_id)).toEqual(['job_7', 'job_8', 'job_9', 'job_10', 'job_11']);
    expect(await store.auditRetention.trimNow()).toBe(0);
  });

  it('drops records older than maxAgeMs and keeps younger ones', async () => {
    const store = await engine.open({ auditRetention: { ...manual, maxAgeMs: DAY, maxRecords: Infinity } });
    const now = Date.now();
    for (const r of [...records(4, now - 3 * DAY), ...records(3, now - 1000, 4)]) store.appendAudit(r);
    await store.flush();
    expect(await store.auditRetention.trimNow()).toBe(4);
    expect((await store.loadAudit()).map((r) => r.job_id)).toEqual(['job_4', 'job_5', 'job_6']);
    // what is left is read back as before
    expect((await store.readAudit({ limit: 2 })).map((r) => r.job_id)).toEqual(['job_4', 'job_5']);
  });

  it('one trim removes at most what it is given; repeated trims reach the bound', async () => {
    const store = await engine.open({ auditRetention: false });
    for (const r of records(2500, Date.now())) store.appendAudit(r);
    await store.flush();
    expect(await store.trimAudit({ keep: 10, max: 1000 })).toBe(1000);
    expect((await store.loadAudit()).length).toBe(1500);
    expect(await store.trimAudit({ keep: 10, max: 1000 })).toBe(1000);
    expect(await store.trimAudit({ keep: 10, max: 1000 })).toBe(490);
    expect(await store.trimAudit({ keep: 10, max: 1000 })).toBe(0);
    const left = await store.loadAudit();
    expect(left.map((r) => r.job_id)).toEqual(Array.from({ length: 10 }, (_, i) => `job_${2490 + i}`));
  });

  it('the store\'s own timer enforces it while records keep coming', async () => {
    const store = await engine.open({ auditRetention: { intervalMs: 20, maxRecords: 3 } });
    for (const r of records(50, Date.now())) store.appendAudit(r);
    await expect.poll(async () => (await store.loadAudit()).length, { timeout: 10_000, interval: 25 }).toBe(3);
    expect((await store.loadAudit()).map((r) => r.job_id)).toEqual(['job_47', 'job_48', 'job_49']);
  });

  it('`false` never trims (a reader such as arcp audit)', async () => {
    const store = await engine.open({ auditRetention: false });
    expect(store.auditRetention.unbounded).toBe(true);
    for (const r of records(5, Date.now() - 400 * DAY)) store.appendAudit(r);
    await store.flush();
    expect(await store.auditRetention.trimNow()).toBe(0);
    expect(await store.loadAudit()).toHaveLength(5);
  });
});

describe.skipIf(!engines.some((e) => e.name === 'redis'))('two Redis nodes trimming the shared audit list', () => {
  it('remove no more than one would, however they interleave', async () => {
    const redis = engines.find((e) => e.name === 'redis')!;
    const a = await redis.open({ auditRetention: false });
    const b = await redis.reopen(a, { auditRetention: false });
    for (const r of records(300, Date.now())) a.appendAudit(r);
    await a.flush();
    const removed = await Promise.all([a.trimAudit({ keep: 100, max: 1000 }), b.trimAudit({ keep: 100, max: 1000 }), a.trimAudit({ keep: 100, max: 1000 })]);
    expect(removed.reduce((x, y) => x + y, 0)).toBe(200);
    expect((await b.loadAudit())[0]!.job_id).toBe('job_200');
  });
});

describe('AuditRetention', () => {
  it('a trim may remove the batch plus what was appended since the last one', async () => {
    const seen: number[] = [];
    const r = new AuditRetention({ ...manual, maxRecords: 10 }, (t) => (seen.push(t.max), 0), () => undefined);
    for (let i = 0; i < 2500; i++) r.noteAppend();
    await r.trimNow();
    await r.trimNow();
    expect(seen).toEqual([AUDIT_TRIM_BATCH + 2500, AUDIT_TRIM_BATCH]);
  });

  it('the default is 30 days and 1,000,000 records', async () => {
    const trims: unknown[] = [];
    const r = new AuditRetention(undefined, (t) => (trims.push(t), 0), () => undefined, () => Date.parse('2026-12-31T00:00:00.000Z'));
    await r.trimNow();
    expect(trims).toEqual([{ max: AUDIT_TRIM_BATCH, keep: 1_000_000, before: '2026-12-01T00:00:00.000Z' }]);
  });

  it('bad settings are typed errors (ARCP_KIT_BAD_STORE)', () => {
    for (const bad of [{ maxRecords: 0 }, { maxRecords: 1.5 }, { maxAgeMs: -1 }, { maxAgeMs: Number.NaN }, { intervalMs: Infinity }]) {
      expect(() => new AuditRetention(bad, () => 0, () => undefined)).toThrow(expect.objectContaining({ code: 'ARCP_KIT_BAD_STORE' }));
    }
  });
});
