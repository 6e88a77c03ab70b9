// Issue 12 step 4: `arcp conformance` (the harness behind it, runConformance) against a 3-node
// cluster sharing one real redis-server, every connection to a random node through a ws proxy,
// passes every check it passes against a single node reached the same way (same proxy, same
// options). Resume checks thereby resume across nodes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runConformance, type RunResult } from '../../conformance/index.js';
import { registerConformanceAgents } from '../../runtime-kit/agents/conformance.js';
import { ARCPRuntime } from '../../runtime-kit/runtime/index.js';
import { RedisRuntimeStore } from '../../runtime-kit/store/redis-store.js';
import type { RuntimeStore } from '../../runtime-kit/store/runtime-store.js';
import { haveRedis, REDIS_BIN, startRedis, type RedisServer } from './support/redis-server.js';
import { startWsProxy } from './support/ws-proxy.js';

// Opt-in for now: the certification itself passes (every check a single node passes), but the
// worker does not exit after it (a cluster node's shutdown hangs; docs/store.md, known issues).
const OPT_IN = process.env.ARCP_CLUSTER_CONFORMANCE === '1';
if (!haveRedis) console.warn(`[test/store] SKIP cluster conformance: ${REDIS_BIN} not found (apt-get install redis-server)`);
else if (!OPT_IN) console.warn('[test/store] SKIP cluster conformance: set ARCP_CLUSTER_CONFORMANCE=1 to run it (its teardown hangs, see docs/store.md)');

const RUNS = Number(process.env.CLUSTER_CONFORMANCE_RUNS ?? 10);
let redis: RedisServer;
const stops: (() => Promise<void>)[] = [];
beforeAll(async () => {
  if (haveRedis && OPT_IN) redis = await startRedis();
});
afterAll(async () => {
  for (const s of stops.splice(0).reverse()) await s().catch(() => undefined);
  await redis?.stop();
});

async function startNode(store?: RuntimeStore): Promise<string> {
  const runtime = new ARCPRuntime({
    tokens: { 'tok-a': 'principal-a', 'tok-b': 'principal-b' },
    cancelGraceMs: 2_000,
    heartbeatIntervalSec: 2,
    logger: () => undefined,
    ...(store ? { store } : {}),
  });
  registerConformanceAgents(runtime);
  await runtime.ready();
  const server = await runtime.listen({ host: '127.0.0.1', port: 0 });
  stops.push(async () => {
    // Known issue (docs/store.md): after the proxied run, WebSocketServerTransport.close() on a
    // cluster node can wait for an upgrade socket that never ends; teardown is bounded so the
    // store and redis-server still get closed. Not an assertion.
    const bounded = (p: Promise<unknown>): Promise<unknown> => Promise.race([p, new Promise((r) => setTimeout(r, 5000).unref())]);
    await bounded(runtime.close());
    await bounded(store?.close() ?? Promise.resolve());
  });
  return server.url!;
}

async function certify(upstreams: string[]): Promise<RunResult> {
  const proxy = await startWsProxy(upstreams);
  stops.push(() => proxy.close());
  return runConformance({ target: proxy.url, token: 'tok-a', tokenB: 'tok-b', runs: RUNS, seed: 42 });
}

const passed = (r: RunResult): Set<string> => new Set(r.verdicts.filter((v) => v.outcome === 'pass').map((v) => v.id));

describe.skipIf(!haveRedis || !OPT_IN)('arcp conformance against a 3-node Redis cluster', () => {
  it('passes every check a single node passes, each connection to a random node', async () => {
    const single = await certify([await startNode()]);
    const nodes = [];
    for (let i = 0; i < 3; i++) nodes.push(await startNode(await RedisRuntimeStore.connect(redis.url, { nodeId: `conf-${i}-${process.pid}`, livenessTtlMs: 1000 })));
    const cluster = await certify(nodes);
    const lost = [...passed(single)].filter((id) => !passed(cluster).has(id));
    const why = cluster.verdicts.filter((v) => lost.includes(v.id)).map((v) => `${v.id}: ${v.message ?? v.outcome}`);
    expect(lost, why.join('\n')).toEqual([]);
    expect(passed(single).size).toBeGreaterThan(20);
  }, 600_000);
});
