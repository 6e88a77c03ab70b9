// bench/store: the issue-12 figures, all measured in one run (ratios within the run, never
// absolute targets; the machine is shared):
//   1. streaming throughput of one job emitting `events` log events through a runtime on the
//      memory store (the baseline: nothing durable), on SQLite (WAL, one transaction per tick,
//      frames held back until committed) and on Redis (one MULTI per tick); target: SQLite >= 0.5
//      of memory (store/streaming.ts);
//   2. resume latency on the same node for every store, and on another node of a Redis cluster
//      (store/resume.ts);
//   3. aggregate throughput of a Redis cluster of 1, 2 and 3 node processes (store/aggregate.ts);
//   4. runtime heap per idle session for each store (store/idle.ts).
// The runtimes run in child processes (store/runtime-child.ts), the clients here. Redis is
// /usr/bin/redis-server on a free loopback port in 7960-7969, started and stopped here; without
// it the Redis rows and figure 3 are skipped. Every child is SIGKILLed at the end, also when the
// run fails (store/processes.ts).
// Run: `npm run bench store` (full size) or `npm run bench store -- --quick` (reduced). Env
// STREAM_EVENTS, ROUNDS, RESUME_SAMPLES, SESSIONS, AGG_EVENTS, AGG_CLIENTS, AGG_ROUNDS override
// single sizes.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { haveRedis, startRedis } from '../test/store/support/redis-server.js';
import { measureAggregate, type AggregateReport } from './store/aggregate.js';
import { measureIdleHeap } from './store/idle.js';
import { BenchProcesses } from './store/processes.js';
import { measureResume, type ResumeLatency } from './store/resume.js';
import { measureStreaming, type StoreThroughput } from './store/streaming.js';

export interface StoreBenchSize {
  events: number;
  rounds: number;
  resumeSamples: number;
  sessions: number;
  aggregateEvents: number;
  aggregateClients: number;
  aggregateRounds: number;
}

export const FULL_SIZE: StoreBenchSize = { events: 100_000, rounds: 5, resumeSamples: 30, sessions: 500, aggregateEvents: 60_000, aggregateClients: 6, aggregateRounds: 3 };
export const QUICK_SIZE: StoreBenchSize = { events: 20_000, rounds: 2, resumeSamples: 5, sessions: 100, aggregateEvents: 12_000, aggregateClients: 6, aggregateRounds: 1 };

export interface StoreBenchReport {
  name: 'store';
  node: string;
  measuredAt: string;
  size: StoreBenchSize & { name: string };
  loadAverage: { start: number[]; end: number[] };
  throughput: { events: number; rounds: number; perStore: Record<string, StoreThroughput>; target: string };
  resumeLatency: Record<string, ResumeLatency>;
  aggregate?: AggregateReport;
  idleSessions: { sessions: number; heapBytesPerSession: Record<string, number> };
}

const progress = (line: string): void => void process.stderr.write(`  .. ${line}\n`);

export async function runStoreBench(size: StoreBenchSize, sizeName: string): Promise<StoreBenchReport> {
  const loadStart = loadavg();
  const procs = new BenchProcesses();
  const dir = mkdtempSync(join(tmpdir(), 'arcp-store-bench-'));
  try {
    const redis = haveRedis ? await startRedis() : undefined;
    if (redis) procs.adoptRedis(redis);
    else progress('redis-server not found: Redis rows and the cluster figure skipped');
    const { child, urls } = await procs.forkRuntimes({
      STORE_BENCH_ROLE: 'stores',
      STORE_BENCH_SQLITE: join(dir, 'bench.db'),
      STORE_BENCH_SESSIONS: String(size.sessions),
      ...(redis ? { STORE_BENCH_REDIS: redis.url } : {}),
    });
    const stores = Object.keys(urls).filter((s) => s !== 'redis-b');

    const perStore = await measureStreaming(procs, child, urls, stores, size.events, size.rounds);

    const pairs: Record<string, [string, string]> = Object.fromEntries(stores.map((s) => [`${s} same node`, [urls[s]!, urls[s]!]]));
    if (urls['redis-b']) pairs['redis other node'] = [urls.redis!, urls['redis-b']];
    const resumeLatency = await measureResume(pairs, size.resumeSamples);
    progress('resume latency measured');

    const heap = await measureIdleHeap(procs, child, urls, stores, size.sessions);
    progress('idle heap measured');

    const aggregate = redis ? await measureAggregate(procs, redis.url, { events: size.aggregateEvents, clients: size.aggregateClients, rounds: size.aggregateRounds }) : undefined;

    return {
      name: 'store',
      node: process.version,
      measuredAt: new Date().toISOString(),
      size: { name: sizeName, ...size },
      loadAverage: { start: loadStart, end: loadavg() },
      throughput: { events: size.events, rounds: size.rounds, perStore, target: 'sqlite >= 0.5 of memory' },
      resumeLatency,
      ...(aggregate ? { aggregate } : {}),
      idleSessions: { sessions: size.sessions, heapBytesPerSession: heap },
    };
  } finally {
    await procs.stopAll();
    rmSync(dir, { recursive: true, force: true });
  }
}

