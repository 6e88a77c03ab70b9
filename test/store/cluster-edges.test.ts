// Cluster edge cases of issue 12 (docs/store.md, formerly "Known gaps"), each against nodes
// sharing one real redis-server:
//   - the owner subscribing to its own job while the job runs on another node gets each event
//     once (the owner check compared session objects; the job's owner there is a stand-in);
//   - the job's node keeps the job's last_event_seq current after the session moved away, so a
//     listing shows the seq of the job's terminal, not the one from before the handover;
//   - a session that moves twice while its job runs on node A keeps receiving the job's live
//     events, and when A is then killed (-9) the job ends with the restart terminal on the
//     session's current node, with the client still connected there;
//   - a resume on another node with the right resume token but another principal's credentials
//     is refused without moving the session (the claim checked only the token).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerConformanceAgents } from '../../runtime-kit/agents/conformance.js';
import { ARCPRuntime } from '../../runtime-kit/runtime/index.js';
import { RedisRuntimeStore } from '../../runtime-kit/store/redis-store.js';
import { haveRedis } from './support/redis-server.js';
import { sharedRedis } from './support/shared-redis.js';
import { startServe } from './support/serve-child.js';
import { WsPeer, type Msg } from './support/ws-peer.js';

const redis = sharedRedis('cluster edge cases');
const stops = redis.stops;

async function node(name: string): Promise<{ runtime: ARCPRuntime; url: string }> {
  const store = await RedisRuntimeStore.connect(redis.url, { nodeId: `${name}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`, livenessTtlMs: 1000 });
  const runtime = new ARCPRuntime({ tokens: { t: 'alice', u: 'bob' }, store, logger: () => undefined });
  registerConformanceAgents(runtime);
  await runtime.ready();
  const server = await runtime.listen({ host: '127.0.0.1', port: 0 });
  stops.push(async () => {
    await runtime.close();
    await store.close();
  });
  return { runtime, url: server.url! };
}

const progressOf = (m: Msg): number | undefined => (m.type === 'job.event' && m.payload?.kind === 'progress' ? Number(m.payload.body?.current) : undefined);
const lastSeq = (p: WsPeer): number => Math.max(0, ...p.sequenced().map((m) => m.event_seq!));

/** Starts a slow job on `url`, waits for its progress `atLeast`, drops the connection. */
async function startThenDrop(url: string, steps: number, atLeast: number): Promise<{ peer: WsPeer; jobId: string }> {
  const peer = await WsPeer.open(url);
  await peer.hello();
  const jobId = (await peer.accepted(peer.submit('conformance.slow', { steps, interval_ms: 25 }))).payload.job_id as string;
  await peer.find((m) => m.job_id === jobId && (progressOf(m) ?? 0) >= atLeast);
  await peer.close();
  return { peer, jobId };
}

async function resumeOn(url: string, from: WsPeer, afterSeq = lastSeq(from)): Promise<WsPeer> {
  const peer = await WsPeer.open(url);
  const welcome = await peer.hello({ resume: { session_id: from.sessionId!, resume_token: from.resumeToken!, last_event_seq: afterSeq } });
  expect(welcome.type, JSON.stringify(welcome.payload)).toBe('session.welcome');
  return peer;
}

