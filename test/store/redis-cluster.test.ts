// Issue 12, Redis: N runtime nodes share one real redis-server. A client connects to node A,
// its job runs on A, the client drops and resumes on node B: exact replay, then the job's live
// events (forwarded from A, sequenced by B); a cancel sent to B stops the job on A; listing from
// any node sees every node's jobs. And when node A (a real `arcp serve` child) is killed with
// SIGKILL, its running job ends with a terminal the client sees from B.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerConformanceAgents } from '../../runtime-kit/agents/conformance.js';
import { ARCPRuntime } from '../../runtime-kit/runtime/index.js';
import { RedisRuntimeStore } from '../../runtime-kit/store/redis-store.js';
import { haveRedis } from './support/redis-server.js';
import { sharedRedis } from './support/shared-redis.js';
import { startServe, type ServeChild } from './support/serve-child.js';
import { WsPeer } from './support/ws-peer.js';

const redis = sharedRedis('redis cluster tests');
const stops = redis.stops;

async function node(name: string): Promise<{ runtime: ARCPRuntime; url: string; store: RedisRuntimeStore }> {
  const store = await RedisRuntimeStore.connect(redis.url, { nodeId: `${name}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`, livenessTtlMs: 1000 });
  const runtime = new ARCPRuntime({ tokens: { t: 'alice' }, store, logger: () => undefined });
  registerConformanceAgents(runtime);
  await runtime.ready();
  const server = await runtime.listen({ host: '127.0.0.1', port: 0 });
  stops.push(async () => {
    await runtime.close();
    await store.close();
  });
  return { runtime, url: server.url!, store };
}

describe.skipIf(!haveRedis)('redis store: runtime nodes sharing one redis-server', () => {
  it('resume on B: exact replay then live events from the job on A; cancel sent to B stops it on A; listing from C', async () => {
    const [a, b, c] = [await node('a'), await node('b'), await node('c')];
    const first = await WsPeer.open(a.url);
    await first.hello();
    const accepted = await first.accepted(first.submit('conformance.slow', { steps: 10_000, interval_ms: 20 }));
    const jobId = accepted.payload.job_id as string;
    await first.find((m) => m.type === 'job.event' && m.payload?.kind === 'progress' && m.payload.body?.current >= 3);
    const seenBefore = first.sequenced();
    const maxSeen = seenBefore[seenBefore.length - 1]!.event_seq!;
    await first.close();

    const second = await WsPeer.open(b.url);
    const welcome = await second.hello({ resume: { session_id: first.sessionId!, resume_token: first.resumeToken!, last_event_seq: 1 } });
    expect(welcome.type, JSON.stringify(welcome.payload)).toBe('session.welcome');
    expect(welcome.session_id).toBe(first.sessionId);
    // live events continue after the replay, on B, gap-free in the same seq space
    await second.find((m) => m.type === 'job.event' && m.event_seq! > maxSeen + 3);
    const got = second.sequenced();
    expect(got.map((m) => m.event_seq)).toEqual(got.map((_, i) => 2 + i));
    for (let i = 0; i < got.length; i++) {
      if (got[i]!.event_seq! <= maxSeen) {
        expect(second.frames[second.msgs.indexOf(got[i]!)]).toBe(first.frames[first.msgs.indexOf(seenBefore.find((m) => m.event_seq === got[i]!.event_seq)!)]);
      }
    }
    expect(b.runtime.jobs.get(jobId)).toBeUndefined(); // the job still runs on A
    expect(a.runtime.jobs.get(jobId)?.isTerminal).toBe(false);

    // cancel sent to B stops the job on A; the terminal reaches the client through B
    second.send('job.cancel', { reason: 'from b' }, { job_id: jobId });
    expect((await second.find((m) => m.type === 'job.cancelled' && m.job_id === jobId)).payload.reason).toBe('from b');
    const terminal = await second.terminal(jobId);
    expect(terminal.payload).toMatchObject({ code: 'CANCELLED', final_status: 'cancelled' });
    expect(a.runtime.jobs.get(jobId)?.isTerminal).toBe(true);

    // listing from a third node, another session of the same principal
    const third = await WsPeer.open(c.url);
    await third.hello();
    const id = third.send('session.list_jobs', { limit: 1000 });
    const jobs = (await third.find((m) => m.type === 'session.jobs' && m.payload?.request_id === id)).payload.jobs as { job_id: string; status: string }[];
    expect(jobs.find((j) => j.job_id === jobId)?.status).toBe('cancelled');
    // a cancel from that other session is refused as on one node
    third.send('job.cancel', {}, { job_id: jobId });
    expect((await third.find((m) => m.type === 'session.error' && m.payload?.job_id === jobId)).payload.code).toBe('PERMISSION_DENIED');
    await Promise.all([second.close(), third.close()]);
  }, 60_000);

  it('kill -9 of node A (a real arcp serve): its running job ends with a terminal the client sees from B', async () => {
    const b = await node('b');
    const a: ServeChild = await startServe(['--store', redis.url]);
    stops.push(() => a.kill9());
    const first = await WsPeer.open(a.url);
    await first.hello();
    const jobId = (await first.accepted(first.submit('conformance.slow', { steps: 10_000, interval_ms: 20 }))).payload.job_id as string;
    await first.find((m) => m.type === 'job.event' && m.payload?.kind === 'progress' && m.payload.body?.current >= 3).catch((err) => {
      throw new Error(`${String(err)}\nnode A stderr: ${a.stderr()}`);
    });
    const seen = first.sequenced();
    await a.kill9();
    await first.close();
    const second = await WsPeer.open(b.url);
    const welcome = await second.hello({ resume: { session_id: first.sessionId!, resume_token: first.resumeToken!, last_event_seq: 0 } });
    expect(welcome.type, JSON.stringify(welcome.payload)).toBe('session.welcome');
    const terminal = await second.terminal(jobId);
    expect(terminal.type).toBe('job.error');
    expect(terminal.payload).toMatchObject({ code: 'INTERNAL_ERROR', retryable: true, final_status: 'error', details: { reason: 'runtime_restarted' } });
    // nothing the client saw from A is missing: every frame it got is replayed byte for byte
    for (const m of seen) expect(second.frames).toContain(first.frames[first.msgs.indexOf(m)]);
    expect(terminal.event_seq).toBeGreaterThan(seen[seen.length - 1]!.event_seq!);
    await second.close();
  }, 60_000);
});
