// Issue 13, amplification: a session.list_jobs of ~100 bytes walked every job the runtime held,
// every principal's (up to 20,000 finished plus the live ones), to keep the caller's: with
// 18,000 jobs of 20 other principals, 200 lists by a principal holding none cost 120 ms of CPU
// and another principal's ping waited 106 ms. Without a subscribePolicy a principal can only
// list its own jobs, so the listing now reads only those (JobRegistry.ofPrincipal).
import { expect, it } from 'vitest';
import type { Job } from '../../runtime-kit/runtime/job.js';
import { RawWs } from './support/raw-ws.js';
import { startTarget } from './support/target.js';
import { targetPerTest } from './support/target-per-test.js';

const slot = targetPerTest();

async function submitEchoes(peer: RawWs, sessionId: string, n: number): Promise<void> {
  for (let i = 0; i < n; i++) peer.send('job.submit', { agent: 'conformance.echo', input: { i } }, { session_id: sessionId });
  await peer.find(() => peer.received.filter((f) => f.type === 'job.result').length >= n, 30_000);
}

it("a principal's list_jobs reads its own jobs, not every principal's", async () => {
  const target = (slot.target = await startTarget());
  const bob = await RawWs.open(target.url);
  const alice = await RawWs.open(target.url);
  slot.peers.push(bob, alice);
  const bw = await bob.welcome('t-bob');
  const aw = await alice.welcome('t-alice');
  await submitEchoes(bob, bw.session_id!, 600);
  await submitEchoes(alice, aw.session_id!, 3);

  // Count the job records the listing reads, whichever way it gets them from the registry.
  let read = 0;
  const registry = target.runtime.jobs as unknown as Record<string, (...args: unknown[]) => Iterable<Job>>;
  for (const name of ['values', 'ofPrincipal']) {
    const original = registry[name];
    if (typeof original !== 'function') continue;
    registry[name] = function* (this: unknown, ...args: unknown[]) {
      for (const job of original.apply(this, args)) {
        read++;
        yield job;
      }
    };
  }
  const id = alice.send('session.list_jobs', {}, { session_id: aw.session_id });
  const jobs = await alice.find((f) => f.type === 'session.jobs' && f.payload?.request_id === id);
  expect(jobs.payload.jobs).toHaveLength(3);
  // Before: 603 (bob's 600 too).
  expect(read).toBe(3);
}, 60_000);