describe.skipIf(!haveRedis)('cluster edge cases (shared redis-server)', () => {
  it('the owner subscribing to its own job on another node gets each of its events once', async () => {
    const [a, b] = [await node('own-a'), await node('own-b')];
    const { peer: first, jobId } = await startThenDrop(a.url, 40, 2);
    const second = await resumeOn(b.url, first);
    const id = second.send('job.subscribe', { job_id: jobId, history: false });
    const reply = await second.find((m) => m.payload?.request_id === id);
    expect(reply.type, JSON.stringify(reply.payload)).toBe('job.subscribed');
    await second.terminal(jobId);
    const currents = second.msgs.filter((m) => m.job_id === jobId).map(progressOf).filter((c) => c !== undefined);
    expect(currents.length).toBeGreaterThan(5);
    expect(currents.filter((c, i) => currents.indexOf(c) !== i), 'progress delivered twice').toEqual([]);
    expect(a.runtime.jobs.get(jobId)?.isTerminal).toBe(true); // it did run on A
    await second.close();
  }, 60_000);

  it("a handed-over job's record carries the seq of its terminal, not the seq from before the handover", async () => {
    const [a, b, c] = [await node('seq-a'), await node('seq-b'), await node('seq-c')];
    const { peer: first, jobId } = await startThenDrop(a.url, 60, 2);
    const before = a.runtime.jobs.get(jobId)!.lastEventSeq;
    const second = await resumeOn(b.url, first);
    const terminal = await second.terminal(jobId);
    expect(terminal.event_seq!).toBeGreaterThan(before);
    // The job's node learns the seqs the new home gave its output (answers arrive over pub/sub).
    const listed = async (): Promise<number | undefined> => {
      const lister = await WsPeer.open(c.url);
      await lister.hello();
      const req = lister.send('session.list_jobs', { limit: 1000 });
      const jobs = (await lister.find((m) => m.type === 'session.jobs' && m.payload?.request_id === req)).payload.jobs as { job_id: string; last_event_seq: number }[];
      await lister.close();
      return jobs.find((j) => j.job_id === jobId)?.last_event_seq;
    };
    let seen = await listed();
    for (let i = 0; i < 50 && seen !== terminal.event_seq; i++) {
      await new Promise((r) => setTimeout(r, 100));
      seen = await listed();
    }
    expect(seen).toBe(terminal.event_seq);
    expect(a.runtime.jobs.get(jobId)!.lastEventSeq).toBe(terminal.event_seq);
    await second.close();
  }, 60_000);

  it('a session that moves twice keeps its job\'s live events; when the job\'s node dies, the job ends on the current node', async () => {
    const b = await node('twice-b');
    const c = await node('twice-c');
    const a = await startServe(['--store', redis.url]);
    stops.push(() => a.kill9());
    const { peer: first, jobId } = await startThenDrop(a.url, 100_000, 3);

    const second = await resumeOn(b.url, first);
    const onB = await second.find((m) => m.job_id === jobId && m.event_seq! > lastSeq(first) + 2);
    await second.close();

    const third = await resumeOn(c.url, second);
    // Live output after the second move (it used to be dropped by B, which no longer held the session).
    const live = await third.find((m) => m.job_id === jobId && m.event_seq! > lastSeq(second) + 3, 10_000);
    expect(live.event_seq!).toBeGreaterThan(onB.event_seq!);

    await a.kill9();
    const terminal = await third.terminal(jobId, 30_000);
    expect(terminal.type).toBe('job.error');
    expect(terminal.payload).toMatchObject({ code: 'INTERNAL_ERROR', retryable: true, final_status: 'error', details: { reason: 'runtime_restarted' } });
    expect(third.closed).toBe(false); // the session stayed on C: no other node took it
    const seqs = third.sequenced().map((m) => m.event_seq!);
    expect(seqs).toEqual(seqs.map((_, i) => seqs[0]! + i)); // gap-free on C
    await third.close();
  }, 90_000);

  it("a resume on another node with another principal's credentials leaves the session at its home", async () => {
    const [a, b] = [await node('who-a'), await node('who-b')];
    const { peer: first, jobId } = await startThenDrop(a.url, 200, 1);
    const intruder = await WsPeer.open(b.url);
    const reply = await intruder.hello({ token: 'u', resume: { session_id: first.sessionId!, resume_token: first.resumeToken!, last_event_seq: 0 } });
    expect(reply.type).toBe('session.error');
    await intruder.close();
    expect(a.runtime.sessions.get(first.sessionId!), 'the session left its home').toBeDefined();
    expect(b.runtime.sessions.get(first.sessionId!)).toBeUndefined();
    // and its owner still resumes at home, with the job running there
    const again = await resumeOn(a.url, first);
    expect((await again.find((m) => m.job_id === jobId && m.type === 'job.event')).session_id).toBe(first.sessionId);
    again.send('job.cancel', {}, { job_id: jobId });
    await again.terminal(jobId);
    await again.close();
  }, 60_000);
});
