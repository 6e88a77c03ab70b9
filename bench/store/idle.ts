// Figure 4: runtime heap per idle session, per store: the runtime child's heap after GC with
// `sessions` sessions open (hello done, nothing running) minus its heap before, divided by
// `sessions`. All stores live in the same child, measured one after the other.
import type { ChildProcess } from 'node:child_process';
import { Peer } from './peer.js';
import type { BenchProcesses, Urls } from './processes.js';

const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 200));

export async function measureIdleHeap(procs: BenchProcesses, child: ChildProcess, urls: Urls, stores: readonly string[], sessions: number): Promise<Record<string, number>> {
  const perSession: Record<string, number> = {};
  for (const s of stores) {
    await settle();
    const before = (await procs.ask(child, 'mem')).heapUsed as number;
    const open: Peer[] = [];
    try {
      for (let i = 0; i < sessions; i += 50) {
        await Promise.all(
          Array.from({ length: Math.min(50, sessions - i) }, async () => {
            const p = await Peer.open(urls[s]!);
            open.push(p);
            await p.hello();
          }),
        );
      }
      await settle();
      const after = (await procs.ask(child, 'mem')).heapUsed as number;
      perSession[s] = (after - before) / sessions;
    } finally {
      await Promise.all(open.map((p) => p.close()));
    }
  }
  return perSession;
}
