// Observers of one job on several nodes (issue 12, the `7.6/subscribe/random-observers` cluster
// failure): the job runs on node 0; same-principal observers subscribe from every node, with and
// without history, and each must get every event of the job exactly once, in order, and exactly
// one terminal. Found: the job's node sent the output of a job watched from two other nodes
// twice to the first watcher and never to the second (persistence/cluster/job-watch.ts).
//
// Deterministic, no timing: the job emits part of its output, then waits on a gate the test
// opens only once every observer has its `job.subscribed`; so every case crosses the replay
// boundary (history before the subscribe, live output after) on every node, run after run.
// And a job that ends between the subscriber node's two store reads (record, then history) is
// replayed with one terminal, not two: the read order is forced by a record read that lags.
import { describe, expect, it } from 'vitest';
import type { JobContext } from '../../runtime-kit/runtime/job-context.js';
import { haveRedis } from './support/redis-server.js';
import { clusterNode } from './support/cluster-node.js';
import { sharedRedis } from './support/shared-redis.js';
import { WsPeer, type Msg } from './support/ws-peer.js';

const redis = sharedRedis('cluster observers');
const ROUNDS = 12;
const BEFORE = 3;
const AFTER = 4;

/** Gates by input tag: the test opens one once the round's observers are subscribed. */
const gates = new Map<string, () => void>();
const gated = async (input: unknown, ctx: JobContext): Promise<string> => {
  const tag = String((input as { tag?: unknown }).tag);
  for (let k = 1; k <= BEFORE; k++) ctx.progress(k);
  await new Promise<void>((open) => gates.set(tag, open));
  for (let k = BEFORE + 1; k <= BEFORE + AFTER; k++) ctx.progress(k);
  return tag;
};

const nodeWithStore = (i: number) => clusterNode(redis, { name: `obs-${i}`, livenessTtlMs: 5000, agents: (runtime) => void runtime.registerAgent('test.gated', gated) });
const node = async (i: number): Promise<string> => (await nodeWithStore(i)).url;

const progressOf = (m: Msg): number | undefined => (m.type === 'job.event' && m.payload?.kind === 'progress' ? Number(m.payload.body?.current) : undefined);
const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe.skipIf(!haveRedis)('observers of one job on several nodes', () => {
  it(`each observer gets every event once and one terminal (${ROUNDS} rounds, observers on every node)`, async () => {
    const urls = [await node(0), await node(1), await node(2)];
    for (let round = 0; round < ROUNDS; round++) {
      const tag = `round-${round}`;
      const owner = await WsPeer.open(urls[0]!);
      await owner.hello();
      const jobId = (await owner.accepted(owner.submit('test.gated', { tag }))).payload.job_id as string;
      await owner.find((m) => m.job_id === jobId && progressOf(m) === BEFORE);
      // Two observers on each node (the job's own included), history alternating per round.
      const observers: { peer: WsPeer; history: boolean }[] = [];
      for (const [i, url] of [...urls, ...urls].entries()) {
        const peer = await WsPeer.open(url);
        await peer.hello();
        const history = (round + i) % 2 === 0;
        const req = peer.send('job.subscribe', { job_id: jobId, history });
        const reply = await peer.find((m) => m.payload?.request_id === req);
        expect(reply.type, JSON.stringify(reply.payload)).toBe('job.subscribed');
        observers.push({ peer, history });
      }
      gates.get(tag)!();
      await owner.terminal(jobId);
      for (const [i, { peer, history }] of observers.entries()) {
        await peer.terminal(jobId);
        const mine = peer.msgs.filter((m) => m.job_id === jobId);
        const where = `round ${round}, observer ${i} on node ${i % urls.length}, history ${history}`;
        expect(mine.map(progressOf).filter((c) => c !== undefined), where).toEqual(range(history ? 1 : BEFORE + 1, BEFORE + AFTER));
        expect(mine.filter((m) => m.type === 'job.result' || m.type === 'job.error').length, `${where}: terminals`).toBe(1);
        await peer.close();
      }
      await owner.close();
    }
  }, 180_000);

  it('a job that ended between the record read and the history read: one terminal', async () => {
    const a = await nodeWithStore(10);
    const b = await nodeWithStore(11);
    const owner = await WsPeer.open(a.url);
    await owner.hello();
    const jobId = (await owner.accepted(owner.submit('test.gated', { tag: 'ended-between' }))).payload.job_id as string;
    await owner.find((m) => m.job_id === jobId && progressOf(m) === BEFORE);
    // B reads the job's record as it was while the job ran, then (after the end) its history.
    const running = await b.store.loadJob(jobId);
    expect(running?.terminal).toBeUndefined();
    const read = b.store.loadJob.bind(b.store);
    b.store.loadJob = async (id: string) => (id === jobId ? running : read(id));
    gates.get('ended-between')!();
    await owner.terminal(jobId);
    await until(async () => (await b.store.loadJobHistory(jobId)).some((h) => h.type !== 'job.event'));
    const observer = await WsPeer.open(b.url);
    await observer.hello();
    const req = observer.send('job.subscribe', { job_id: jobId, history: true });
    expect((await observer.find((m) => m.payload?.request_id === req)).type).toBe('job.subscribed');
    await observer.terminal(jobId);
    // A second terminal would come from A's answer to a watch (it used to). A's messages to B
    // keep their order: once B relays the live end of a job subscribed after, it would be here.
    const probeId = (await owner.accepted(owner.submit('test.gated', { tag: 'probe' }))).payload.job_id as string;
    await owner.find((m) => m.job_id === probeId && progressOf(m) === BEFORE);
    const probeReq = observer.send('job.subscribe', { job_id: probeId, history: false });
    expect((await observer.find((m) => m.payload?.request_id === probeReq)).type).toBe('job.subscribed');
    gates.get('probe')!();
    await observer.terminal(probeId);
    const mine = observer.msgs.filter((m) => m.job_id === jobId);
    expect(mine.map(progressOf).filter((c) => c !== undefined)).toEqual(range(1, BEFORE + AFTER));
    expect(mine.filter((m) => m.type === 'job.result' || m.type === 'job.error').length).toBe(1);
    await observer.close();
    await owner.close();
  }, 60_000);
});

async function until(test: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 400 && !(await test()); i++) await new Promise((r) => setTimeout(r, 50));
}
