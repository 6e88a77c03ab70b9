// Figure 1: streaming throughput of one job emitting `events` log events to one client, per
// store, after one warm-up flood each. Rounds are interleaved and alternate their order (so a
// load change on the shared machine hits every store alike); the ratio to memory is given both
// as ratio of the median rounds and as the median of each round's own ratio. The runtime
// process's CPU time per event is recorded too: unlike wall time it hardly depends on how much
// of the shared machine the process got, so it shows what each store costs.
import type { ChildProcess } from 'node:child_process';
import { median, Peer } from './peer.js';
import type { BenchProcesses, Urls } from './processes.js';

export interface StoreThroughput {
  eventsPerSec: number;
  medianMs: number;
  roundsMs: number[];
  /** memory's median round / this store's median round. */
  ratioToMemory: number;
  /** Median over rounds of memory's round / this store's round of the same round. */
  medianRoundRatioToMemory: number;
  /** Median over rounds of the runtime process's CPU time (user + system) per event, µs. */
  runtimeCpuUsPerEvent: number;
}

const progress = (line: string): void => void process.stderr.write(`  .. ${line}\n`);

export async function measureStreaming(
  procs: BenchProcesses,
  child: ChildProcess,
  urls: Urls,
  stores: readonly string[],
  events: number,
  rounds: number,
): Promise<Record<string, StoreThroughput>> {
  const cpuMs = async (): Promise<number> => (await procs.ask(child, 'cpu')).cpuMs as number;
  const peers: Record<string, Peer> = {};
  try {
    for (const s of stores) {
      peers[s] = await Peer.open(urls[s]!);
      await peers[s]!.hello();
      await peers[s]!.flood(Math.min(events, 20_000));
    }
    const ms: Record<string, number[]> = Object.fromEntries(stores.map((s) => [s, []]));
    const cpu: Record<string, number[]> = Object.fromEntries(stores.map((s) => [s, []]));
    for (let r = 0; r < rounds; r++) {
      const order = r % 2 === 0 ? stores : [...stores].reverse();
      for (const s of order) {
        const before = await cpuMs();
        ms[s]![r] = (await peers[s]!.flood(events)).ms;
        cpu[s]![r] = ((await cpuMs()) - before) * 1000 / events;
      }
      progress(`stream round ${r + 1}/${rounds}: ${stores.map((s) => `${s} ${ms[s]![r]!.toFixed(0)} ms`).join(', ')}`);
    }
    const eps = (s: string): number => events / (median(ms[s]!) / 1000);
    return Object.fromEntries(
      stores.map((s) => [
        s,
        {
          eventsPerSec: eps(s),
          medianMs: median(ms[s]!),
          roundsMs: ms[s]!,
          ratioToMemory: eps(s) / eps('memory'),
          medianRoundRatioToMemory: median(ms[s]!.map((t, r) => ms.memory![r]! / t)),
          runtimeCpuUsPerEvent: median(cpu[s]!),
        },
      ]),
    );
  } finally {
    await Promise.all(Object.values(peers).map((p) => p.close()));
  }
}
