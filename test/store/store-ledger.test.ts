// Issue 12 / §14: the credential revocation ledger kept in the runtime's store, in-process,
// against real SQLite (better-sqlite3) and a real redis-server:
//   - the memory store cannot keep it: provisioner + memory store, no file -> not advertised;
//   - SQLite / Redis: advertised, the intent is in the store before the provisioner is asked
//     (record before issue), and a "crash" mid-issuance is revoked by job by the next runtime;
//   - a store whose ledger cannot be read: ready() rejects ARCP_KIT_LEDGER_CORRUPT and the
//     welcome does not advertise provisioned_credentials;
//   - Redis shared by two nodes: a node starting later does not revoke a live node's credential.
import { describe, expect, it } from 'vitest';
import { ReferenceProvisioner, type CredentialJob, type CredentialScope } from '../../runtime-kit/authority/index.js';
import type { Credential } from '../../generated/index.js';
import { ARCPRuntime } from '../../runtime-kit/runtime/index.js';
import { MemoryRuntimeStore } from '../../runtime-kit/store/memory-store.js';
import type { RuntimeStore } from '../../runtime-kit/store/runtime-store.js';
import { SqliteRuntimeStore } from '../../runtime-kit/store/sqlite-store.js';
import { TestPeer } from '../../runtime-kit/runtime/test/support/test-peer.js';
import { authorityServicesOf } from '../../runtime-kit/runtime/enforcement/authority-services.js';
import { haveRedis } from './support/redis-server.js';
import { storeEngines } from './support/store-engines.js';

const fixture = storeEngines('the redis cases of store-ledger', ['sqlite', 'redis'], { livenessTtlMs: 600 });
const { cleanup, rawRedis, prefixOf } = fixture;

const noWait = { attempts: 2, sleep: async () => {} };

function runtimeOn(store: RuntimeStore, provisioner: ReferenceProvisioner, logs: string[] = []): ARCPRuntime {
  const rt = new ARCPRuntime({
    tokens: { t: 'alice' },
    store,
    credentialProvisioner: provisioner,
    credentialRetry: noWait,
    logger: (level, message, data) => logs.push(`${level} ${message} ${JSON.stringify(data ?? {})}`),
  });
  rt.registerAgent('hang', async (_input, ctx) => {
    await new Promise((_r, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason)));
  });
  rt.registerAgent('echo', (input) => input);
  cleanup(() => rt.close());
  return rt;
}

/** Issues only when told to: the runtime is between "intent recorded" and "ids known". */
class HeldProvisioner extends ReferenceProvisioner {
  release: (() => void) | undefined;
  asked = 0;
  override async issue(job: CredentialJob, scope: CredentialScope): Promise<Credential[]> {
    this.asked++;
    await new Promise<void>((r) => (this.release = r));
    return super.issue(job, scope);
  }
  readonly revokedJobs: string[] = [];
  override async revokeJob(jobId: string): Promise<void> {
    this.revokedJobs.push(jobId);
    return super.revokeJob(jobId);
  }
}

/** A ledger record that does not parse, written straight into the engine. */
const corrupt: Record<string, (s: RuntimeStore) => Promise<void>> = {
  sqlite: async (s) => {
    (s as SqliteRuntimeStore).db.prepare('INSERT INTO revocations (id, record) VALUES (?, ?)').run('cred_torn', '{"id":"cred_torn","job_');
  },
  redis: async (s) => {
    await rawRedis().hset(`${prefixOf(s)}revocations`, 'cred_torn', '{"id":');
  },
};

describe('the memory store cannot hold the revocation ledger (§14)', () => {
  it('provisioner + memory store and no ledger file: provisioned_credentials is not advertised', async () => {
    const rt = runtimeOn(new MemoryRuntimeStore(), new ReferenceProvisioner());
    await rt.ready();
    expect(rt.advertisedFeatures()).not.toContain('provisioned_credentials');
    const peer = TestPeer.connect(rt);
    expect((await peer.hello()).payload.capabilities.features).not.toContain('provisioned_credentials');
  });
});

