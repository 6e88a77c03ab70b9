// Issue 13: emits past the turn's frame budget are queued and written on later turns
// (limits/emit-outbox.ts). What an agent sees must not change: a bad body is still refused
// synchronously with the same typed error, what it emitted is what goes out (even if it mutates
// the object afterwards), its terminal comes after its events, ctx.drain() waits for the queue,
// and a subscriber or an idempotent replay arriving while the tail is queued still gets it.
// A tiny `maxFramesPerTick` makes the queue certain with few events.
import { afterEach, describe, expect, it } from 'vitest';
import { isARCPError } from '../../errors/index.js';
import { ARCPRuntime } from '../runtime.js';
import { TestPeer, type Msg } from './support/test-peer.js';

let runtime: ARCPRuntime | undefined;
afterEach(async () => {
  await runtime?.close();
  runtime = undefined;
});

function start(maxFramesPerTick = 4): ARCPRuntime {
  const rt = new ARCPRuntime({ tokens: { t: 'alice' }, limits: { maxFramesPerTick } });
  rt.registerAgent('sync.then-bad', (input, ctx) => {
    const { count } = input as { count: number };
    for (let i = 0; i < count; i++) void ctx.log('info', 'ok', { i });
    const queued = rt.runner.outbox.pendingEmits;
    try {
      void ctx.log('bogus' as never, 'never on the wire');
      return { thrown: null, queued };
    } catch (err) {
      return { thrown: isARCPError(err) ? { code: err.code, retryable: err.retryable, field: (err.details as { field?: string }).field } : String(err), queued };
    }
  });
  rt.registerAgent('sync.reuse', (input, ctx) => {
    const { count } = input as { count: number };
    const attrs = { i: -1, tags: ['x'] };
    for (let i = 0; i < count; i++) {
      attrs.i = i;
      attrs.tags[0] = `t${i}`;
      void ctx.log('info', 'reused', attrs); // the same object each time, changed after the call
    }
    return { queued: rt.runner.outbox.pendingEmits };
  });
  rt.registerAgent('sync.drain', async (input, ctx) => {
    const { count } = input as { count: number };
    for (let i = 0; i < count; i++) void ctx.log('info', 'd', { i });
    const before = rt.runner.outbox.pendingEmits;
    await ctx.drain();
    return { before, after: rt.runner.outbox.pendingEmits };
  });
  rt.registerAgent('sync.burst', (input, ctx) => {
    const { count } = input as { count: number };
    for (let i = 0; i < count; i++) void ctx.log('info', 'b', { i });
    return { done: count };
  });
  return rt;
}

function logIndexes(msgs: Msg[], jobId: string): number[] {
  return msgs.filter((m) => m.job_id === jobId && m.type === 'job.event' && m.payload.kind === 'log').map((m) => m.payload.body.attributes.i as number);
}

/** A fresh runtime, one session, one job of `agent` run to its terminal. */
async function runJob(agent: string, input: unknown): Promise<{ peer: TestPeer; jobId: string; term: Msg }> {
  runtime = start();
  const peer = TestPeer.connect(runtime);
  await peer.hello();
  const jobId = (await peer.accepted(peer.submit(agent, input))).payload.job_id as string;
  return { peer, jobId, term: await peer.terminal(jobId) };
}

function gapFree(peer: TestPeer): void {
  const seqs = peer.sequenced().map((m) => m.event_seq!);
  expect(seqs).toEqual(seqs.map((_, i) => i + 1));
}

