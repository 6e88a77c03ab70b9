// bench/store end to end at a tiny size: the real runtimes, SQLite file and redis-server, every
// figure of issue 12 item 5 produced (their values are the benchmark's business, not a test's),
// and no child process left behind — neither after a run nor after one that fails because a
// runtime process died under it.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { runStoreBench, type StoreBenchSize } from '../../bench/store.bench.js';
import { haveRedis, REDIS_BIN } from './support/redis-server.js';

if (!haveRedis) console.warn(`[test/store] SKIP store bench smoke test: ${REDIS_BIN} not found (apt-get install redis-server)`);

const TINY: StoreBenchSize = { events: 300, rounds: 1, resumeSamples: 1, sessions: 4, aggregateEvents: 60, aggregateClients: 6, aggregateRounds: 1 };

/** This process's live children (ps itself excluded), as "pid command". */
function children(): string[] {
  const out = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(process.pid)], { encoding: 'utf8' });
  return out
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !/^\d+ ps /.test(l));
}

const finite = (x: unknown): boolean => typeof x === 'number' && Number.isFinite(x);

describe.skipIf(!haveRedis)('bench/store smoke', () => {
  it('produces every figure for every store and the 1/2/3-node cluster, then leaves no child running', async () => {
    const r = await runStoreBench(TINY, 'smoke');
    expect(Object.keys(r.throughput.perStore).sort()).toEqual(['memory', 'redis', 'sqlite']);
    for (const t of Object.values(r.throughput.perStore)) {
      expect(t.eventsPerSec).toBeGreaterThan(0);
      expect(finite(t.ratioToMemory) && finite(t.medianRoundRatioToMemory)).toBe(true);
      expect(t.runtimeCpuUsPerEvent).toBeGreaterThan(0);
      expect(t.roundsMs).toHaveLength(1);
    }
    expect(Object.keys(r.resumeLatency).sort()).toEqual(['memory same node', 'redis other node', 'redis same node', 'sqlite same node']);
    for (const x of Object.values(r.resumeLatency)) {
      expect(x.medianMs).toBeGreaterThan(0);
      expect(x.replayedEvents).toBe(102); // 100 logs + the job's start/terminal events, replayed in full
    }
    expect(r.aggregate?.perNodeCount.map((c) => c.nodes)).toEqual([1, 2, 3]);
    for (const c of r.aggregate!.perNodeCount) {
      expect(c.eventsPerSec).toBeGreaterThan(0);
      expect(c.cpuPercent.nodes).toHaveLength(3);
      expect([c.speedupVs1Node, c.cpuPercent.redis, c.cpuPercent.clients, c.cpuPercent.total].every(finite)).toBe(true);
    }
    expect(Object.keys(r.idleSessions.heapBytesPerSession).sort()).toEqual(['memory', 'redis', 'sqlite']);
    expect(Object.values(r.idleSessions.heapBytesPerSession).every(finite)).toBe(true);
    expect(r.loadAverage.start).toHaveLength(3);
    expect(children()).toEqual([]);
  }, 240_000);

  it('a runtime process killed mid-run fails the bench and it still stops redis-server and every child', async () => {
    const run = runStoreBench({ ...TINY, events: 200_000 }, 'smoke-failure');
    const outcome = run.then(
      () => 'finished',
      (e: Error) => e.message,
    );
    let victim: number | undefined;
    for (let i = 0; i < 600 && victim === undefined; i++) {
      await new Promise((r) => setTimeout(r, 100));
      const child = children().find((l) => l.includes('runtime-child'));
      if (child && children().some((l) => l.includes('redis-server'))) victim = Number(child.split(' ')[0]);
    }
    expect(victim).toBeDefined();
    await new Promise((r) => setTimeout(r, 1500)); // let it start listening and streaming
    process.kill(victim!, 'SIGKILL');
    expect(await outcome).not.toBe('finished');
    expect(children()).toEqual([]);
  }, 240_000);
});