describe.each(fixture.engines)('revocation ledger in the $name store', (engine) => {
  it('advertised; the intent is in the store before the provisioner answers; a crash then is revoked by job on restart', async () => {
    const store = await engine.open();
    const upstream = new HeldProvisioner();
    const first = runtimeOn(store, upstream);
    await first.ready();
    const peer = TestPeer.connect(first);
    expect((await peer.hello()).payload.capabilities.features).toContain('provisioned_credentials');
    peer.submit('hang');
    await expect.poll(() => upstream.asked).toBe(1);
    // the provisioner is being asked right now: the store already has the job's intent
    const during = await store.loadRevocations();
    expect(during).toHaveLength(1);
    expect(during[0]).toMatchObject({ pending: true, id: expect.stringMatching(/^pending:job_/) });
    const jobId = during[0]!.job_id;
    // "the process dies" before the ids come back: the first runtime is never used again
    await peer.close();
    const logs: string[] = [];
    const reopened = await engine.reopen(store, { close: engine.name === 'redis' }); // Redis: the old node's liveness key goes with it
    const second = runtimeOn(reopened, upstream, logs);
    await second.ready();
    await expect.poll(() => upstream.revokedJobs).toContain(jobId);
    await expect.poll(async () => (await reopened.loadRevocations()).length).toBe(0);
    await expect.poll(() => logs.filter((l) => l.includes('credential ledger')).join('\n')).toMatch(/^warn credential ledger recovery.*"revoked":1/m);
  });

  it('issued credentials are recorded (ids, never values) and leave the store when the job ends', async () => {
    const store = await engine.open();
    const upstream = new ReferenceProvisioner();
    const rt = runtimeOn(store, upstream);
    await rt.ready();
    const peer = TestPeer.connect(rt);
    await peer.hello();
    const accepted = await peer.accepted(peer.submit('hang'));
    const cred = accepted.payload.credentials[0] as Credential;
    const recorded = await store.loadRevocations();
    expect(recorded.map((r) => r.id)).toEqual([cred.id]);
    expect(JSON.stringify(recorded)).not.toContain(cred.value);
    peer.send('job.cancel', {}, { job_id: accepted.payload.job_id });
    await peer.terminal(accepted.payload.job_id);
    await expect.poll(() => upstream.isLive(cred.id)).toBe(false);
    await expect.poll(async () => (await store.loadRevocations()).length).toBe(0);
  });

  it('a ledger record that does not parse: ready() rejects ARCP_KIT_LEDGER_CORRUPT and provisioned_credentials is not advertised', async () => {
    const store = await engine.open();
    await corrupt[engine.name]!(store);
    const logs: string[] = [];
    const rt = runtimeOn(store, new ReferenceProvisioner(), logs);
    await expect(rt.ready()).rejects.toMatchObject({ code: 'ARCP_KIT_LEDGER_CORRUPT' });
    const peer = TestPeer.connect(rt);
    expect((await peer.hello()).payload.capabilities.features).not.toContain('provisioned_credentials');
    expect(logs.some((l) => l.startsWith('error credential revocation ledger unusable'))).toBe(true);
  });
});

class RevokeSpy extends ReferenceProvisioner {
  readonly revoked: string[] = [];
  override async revoke(id: string): Promise<void> {
    this.revoked.push(id);
    return super.revoke(id);
  }
}

describe.skipIf(!haveRedis)('one Redis shared by two nodes', () => {
  it('a node starting later leaves a live node\'s credential alone, and revokes it once that node is gone', async () => {
    const redis = fixture.engines.find((e) => e.name === 'redis')!;
    const a = await redis.open();
    const rtA = runtimeOn(a, new ReferenceProvisioner());
    await rtA.ready();
    const peer = TestPeer.connect(rtA);
    await peer.hello();
    const cred = (await peer.accepted(peer.submit('hang'))).payload.credentials[0] as Credential;

    const b = await redis.reopen(a); // a second node on the same keys
    const spy = new RevokeSpy();
    const logs: string[] = [];
    const rtB = runtimeOn(b, spy, logs);
    await rtB.ready();
    await authorityServicesOf(rtB).credentials!.recovered;
    expect(spy.revoked).not.toContain(cred.id); // node A is alive: that is its running job's credential
    expect((await b.loadRevocations()).map((r) => r.id)).toEqual([cred.id]);
    expect(logs.some((l) => l.includes('entries of live nodes left to them') && l.includes('"skipped":1'))).toBe(true);

    await a.close(); // node A is gone (its liveness key with it)
    await expect.poll(() => spy.revoked, { timeout: 15_000 }).toContain(cred.id);
    await expect.poll(async () => (await b.loadRevocations()).length, { timeout: 15_000 }).toBe(0);
  }, 30_000);
});
