// Issue 12 step 4: `arcp conformance` (the harness behind it, runConformance) against a 3-node
// cluster sharing one real redis-server, every connection to a node picked at random (seeded)
// through a ws proxy, and every resume to another node than the session's home, passes every
// check it passes against a single node reached the same way (same proxy, same settings).
// Every run, not opt-in.
//
// The nodes run with the in-process target's settings (short resume window, credentials with a
// revocation ledger), so the timing and credential checks run too instead of skipping. What a
// single node does not pass, and why, is in docs/store.md ("Certified as a cluster").
//
// Coverage of the cross-node paths is asserted from the nodes' own cluster messages: sessions
// resumed on another node (`release`), cancels of jobs on another node (`cancel`) and subscribes
// to jobs on another node (`watch`) all happened during the run.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runConformance, type RunResult } from '../../conformance/index.js';
import { IN_PROCESS_SETTINGS } from '../../conformance/driver/in-process.js';
import { registerConformanceAgents } from '../../runtime-kit/agents/conformance.js';
import { ReferenceProvisioner } from '../../runtime-kit/authority/index.js';
import { ARCPRuntime } from '../../runtime-kit/runtime/index.js';
import { RedisRuntimeStore } from '../../runtime-kit/store/redis-store.js';
import { haveRedis, REDIS_BIN, startRedis, type RedisServer } from './support/redis-server.js';
import { startWsProxy, type WsProxyRouter } from './support/ws-proxy.js';

if (!haveRedis) console.warn(`[test/store] SKIP cluster conformance: ${REDIS_BIN} not found (apt-get install redis-server)`);

const RUNS = Number(process.env.CLUSTER_CONFORMANCE_RUNS ?? 3);
const SEED = Number(process.env.CLUSTER_CONFORMANCE_SEED ?? 42);
let redis: RedisServer;
let ledgers: string;
const stops: (() => Promise<void>)[] = [];
beforeAll(async () => {
  ledgers = await mkdtemp(join(tmpdir(), 'arcp-cluster-conformance-'));
  if (haveRedis) redis = await startRedis();
});
afterAll(async () => {
  for (const s of stops.splice(0).reverse()) await s();
  await redis?.stop();
  await rm(ledgers, { recursive: true, force: true });
});

/** mulberry32: a small seeded PRNG, so the proxy's node picks repeat run after run. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function startNode(name: string, store?: RedisRuntimeStore): Promise<string> {
  const runtime = new ARCPRuntime({
    tokens: { 'tok-a': 'principal-a', 'tok-b': 'principal-b' },
    ...IN_PROCESS_SETTINGS,
    credentialProvisioner: new ReferenceProvisioner({ endpoint: 'https://gateway.conformance.invalid/v1', profile: 'generic' }),
    revocationLedgerPath: join(ledgers, `${name}.json`),
    // The harness reaches the nodes over plain ws:// on loopback (through the proxy): let
    // credentials travel there, as the in-process target's memory transport does.
    plainLoopbackCredentials: true,
    logger: () => undefined,
    ...(store ? { store } : {}),
  });
  registerConformanceAgents(runtime);
  await runtime.ready();
  const server = await runtime.listen({ host: '127.0.0.1', port: 0 });
  // Not bounded: a node that cannot shut down fails the run (it used to, test/store/cluster-close.test.ts).
  stops.push(async () => {
    await runtime.close();
    await store?.close();
  });
  return server.url!;
}

/**
 * A random node per connection, except that a resume always goes to a node other than the
 * session's current home (learned from the welcomes): every resume check, and everything the
 * harness does after a resume (cancel, subscribe, listing), then crosses nodes.
 */
function awayRouter(n: number): WsProxyRouter {
  const random = seeded(SEED);
  const home = new Map<string, number>();
  return {
    pick(first) {
      let sid: unknown;
      try {
        const msg = first === undefined ? undefined : (JSON.parse(first) as { type?: string; payload?: { resume?: { session_id?: unknown } } });
        if (msg?.type === 'session.hello') sid = msg.payload?.resume?.session_id;
      } catch {
        // not JSON (the robustness checks): any node
      }
      const at = typeof sid === 'string' ? home.get(sid) : undefined;
      if (at === undefined || n === 1) return Math.floor(random() * n);
      return (at + 1 + Math.floor(random() * (n - 1))) % n;
    },
    observe(upstream, frame) {
      if (!frame.includes('"session.welcome"')) return;
      const sid = (JSON.parse(frame) as { session_id?: string }).session_id;
      if (sid) home.set(sid, upstream);
    },
  };
}

