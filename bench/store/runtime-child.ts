// The runtime side of bench/store, in a child process (forked by processes.ts), so the clients'
// work in the parent is not counted in the runtime's heap and the two share the machine like a
// real deployment. STORE_BENCH_ROLE:
//   stores  one runtime per store in this process: memory (the baseline), SQLite on
//           STORE_BENCH_SQLITE, and when STORE_BENCH_REDIS is set two Redis nodes (redis,
//           redis-b) of one cluster, for the same-node / other-node resume pair;
//   node    one runtime on Redis (STORE_BENCH_REDIS, node id STORE_BENCH_NODE_ID, key prefix
//           STORE_BENCH_PREFIX): a node of the aggregate-throughput cluster.
// Redis nodes get a liveness TTL of STORE_BENCH_LIVENESS_MS (store.bench.ts sets it): with the
// default 3 s, a node starved of CPU on a shared machine missed its beat and another node swept
// it as dead, taking its sessions over mid-flood (docs/store.md, Known gaps).
// It sends {urls} once listening, then answers {cmd: 'mem'} (heap after GC) and {cmd: 'cpu'}
// (process CPU time). It is stopped with SIGKILL: nothing here needs a graceful close, and a
// cluster node's close() is not relied on (see docs/store.md).
import { ARCPRuntime } from '../../runtime-kit/runtime/index.js';
import { RedisRuntimeStore } from '../../runtime-kit/store/redis-store.js';
import type { RuntimeStore } from '../../runtime-kit/store/runtime-store.js';
import { SqliteRuntimeStore } from '../../runtime-kit/store/sqlite-store.js';
import { FLOOD_AGENT } from './peer.js';

/** The flood agent yields to the event loop every BATCH events so sockets can drain. */
const BATCH = 1000;
const SESSIONS = Number(process.env.STORE_BENCH_SESSIONS ?? 500);
const LIVENESS = process.env.STORE_BENCH_LIVENESS_MS ? { livenessTtlMs: Number(process.env.STORE_BENCH_LIVENESS_MS) } : {};

function runtimeOn(store: RuntimeStore | undefined): ARCPRuntime {
  // One principal on loopback holds every idle session: lift the per-principal and per-source
  // caps (docs/limits.md; sized for a hostile network, not for this measurement).
  const limits = { maxSessionsPerPrincipal: SESSIONS + 64, maxConnectionsPerSource: SESSIONS + 64 };
  const rt = new ARCPRuntime({ tokens: { t: 'bench' }, logger: () => undefined, limits, ...(store ? { store } : {}) });
  rt.registerAgent(FLOOD_AGENT, async (input, ctx) => {
    const n = (input as { n: number }).n;
    for (let i = 1; i <= n; i++) {
      ctx.log('info', `event ${i}`);
      if (i % BATCH === 0) await new Promise((r) => setImmediate(r));
    }
    return { n };
  });
  return rt;
}

async function stores(): Promise<{ name: string; store?: RuntimeStore }[]> {
  const redis = process.env.STORE_BENCH_REDIS;
  if (process.env.STORE_BENCH_ROLE === 'node') {
    const store = await RedisRuntimeStore.connect(redis!, { nodeId: process.env.STORE_BENCH_NODE_ID!, prefix: process.env.STORE_BENCH_PREFIX!, ...LIVENESS });
    return [{ name: process.env.STORE_BENCH_NODE_ID!, store }];
  }
  const out: { name: string; store?: RuntimeStore }[] = [{ name: 'memory' }, { name: 'sqlite', store: new SqliteRuntimeStore(process.env.STORE_BENCH_SQLITE!) }];
  if (redis) {
    out.push({ name: 'redis', store: await RedisRuntimeStore.connect(redis, { nodeId: 'bench-r1', ...LIVENESS }) });
    out.push({ name: 'redis-b', store: await RedisRuntimeStore.connect(redis, { nodeId: 'bench-r2', ...LIVENESS }) });
  }
  return out;
}

const urls: Record<string, string> = {};
for (const { name, store } of await stores()) {
  const rt = runtimeOn(store);
  await rt.ready();
  urls[name] = (await rt.listen({ host: '127.0.0.1', port: 0 })).url!;
}
const gc = (globalThis as { gc?: () => void }).gc;
process.on('disconnect', () => process.exit(0));
process.on('message', (m: { cmd: string }) => {
  if (m.cmd === 'mem') {
    gc?.();
    gc?.();
    process.send!({ reply: 'mem', heapUsed: process.memoryUsage().heapUsed });
  } else if (m.cmd === 'cpu') {
    const u = process.cpuUsage();
    process.send!({ reply: 'cpu', cpuMs: (u.user + u.system) / 1000 });
  }
});
process.send!({ reply: 'urls', urls });
