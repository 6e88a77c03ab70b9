// Invariant: the client side of listing and subscription works against arcp-kit's runtime:
// listJobs finds the principal's jobs (and only theirs), subscribe with history replays the
// job's events into the observer's own seq space and follows it to the terminal, and an
// observer cannot cancel.
import { afterAll, describe, expect, it } from 'vitest';
import { registerConformanceAgents } from '../../agents/index.js';
import { ARCPRuntime } from '../../runtime/index.js';
import { createMemoryTransportPair } from '../../transport/memory.js';
import { ARCPClient } from '../client.js';

const runtime = registerConformanceAgents(new ARCPRuntime({ tokens: { a: 'alice', b: 'bob' } }));
afterAll(() => runtime.close());

async function connect(token: string): Promise<ARCPClient> {
  const [c, s] = createMemoryTransportPair();
  runtime.accept(s);
  const client = new ARCPClient({ client: { name: 'observer', version: '1' }, token });
  await client.connect(c);
  return client;
}

describe('listing and subscription against the runtime', () => {
  it('lists, subscribes with history, follows to the terminal; no cancel authority', async () => {
    const owner = await connect('a');
    const job = await owner.submit({ agent: 'conformance.slow', input: { steps: 5, interval_ms: 20 } });
    const ownerEvents = job.events()[Symbol.asyncIterator]();
    await ownerEvents.next(); // running and emitting

    const observer = await connect('a');
    const listing = await observer.listJobs({ filter: { status: ['running', 'pending'] } });
    const entry = listing.jobs.find((j) => j.jobId === job.jobId);
    expect(entry).toMatchObject({ agent: 'conformance.slow', status: 'running' });
    expect(listing.nextCursor).toBeNull();

    const sub = await observer.subscribe(job.jobId, { history: true, fromEventSeq: 0 });
    expect(sub.jobId).toBe(job.jobId);
    expect(sub.agent).toBe('conformance.slow');
    await expect(sub.handle.cancel()).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
    const progress: number[] = [];
    const seqs: number[] = [];
    for await (const ev of sub.handle.events()) {
      seqs.push(ev.seq);
      if (ev.kind === 'progress') progress.push(ev.body.current);
    }
    expect(progress).toEqual([1, 2, 3, 4, 5]);
    expect(seqs[0]).toBe(1); // re-sequenced into the observer's own session (§7.6)
    expect((await sub.handle.done).result).toEqual({ steps: 5 });
    expect((await job.done).result).toEqual({ steps: 5 });
    await observer.close();
    await owner.close();
  });

  it('subscribing to our own job (same session) shares the owner handle without duplicate events', async () => {
    const owner = await connect('a');
    const job = await owner.submit({ agent: 'conformance.slow', input: { steps: 4, interval_ms: 20 } });
    const progress: number[] = [];
    let subscribed = false;
    for await (const ev of job.events()) {
      if (ev.kind !== 'progress') continue;
      progress.push(ev.body.current);
      if (!subscribed) {
        subscribed = true; // some history exists now: a replay would duplicate it
        const sub = await owner.subscribe(job.jobId, { history: true });
        expect(sub.handle).toBe(job);
      }
    }
    expect(progress).toEqual([1, 2, 3, 4]);
    await owner.close();
  });

  it('another principal sees nothing and may not subscribe', async () => {
    const owner = await connect('a');
    const job = await owner.submit({ agent: 'conformance.slow', input: { steps: 50, interval_ms: 20 } });
    const stranger = await connect('b');
    const listing = await stranger.listJobs();
    expect(listing.jobs.map((j) => j.jobId)).not.toContain(job.jobId);
    const err = await stranger.subscribe(job.jobId).catch((e) => e);
    expect(['PERMISSION_DENIED', 'JOB_NOT_FOUND']).toContain(err.code);
    await job.cancel();
    await job.done.catch(() => undefined);
    await stranger.close();
    await owner.close();
  });

  it('paginates with an opaque cursor', async () => {
    const owner = await connect('a');
    const handles = await Promise.all([1, 2, 3].map(() => owner.submit({ agent: 'conformance.slow', input: { steps: 50, interval_ms: 20 } })));
    const page1 = await owner.listJobs({ filter: { agent: 'conformance.slow', status: ['running', 'pending'] }, limit: 2 });
    expect(page1.jobs).toHaveLength(2);
    expect(page1.nextCursor).toEqual(expect.any(String));
    const page2 = await owner.listJobs({ filter: { agent: 'conformance.slow', status: ['running', 'pending'] }, limit: 2, cursor: page1.nextCursor });
    const ids = [...page1.jobs, ...page2.jobs].map((j) => j.jobId);
    for (const h of handles) expect(ids).toContain(h.jobId);
    await Promise.all(handles.map((h) => h.cancel()));
    await owner.close();
  });
});
