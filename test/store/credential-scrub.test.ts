// Issue 12 / §9.8.2, §14: provisioned credential values do not stay in the store once their job
// has ended. Against each engine as it is on disk or on the server (SQLite rows read with
// better-sqlite3, and the file's bytes after close; Redis keys read with a raw client; the
// memory store's records): while the job runs, its record holds the issued value and its
// history the rotated one; after the terminal, neither the job record nor the history holds
// either (the ids stay). The owner session's resume buffer keeps the `credential_rotated` frame
// it has not acknowledged (exact replay, docs/store.md); once acknowledged, no value is anywhere.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { ReferenceProvisioner } from '../../runtime-kit/authority/index.js';
import type { Credential } from '../../generated/index.js';
import { ARCPRuntime } from '../../runtime-kit/runtime/index.js';
import { authorityServicesOf } from '../../runtime-kit/runtime/enforcement/authority-services.js';
import { TestPeer, type Msg } from '../../runtime-kit/runtime/test/support/test-peer.js';
import type { RuntimeStore } from '../../runtime-kit/store/runtime-store.js';
import type { SqliteRuntimeStore } from '../../runtime-kit/store/sqlite-store.js';
import { storeEngines, type EngineName, type StoreEngine } from './support/store-engines.js';

const { engines, cleanup, tempDir, rawRedis, prefixOf } = storeEngines('the redis case of credential-scrub');

/** Every stored text of the engine, keyed by where it lives (table / key), read beside the store. */
async function dump(name: EngineName, store: RuntimeStore): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (name === 'sqlite') {
    const db = new Database((store as SqliteRuntimeStore).path, { readonly: true });
    try {
      const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[];
      for (const t of tables) out.set(t, JSON.stringify(db.prepare(`SELECT * FROM "${t}"`).all()));
    } finally {
      db.close();
    }
  } else if (name === 'redis') {
    const r = rawRedis();
    for (const key of await r.keys(`${prefixOf(store)}*`)) {
      const type = await r.type(key);
      const value =
        type === 'string' ? await r.get(key)
        : type === 'list' ? await r.lrange(key, 0, -1)
        : type === 'hash' ? await r.hgetall(key)
        : type === 'stream' ? await r.xrange(key, '-', '+')
        : type === 'zset' ? await r.zrange(key, '0', '-1')
        : `(${type})`;
      out.set(key.slice(prefixOf(store).length), JSON.stringify(value));
    }
  } else {
    // the memory store: everything it holds, through its own reads
    out.set('jobs', JSON.stringify(await store.loadJobs()));
    for (const j of await store.loadJobs()) out.set(`history:${j.job_id}`, JSON.stringify(await store.loadJobHistory(j.job_id)));
    for (const s of await store.loadSessions()) out.set(`events:${s.session_id}`, JSON.stringify(await store.loadEvents(s.session_id)));
    out.set('keys', JSON.stringify(await store.loadIdempotencyKeys()));
    out.set('revocations', JSON.stringify(await store.loadRevocations()));
    out.set('audit', JSON.stringify(await store.loadAudit()));
  }
  return out;
}

/** Where (table / key) each of `values` is found. */
async function holders(name: EngineName, store: RuntimeStore, values: string[]): Promise<string[]> {
  await store.flush();
  const found: string[] = [];
  for (const [where, text] of await dump(name, store)) if (values.some((v) => text.includes(v))) found.push(where);
  return found.sort();
}

/** The places each engine keeps a job record, its history and a session's events. */
const PLACES: Record<EngineName, { record: RegExp; history: RegExp; events: RegExp }> = {
  memory: { record: /^jobs$/, history: /^history:/, events: /^events:/ },
  sqlite: { record: /^jobs$/, history: /^history_chunks$/, events: /^event_chunks$/ },
  redis: { record: /^j:/, history: /^h:/, events: /^e:/ },
};

/** A runtime issuing credentials on `store` (the memory store cannot hold the ledger, §14: a file). */
function credentialed(engine: StoreEngine, store: RuntimeStore, provisioner: ReferenceProvisioner): ARCPRuntime {
  const ledger = engine.name === 'memory' ? { revocationLedgerPath: join(tempDir(), 'ledger.json') } : {};
  const rt = new ARCPRuntime({ tokens: { t: 'alice' }, store, credentialProvisioner: provisioner, ...ledger, logger: () => undefined });
  cleanup(() => rt.close());
  return rt;
}

