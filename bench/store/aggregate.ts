// Figure 3: aggregate throughput of a Redis cluster of 1, 2 and 3 runtime nodes on this machine.
// Three node processes share one redis-server; for "N nodes" `clients` clients (one session
// each, spread round-robin over the first N nodes) each run a flood of events/clients events at
// the same time, and the figure is every delivered event over the wall time from the first
// submit to the last terminal. Configurations are interleaved per round (alternating order).
// The CPU time each process used during a round is recorded beside it: the nodes, redis-server
// and the clients (this process) all share the machine's cores, which is what bounds scaling.
import type { ChildProcess } from 'node:child_process';
import { cpus } from 'node:os';
import { Redis } from 'ioredis';
import { median, Peer } from './peer.js';
import type { BenchProcesses } from './processes.js';

export interface ClusterThroughput {
  nodes: number;
  eventsPerSec: number;
  medianMs: number;
  roundsMs: number[];
  /** eventsPerSec / eventsPerSec of 1 node (same run). */
  speedupVs1Node: number;
  /** CPU use during the median round, % of one core: per node process, redis-server, clients. */
  cpuPercent: { nodes: number[]; redis: number; clients: number; total: number };
}

export interface AggregateReport {
  eventsPerRound: number;
  clients: number;
  rounds: number;
  cores: number;
  perNodeCount: ClusterThroughput[];
}

const progress = (line: string): void => void process.stderr.write(`  .. ${line}\n`);

async function redisCpuMs(redis: Redis): Promise<number> {
  const info = await redis.info('cpu');
  const field = (k: string): number => Number(new RegExp(`${k}:([0-9.]+)`).exec(info)?.[1] ?? NaN);
  return (field('used_cpu_user') + field('used_cpu_sys')) * 1000;
}

export async function measureAggregate(
  procs: BenchProcesses,
  redisUrl: string,
  opts: { events: number; clients: number; rounds: number; maxNodes?: number },
): Promise<AggregateReport> {
  const maxNodes = opts.maxNodes ?? 3;
  const perClient = Math.max(1, Math.floor(opts.events / opts.clients));
  const nodes: { child: ChildProcess; url: string }[] = [];
  for (let i = 0; i < maxNodes; i++) {
    const id = `bench-agg-${i + 1}`;
    const { child, urls } = await procs.forkRuntimes({ STORE_BENCH_ROLE: 'node', STORE_BENCH_REDIS: redisUrl, STORE_BENCH_NODE_ID: id, STORE_BENCH_PREFIX: 'bench-agg:' });
    nodes.push({ child, url: urls[id]! });
  }
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  const configs = Array.from({ length: maxNodes }, (_, i) => i + 1);
  const peers: Record<number, Peer[]> = {};
  try {
    for (const n of configs) {
      peers[n] = [];
      for (let c = 0; c < opts.clients; c++) {
        const p = await Peer.open(nodes[c % n]!.url);
        peers[n]!.push(p);
        await p.hello();
      }
      await Promise.all(peers[n]!.map((p) => p.flood(Math.min(perClient, 2000))));
    }
    const cpuNow = async (): Promise<{ nodes: number[]; redis: number; clients: number }> => {
      const u = process.cpuUsage();
      return {
        nodes: await Promise.all(nodes.map(async (n) => (await procs.ask(n.child, 'cpu')).cpuMs as number)),
        redis: await redisCpuMs(redis),
        clients: (u.user + u.system) / 1000,
      };
    };
    const rounds: Record<number, { ms: number; cpu: ClusterThroughput['cpuPercent'] }[]> = Object.fromEntries(configs.map((n) => [n, []]));
    for (let r = 0; r < opts.rounds; r++) {
      for (const n of r % 2 === 0 ? configs : [...configs].reverse()) {
        const before = await cpuNow();
        const t0 = performance.now();
        const delivered = await Promise.all(peers[n]!.map((p) => p.flood(perClient)));
        const ms = performance.now() - t0;
        const after = await cpuNow();
        if (delivered.some((d) => d.logs !== perClient)) throw new Error('aggregate: a client missed events');
        const pct = (a: number, b: number): number => ((a - b) / ms) * 100;
        const cpu = { nodes: after.nodes.map((a, i) => pct(a, before.nodes[i]!)), redis: pct(after.redis, before.redis), clients: pct(after.clients, before.clients), total: 0 };
        cpu.total = cpu.nodes.reduce((a, b) => a + b, 0) + cpu.redis + cpu.clients;
        rounds[n]!.push({ ms, cpu });
      }
      progress(`aggregate round ${r + 1}/${opts.rounds}: ${configs.map((n) => `${n} node(s) ${rounds[n]![r]!.ms.toFixed(0)} ms`).join(', ')}`);
    }
    const total = perClient * opts.clients;
    const eps = (n: number): number => total / (median(rounds[n]!.map((x) => x.ms)) / 1000);
    return {
      eventsPerRound: total,
      clients: opts.clients,
      rounds: opts.rounds,
      cores: cpus().length,
      perNodeCount: configs.map((n) => {
        const ms = rounds[n]!.map((x) => x.ms);
        const mid = rounds[n]!.find((x) => x.ms === median(ms)) ?? [...rounds[n]!].sort((a, b) => a.ms - b.ms)[Math.floor(ms.length / 2)]!;
        return { nodes: n, eventsPerSec: eps(n), medianMs: median(ms), roundsMs: ms, speedupVs1Node: eps(n) / eps(1), cpuPercent: mid.cpu };
      }),
    };
  } finally {
    await Promise.all(Object.values(peers).flat().map((p) => p.close()));
    redis.disconnect();
  }
}