describe('deferred emits (issue 13: agents that never await)', () => {
  it('a bad body is refused synchronously with INVALID_REQUEST while earlier emits are still queued; nothing of it reaches the wire', async () => {
    const { peer, jobId, term } = await runJob('sync.then-bad', { count: 200 });
    expect(term.type).toBe('job.result');
    expect(term.payload.result.queued).toBeGreaterThan(100); // the refusal happened on the queued path
    expect(term.payload.result.thrown).toEqual({ code: 'INVALID_REQUEST', retryable: false, field: '/payload/body/level' });
    expect(peer.rawFrames.some((f) => f.includes('bogus'))).toBe(false);
    expect(logIndexes(peer.received, jobId)).toEqual(Array.from({ length: 200 }, (_, i) => i));
    expect(peer.received.at(-1)!.type).toBe('job.result');
    gapFree(peer);
  });

  it('what goes out is what the agent emitted, even when it changes the object after the call', async () => {
    const { peer, jobId, term } = await runJob('sync.reuse', { count: 100 });
    expect(term.payload.result.queued).toBeGreaterThan(50);
    const logs = peer.received.filter((m) => m.job_id === jobId && m.payload?.kind === 'log');
    expect(logs.map((m) => m.payload.body.attributes)).toEqual(Array.from({ length: 100 }, (_, i) => ({ i, tags: [`t${i}`] })));
  });

  it('ctx.drain() resolves once the queue is written out', async () => {
    const { peer, term } = await runJob('sync.drain', { count: 100 });
    expect(term.payload.result.before).toBeGreaterThan(50);
    expect(term.payload.result.after).toBe(0);
    gapFree(peer);
  });

  it('two jobs of one session: each job in call order, the session gap-free, each terminal after its events', async () => {
    runtime = start();
    const peer = TestPeer.connect(runtime);
    await peer.hello();
    const a = await peer.accepted(peer.submit('sync.burst', { count: 150 }));
    const b = await peer.accepted(peer.submit('sync.burst', { count: 150 }));
    for (const acc of [a, b]) {
      const jobId = acc.payload.job_id as string;
      const term = await peer.terminal(jobId);
      expect(logIndexes(peer.received, jobId)).toEqual(Array.from({ length: 150 }, (_, i) => i));
      const lastLog = peer.received.findLastIndex((m) => m.job_id === jobId && m.payload?.kind === 'log');
      expect(peer.received.indexOf(term)).toBeGreaterThan(lastLog);
    }
    gapFree(peer);
  });

  it('a subscriber arriving while a finished job\'s tail is still queued gets the tail and the terminal', async () => {
    runtime = start(1); // one frame a turn: a 400-event burst takes ~400 turns to go out
    const owner = TestPeer.connect(runtime);
    await owner.hello();
    const watcher = TestPeer.connect(runtime);
    await watcher.hello();
    const acc = await owner.accepted(owner.submit('sync.burst', { count: 400 }));
    const jobId = acc.payload.job_id as string;
    await owner.find((m) => m.job_id === jobId && m.payload?.kind === 'log');
    expect(runtime.jobs.get(jobId)!.isTerminal).toBe(true); // the agent returned: only the wire is behind
    expect(runtime.jobs.get(jobId)!.pendingOutput).toBeGreaterThan(100);
    const sub = watcher.send('job.subscribe', { job_id: jobId });
    const subscribed = await watcher.find((m) => (m.type === 'job.subscribed' || m.type === 'session.error') && m.payload?.request_id === sub);
    expect(subscribed.type).toBe('job.subscribed');
    const end = await watcher.find((m) => m.job_id === jobId && m.type === 'job.result', 20_000);
    expect(end.payload.result).toEqual({ done: 400 });
    const tail = logIndexes(watcher.received, jobId);
    expect(tail.length).toBeGreaterThan(0);
    expect(tail).toEqual(Array.from({ length: tail.length }, (_, k) => 400 - tail.length + k)); // the live tail, in order, up to the end
    await owner.terminal(jobId);
    gapFree(owner);
    gapFree(watcher);
  });

  it('an idempotent retry in the same session while the terminal is queued gets it after the events, not before', async () => {
    runtime = start(1);
    const peer = TestPeer.connect(runtime);
    await peer.hello();
    const first = await peer.accepted(peer.submit('sync.burst', { count: 300 }, { idempotency_key: 'k-1' }));
    const jobId = first.payload.job_id as string;
    await peer.find((m) => m.job_id === jobId && m.payload?.kind === 'log');
    const again = await peer.accepted(peer.submit('sync.burst', { count: 300 }, { idempotency_key: 'k-1' }));
    expect(again.payload.job_id).toBe(jobId);
    await peer.terminal(jobId);
    await peer.settle(20);
    const terminals = peer.received.filter((m) => m.job_id === jobId && m.type === 'job.result');
    expect(terminals).toHaveLength(2);
    const lastLog = peer.received.findLastIndex((m) => m.job_id === jobId && m.payload?.kind === 'log');
    for (const t of terminals) expect(peer.received.indexOf(t)).toBeGreaterThan(lastLog);
    expect(logIndexes(peer.received, jobId)).toEqual(Array.from({ length: 300 }, (_, i) => i));
    gapFree(peer);
  });
});