/** Submits `agent`, rotates its credential once: the issued credential and the rotation frame. */
async function rotatedJob(rt: ARCPRuntime, agent: string): Promise<{ peer: TestPeer; jobId: string; issued: Credential; rotation: Msg; values: string[] }> {
  await rt.ready();
  const peer = TestPeer.connect(rt);
  await peer.hello();
  const accepted = await peer.accepted(peer.submit(agent));
  const jobId = accepted.payload.job_id as string;
  const issued = accepted.payload.credentials[0] as Credential;
  await authorityServicesOf(rt).rotateCredential(jobId, issued.id);
  const rotation = await peer.find((m: Msg) => m.job_id === jobId && m.payload?.body?.phase === 'credential_rotated');
  const rotated = rotation.payload.body.details.value as string;
  expect(rotated).not.toBe(issued.value);
  return { peer, jobId, issued, rotation, values: [issued.value, rotated] };
}

describe.each(engines)('credential values in the $name store', (engine) => {
  it('leave the job record and its history at the terminal, and the resume buffer once acknowledged', async () => {
    const store = await engine.open();
    const provisioner = new ReferenceProvisioner();
    const rt = credentialed(engine, store, provisioner);
    let finish: (() => void) | undefined;
    rt.registerAgent('held', async (_input, ctx) => {
      ctx.log('info', 'started');
      await new Promise<void>((r) => (finish = r));
      return { done: true };
    });
    const { peer, jobId, issued, rotation, values } = await rotatedJob(rt, 'held');
    const places = PLACES[engine.name];

    // While the job runs: the record holds the current credentials, history and buffer the rotation.
    const running = await holders(engine.name, store, values);
    expect(running.some((w) => places.record.test(w))).toBe(true);
    expect(running.some((w) => places.history.test(w))).toBe(true);

    finish!();
    const terminal = await peer.terminal(jobId);
    expect(terminal.type).toBe('job.result');
    await expect.poll(() => provisioner.accepts(values[1]!)).toBe(false); // revoked at the terminal (§9.8.2)

    // Ended: only the owner's unacknowledged credential_rotated frame still carries a value.
    const ended = await holders(engine.name, store, values);
    expect(ended.every((w) => places.events.test(w))).toBe(true);
    const record = (await store.loadJob(jobId))!;
    expect(record.accepted.credentials).toBeUndefined();
    expect(record.credential_ids).toEqual([issued.id]);
    const history = await store.loadJobHistory(jobId);
    const notice = history.find((h) => h.seq === rotation.event_seq)!;
    expect(notice.payload).toMatchObject({ kind: 'status', body: { phase: 'credential_rotated.redacted', details: { id: issued.id } } });
    expect(history.map((h) => h.seq)).toEqual(peer.sequenced().filter((m) => m.job_id === jobId).map((m) => m.event_seq));

    // The client acknowledges everything it got: then no value is anywhere in the store.
    peer.send('session.ack', { last_processed_seq: terminal.event_seq });
    await expect.poll(() => holders(engine.name, store, values)).toEqual([]);

    if (engine.name === 'sqlite') {
      // Not in the file's bytes either (secure_delete zeroes replaced and deleted rows in place).
      await rt.close();
      await store.close();
      const bytes = readFileSync((store as SqliteRuntimeStore).path).toString('latin1');
      expect(bytes.includes(issued.id)).toBe(true); // the file is readable as text: the probe can find things
      for (const v of values) expect(bytes.includes(v)).toBe(false);
    }
  });
});

// Not Redis: a cluster node joins the others instead of restoring (store-binding.ts).
describe.each(engines.filter((e) => e.name !== 'redis'))('credential values in the $name store after a restart', (engine) => {
  it('a job running when the process died: its restart terminal takes the values out too', async () => {
    const store = await engine.open();
    const first = credentialed(engine, store, new ReferenceProvisioner());
    first.registerAgent('hang', () => new Promise(() => undefined));
    const { peer, jobId, issued, values } = await rotatedJob(first, 'hang');
    await store.flush();
    await peer.close(); // "the process dies"; the first runtime is never used again

    const reopened = await engine.reopen(store);
    const second = credentialed(engine, reopened, new ReferenceProvisioner());
    await second.ready();
    await expect.poll(async () => (await reopened.loadJob(jobId))?.status).toBe('error');
    const ended = await holders(engine.name, reopened, values);
    expect(ended.every((w) => PLACES[engine.name].events.test(w))).toBe(true);
    expect((await reopened.loadJob(jobId))!.credential_ids).toEqual([issued.id]);
  });
});