export function printStoreReport(r: StoreBenchReport): void {
  const f = (x: number, d = 0): string => x.toFixed(d);
  console.log(`bench store (node ${r.node}, ${r.size.name} size), ${r.throughput.events} log events per round, ${r.throughput.rounds} rounds`);
  console.log(`  load average at start ${r.loadAverage.start.map((x) => f(x, 2)).join(' ')}, at end ${r.loadAverage.end.map((x) => f(x, 2)).join(' ')}`);
  for (const [s, t] of Object.entries(r.throughput.perStore)) {
    console.log(`  throughput ${s.padEnd(7)} ${f(t.eventsPerSec).padStart(8)} events/s  ratio to memory ${f(t.ratioToMemory, 3)} (median of round ratios ${f(t.medianRoundRatioToMemory, 3)}), runtime CPU ${f(t.runtimeCpuUsPerEvent, 1)} µs/event`);
  }
  console.log(`  SQLite/memory ${f(r.throughput.perStore.sqlite!.ratioToMemory, 3)} (target >= 0.5)`);
  for (const [n, x] of Object.entries(r.resumeLatency)) console.log(`  resume ${n.padEnd(18)} median ${f(x.medianMs, 2)} ms (${x.samples} samples, ${x.replayedEvents}-event replay)`);
  if (r.aggregate) {
    const a = r.aggregate;
    console.log(`  cluster on one redis-server, ${a.clients} clients, ${a.eventsPerRound} events per round, ${a.rounds} rounds, ${a.cores} cores:`);
    for (const c of a.perNodeCount) {
      const cpu = c.cpuPercent;
      console.log(
        `    ${c.nodes} node(s) ${f(c.eventsPerSec).padStart(8)} events/s  x${f(c.speedupVs1Node, 2)} of 1 node  CPU %: nodes ${cpu.nodes.map((x) => f(x)).join('/')}, redis ${f(cpu.redis)}, clients ${f(cpu.clients)}, total ${f(cpu.total)}`,
      );
    }
  }
  for (const [s, b] of Object.entries(r.idleSessions.heapBytesPerSession)) console.log(`  idle session heap ${s.padEnd(7)} ${f(b / 1024, 1)} KB/session`);
}

function sizeFromArgs(): { size: StoreBenchSize; name: string } {
  const quick = process.argv.includes('--quick');
  const base = quick ? QUICK_SIZE : FULL_SIZE;
  const env = (k: string, d: number): number => (process.env[k] !== undefined ? Number(process.env[k]) : d);
  const size: StoreBenchSize = {
    events: env('STREAM_EVENTS', base.events),
    rounds: env('ROUNDS', base.rounds),
    resumeSamples: env('RESUME_SAMPLES', base.resumeSamples),
    sessions: env('SESSIONS', base.sessions),
    aggregateEvents: env('AGG_EVENTS', base.aggregateEvents),
    aggregateClients: env('AGG_CLIENTS', base.aggregateClients),
    aggregateRounds: env('AGG_ROUNDS', base.aggregateRounds),
  };
  const custom = Object.keys(size).some((k) => size[k as keyof StoreBenchSize] !== base[k as keyof StoreBenchSize]);
  return { size, name: custom ? 'custom' : quick ? 'quick' : 'full' };
}

export default async function main(): Promise<void> {
  const { size, name } = sizeFromArgs();
  const report = await runStoreBench(size, name);
  printStoreReport(report);
  const file = join(dirname(fileURLToPath(import.meta.url)), 'results', name === 'full' ? 'store.json' : `store-${name}.json`);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`  wrote ${file}`);
}