async function certify(upstreams: string[]): Promise<RunResult> {
  const proxy = await startWsProxy(upstreams, awayRouter(upstreams.length));
  stops.push(() => proxy.close());
  const result = await runConformance({ target: proxy.url, token: 'tok-a', tokenB: 'tok-b', runs: RUNS, seed: SEED, output: 'silent' });
  if (upstreams.length > 1) expect(new Set(proxy.picks).size).toBe(upstreams.length);
  return result;
}

const ids = (r: RunResult, outcome: string): string[] => r.verdicts.filter((v) => v.outcome === outcome).map((v) => v.id).sort();
const explain = (r: RunResult, which: string[]): string =>
  r.verdicts
    .filter((v) => which.includes(v.id))
    .map((v) => `${v.id}: ${v.outcome} ${v.message ?? ''}`)
    .join('\n');

/**
 * Real cluster defects, open: none. Fixed 2026-12-03 (docs/store.md): a job.subscribed answered
 * by another node showed the budget from acceptance (7.6/subscribe/descriptor-is-current); a
 * credential rotation on a node with a store carried the old value in job.accepted
 * (9.8/credentials/rotation-announced). The test fails when a listed defect starts passing.
 */
const KNOWN_CLUSTER_DEFECTS = new Set<string>([]);
/** Off the spec by this test's own configuration: plainLoopbackCredentials issues credentials over plain ws so that the credential checks can run (§14 wants an encrypted transport). */
const OFF_SPEC_BY_CONFIGURATION = new Set(['14/credentials/never-over-plaintext']);
/**
 * Open and timing-dependent on the cluster: none. 7.6/subscribe/random-observers was: a job
 * watched from two other nodes sent its output only to the first (test/store/cluster-observers.test.ts).
 */
const INTERMITTENT_CLUSTER_DEFECTS = new Set<string>([]);
const unexpected = (list: string[]): string[] => list.filter((id) => !KNOWN_CLUSTER_DEFECTS.has(id) && !OFF_SPEC_BY_CONFIGURATION.has(id) && !INTERMITTENT_CLUSTER_DEFECTS.has(id));

describe.skipIf(!haveRedis)('arcp conformance against a 3-node Redis cluster', () => {
  it('passes every check a single node passes, each connection to a random node', async () => {
    const single = await certify([await startNode('single')]);

    const ops = new Map<string, number>();
    const nodes: string[] = [];
    for (let i = 0; i < 3; i++) {
      // No node dies here: a liveness TTL well above the event-loop stalls of a loaded 2-core
      // machine, so no node is taken for dead (and its sessions claimed) while it is merely slow.
      const store = await RedisRuntimeStore.connect(redis.url, { nodeId: `conf-${i}-${process.pid}`, livenessTtlMs: 5000 });
      store.bus.onMessage((m) => ops.set(m.op, (ops.get(m.op) ?? 0) + 1));
      nodes.push(await startNode(`node-${i}`, store));
    }
    const cluster = await certify(nodes);

    // Nothing that passes on one node fails (or goes unrun) on the cluster, except open cluster
    // defects listed above (docs/store.md "Known gaps"; none today), listed so that the day one
    // is fixed this test says so.
    const lost = ids(single, 'pass').filter((id) => !ids(cluster, 'pass').includes(id));
    expect(lost.filter((id) => !KNOWN_CLUSTER_DEFECTS.has(id) && !INTERMITTENT_CLUSTER_DEFECTS.has(id)), explain(cluster, lost)).toEqual([]);
    expect([...KNOWN_CLUSTER_DEFECTS].filter((id) => ids(cluster, 'pass').includes(id)), 'a known cluster defect now passes: remove it from KNOWN_CLUSTER_DEFECTS and docs/store.md').toEqual([]);
    // ...and the cluster fails nothing at all (a single node fails nothing either).
    expect(ids(single, 'fail').filter((id) => !OFF_SPEC_BY_CONFIGURATION.has(id)), explain(single, ids(single, 'fail'))).toEqual([]);
    expect(unexpected(ids(cluster, 'fail')), explain(cluster, ids(cluster, 'fail'))).toEqual([]);
    // What a single node does not pass is what docs/store.md lists: one check of the spec profile.
    const notPassed = single.verdicts.filter((v) => v.outcome !== 'pass' && !OFF_SPEC_BY_CONFIGURATION.has(v.id)).map((v) => `${v.id} ${v.outcome}`);
    expect(notPassed, explain(single, ids(single, 'skipped'))).toEqual(['6.7/close/closed-reply skipped']);
    expect(single.verdicts.length).toBeGreaterThan(100);

    // The cross-node paths were exercised, not merely allowed.
    for (const op of ['release', 'cancel', 'watch']) expect(ops.get(op) ?? 0, `cluster messages seen: ${JSON.stringify([...ops])}`).toBeGreaterThan(0);
  }, 600_000);
});
