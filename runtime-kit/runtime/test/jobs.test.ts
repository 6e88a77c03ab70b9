import { afterEach, describe, expect, it } from 'vitest';
import { arcpError } from '../../errors/index.js';
import { ManualClock } from '../../protocol/index.js';
import { ARCPRuntime } from '../runtime.js';
import { connected, gate, makeRuntime } from './support/runtime-fixture.js';

let runtime: ARCPRuntime;
afterEach(async () => runtime?.close());

/** Resolves when the signal aborts. */
const aborted = (signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true })));

describe('submission and acceptance (§7.1)', () => {
  it('accepts with request_id, trace_id, empty lease, accepted_at and agent; then status running and the inline result', async () => {
    runtime = makeRuntime();
    const peer = await connected(runtime);
    const req = peer.submit('echo', { hello: 'world' });
    const accepted = await peer.accepted(req);
    expect(accepted.type).toBe('job.accepted');
    expect(accepted.event_seq).toBeUndefined();
    const jobId = accepted.payload.job_id;
    expect(accepted.job_id).toBe(jobId);
    expect(accepted.payload).toMatchObject({ request_id: req, agent: 'echo', lease: {}, trace_id: accepted.trace_id });
    expect(accepted.trace_id).toMatch(/^[0-9a-f]{32}$/);
    expect(accepted.payload.accepted_at).toMatch(/Z$/);
    const result = await peer.terminal(jobId);
    expect(result.type).toBe('job.result');
    expect(result.payload).toMatchObject({ final_status: 'success', result: { hello: 'world' } });
    const seqd = peer.sequenced();
    expect(seqd.map((m) => m.event_seq)).toEqual([1, 2]);
    expect(seqd[0]!.payload).toMatchObject({ kind: 'status', body: { phase: 'running' } });
    expect(seqd.every((m) => m.trace_id === accepted.trace_id)).toBe(true);
  });

  it('echoes a client trace_id on accepted and events', async () => {
    runtime = makeRuntime();
    const peer = await connected(runtime);
    const trace = 'ab'.repeat(16);
    const req = peer.submit('echo', 1, {}, { trace_id: trace });
    const accepted = await peer.accepted(req);
    expect(accepted.trace_id).toBe(trace);
    expect((await peer.terminal(accepted.payload.job_id)).trace_id).toBe(trace);
  });
});

describe('agent versions (§7.5)', () => {
  function versioned(): ARCPRuntime {
    const rt = makeRuntime();
    rt.registerAgent('multi', () => ({ v: '1.0.0' }), { version: '1.0.0' });
    rt.registerAgent('multi', () => ({ v: '2.0.0' }), { version: '2.0.0', default: true });
    return rt;
  }

  it('resolves a bare name to the default and a pinned name exactly', async () => {
    runtime = versioned();
    const peer = await connected(runtime);
    const bare = await peer.accepted(peer.submit('multi'));
    expect(bare.payload.agent).toBe('multi@2.0.0');
    expect((await peer.terminal(bare.payload.job_id)).payload.result).toEqual({ v: '2.0.0' });
    const pinned = await peer.accepted(peer.submit('multi@1.0.0'));
    expect(pinned.payload.agent).toBe('multi@1.0.0');
    expect((await peer.terminal(pinned.payload.job_id)).payload.result).toEqual({ v: '1.0.0' });
  });

  it('answers a missing version with session.error AGENT_VERSION_NOT_AVAILABLE carrying request_id (§13.8)', async () => {
    runtime = versioned();
    const peer = await connected(runtime);
    const req = peer.submit('multi@9.9.9');
    const err = await peer.accepted(req);
    expect(err.type).toBe('session.error');
    expect(err.payload).toMatchObject({ code: 'AGENT_VERSION_NOT_AVAILABLE', request_id: req, retryable: false });
  });

  it('answers an unknown agent with job.error AGENT_NOT_AVAILABLE on a fresh job_id with trace_id and request_id', async () => {
    runtime = versioned();
    const peer = await connected(runtime);
    const req = peer.submit('nope');
    const err = await peer.accepted(req);
    expect(err.type).toBe('job.error');
    expect(err.job_id).toMatch(/^job_/);
    expect(err.event_seq).toBe(1);
    expect(err.trace_id).toMatch(/^[0-9a-f]{32}$/);
    expect(err.payload).toMatchObject({ code: 'AGENT_NOT_AVAILABLE', final_status: 'error', request_id: req });
  });

  it('rejects an agent string outside the grammar with job.error INVALID_REQUEST', async () => {
    runtime = versioned();
    const peer = await connected(runtime);
    const err = await peer.accepted(peer.submit('Bad Name'));
    expect(err.type).toBe('job.error');
    expect(err.payload.code).toBe('INVALID_REQUEST');
  });
});

describe('terminals (§7.3)', () => {
  it('ends with the code of an ARCPError the agent throws, and INTERNAL_ERROR for anything else', async () => {
    runtime = makeRuntime();
    runtime.registerAgent('typed', () => {
      throw arcpError('PERMISSION_DENIED', 'no way');
    });
    runtime.registerAgent('buggy', () => {
      throw new Error('boom');
    });
    const peer = await connected(runtime);
    const typed = await peer.accepted(peer.submit('typed'));
    expect((await peer.terminal(typed.payload.job_id)).payload).toMatchObject({ final_status: 'error', code: 'PERMISSION_DENIED', message: 'no way' });
    const buggy = await peer.accepted(peer.submit('buggy'));
    expect((await peer.terminal(buggy.payload.job_id)).payload).toMatchObject({ final_status: 'error', code: 'INTERNAL_ERROR', retryable: true });
  });

  it('times out after max_runtime_sec with TIMEOUT / timed_out and aborts the agent', async () => {
    const clock = new ManualClock();
    runtime = makeRuntime({ clock });
    let reason: unknown;
    runtime.registerAgent('forever', async (_input, ctx) => {
      await aborted(ctx.signal);
      reason = ctx.signal.reason;
      ctx.log('info', 'too late'); // after the terminal: dropped
      return 'late';
    });
    const peer = await connected(runtime);
    const accepted = await peer.accepted(peer.submit('forever', {}, { max_runtime_sec: 5 }));
    await peer.find((m) => m.payload?.body?.phase === 'running');
    clock.advance(5000);
    const terminal = await peer.terminal(accepted.payload.job_id);
    expect(terminal.payload).toMatchObject({ final_status: 'timed_out', code: 'TIMEOUT' });
    await peer.settle();
    expect((reason as { code?: string }).code).toBe('TIMEOUT');
    const after = peer.sequenced().filter((m) => m.job_id === accepted.payload.job_id);
    expect(after.at(-1)!.type).toBe('job.error'); // nothing after the terminal
    expect(after.filter((m) => m.type === 'job.error' || m.type === 'job.result')).toHaveLength(1);
  });
});

describe('cancellation (§7.4)', () => {
  it('owner cancel: job.cancelled (no seq, job_id + reason), then job.error CANCELLED even if the agent returns normally', async () => {
    runtime = makeRuntime();
    runtime.registerAgent('stubborn', async (_i, ctx) => {
      await aborted(ctx.signal);
      return { finished: true }; // ignores the cancellation
    });
    const peer = await connected(runtime);
    const jobId = (await peer.accepted(peer.submit('stubborn'))).payload.job_id;
    peer.send('job.cancel', { reason: 'user pressed ^C' }, { job_id: jobId });
    const cancelled = await peer.next((m) => m.type === 'job.cancelled');
    expect(cancelled.event_seq).toBeUndefined();
    expect(cancelled.job_id).toBe(jobId);
    expect(cancelled.payload).toEqual({ job_id: jobId, reason: 'user pressed ^C' });
    const terminal = await peer.terminal(jobId);
    expect(terminal.type).toBe('job.error');
    expect(terminal.payload).toMatchObject({ code: 'CANCELLED', final_status: 'cancelled' });
    expect(peer.received.indexOf(cancelled)).toBeLessThan(peer.received.indexOf(terminal));
  });

  it('forces CANCELLED after the grace period when the agent never unwinds', async () => {
    const clock = new ManualClock();
    runtime = makeRuntime({ clock, cancelGraceMs: 1000 });
    runtime.registerAgent('deaf', () => new Promise(() => {}));
    const peer = await connected(runtime);
    const jobId = (await peer.accepted(peer.submit('deaf'))).payload.job_id;
    peer.send('job.cancel', {}, { job_id: jobId });
    await peer.next((m) => m.type === 'job.cancelled');
    await peer.settle();
    expect(peer.received.some((m) => m.type === 'job.error')).toBe(false);
    clock.advance(1000);
    expect((await peer.terminal(jobId)).payload).toMatchObject({ code: 'CANCELLED', final_status: 'cancelled' });
  });

  it('refuses another session of the same principal with PERMISSION_DENIED, hides the job from other principals', async () => {
    runtime = makeRuntime();
    const g = gate();
    runtime.registerAgent('held', () => g.promise);
    const owner = await connected(runtime);
    const jobId = (await owner.accepted(owner.submit('held'))).payload.job_id;
    const sibling = await connected(runtime, { token: 't2' }); // also alice
    const req = sibling.send('job.cancel', {}, { job_id: jobId });
    const denied = await sibling.next((m) => m.type === 'session.error');
    expect(denied.payload).toMatchObject({ code: 'PERMISSION_DENIED', request_id: req, job_id: jobId });
    const stranger = await connected(runtime, { token: 'u' }); // bob
    const req2 = stranger.send('job.cancel', {}, { job_id: jobId });
    expect((await stranger.next((m) => m.type === 'session.error')).payload).toMatchObject({ code: 'JOB_NOT_FOUND', request_id: req2 });
    g.open();
    expect((await owner.terminal(jobId)).type).toBe('job.result');
  });

  it('answers an unknown job with JOB_NOT_FOUND and ignores a cancel of a finished job', async () => {
    runtime = makeRuntime();
    const peer = await connected(runtime);
    const req = peer.send('job.cancel', {}, { job_id: 'job_01NOPE' });
    expect((await peer.next((m) => m.type === 'session.error')).payload).toMatchObject({ code: 'JOB_NOT_FOUND', request_id: req, job_id: 'job_01NOPE' });
    const jobId = (await peer.accepted(peer.submit('echo'))).payload.job_id;
    await peer.terminal(jobId);
    const before = peer.received.length;
    peer.send('job.cancel', {}, { job_id: jobId });
    peer.submit('echo'); // a marker: once its reply is in, the cancel was processed
    await peer.next((m) => m.type === 'job.accepted');
    const between = peer.received.slice(before).filter((m) => m.type !== 'job.accepted' && m.payload?.body?.phase !== 'running');
    expect(between.filter((m) => m.type === 'job.cancelled' || m.type === 'session.error')).toEqual([]);
  });
});

describe('idempotency (§7.2)', () => {
  it('replays the same job.accepted payload for the same key and payload, plus the terminal once finished', async () => {
    runtime = makeRuntime();
    const peer = await connected(runtime);
    const first = await peer.accepted(peer.submit('echo', { n: 1 }, { idempotency_key: 'k1' }));
    const terminal = await peer.terminal(first.payload.job_id);
    const req2 = peer.submit('echo', { n: 1 }, { idempotency_key: 'k1' });
    const second = await peer.accepted(req2);
    expect(second.type).toBe('job.accepted');
    const { request_id: _a, ...firstRest } = first.payload;
    const { request_id: r2, ...secondRest } = second.payload;
    expect(r2).toBe(req2);
    expect(secondRest).toEqual(firstRest);
    const replayed = await peer.next((m) => m.type === 'job.result' && m.event_seq !== terminal.event_seq);
    expect(replayed.job_id).toBe(first.payload.job_id);
    expect(replayed.event_seq).toBeGreaterThan(terminal.event_seq!);
    expect(replayed.payload).toEqual(terminal.payload);
  });

  it('answers a conflicting reuse with DUPLICATE_KEY on a fresh job id naming the existing job', async () => {
    runtime = makeRuntime();
    const peer = await connected(runtime);
    const first = await peer.accepted(peer.submit('echo', { n: 1 }, { idempotency_key: 'k2' }));
    const err = await peer.accepted(peer.submit('echo', { n: 2 }, { idempotency_key: 'k2' }));
    expect(err.type).toBe('job.error');
    expect(err.job_id).not.toBe(first.payload.job_id);
    expect(err.payload).toMatchObject({ code: 'DUPLICATE_KEY', details: { existing_job_id: first.payload.job_id } });
  });

  it('scopes keys by principal', async () => {
    runtime = makeRuntime();
    const alice = await connected(runtime);
    const bob = await connected(runtime, { token: 'u' });
    const a = await alice.accepted(alice.submit('echo', { n: 1 }, { idempotency_key: 'shared' }));
    const b = await bob.accepted(bob.submit('echo', { n: 1 }, { idempotency_key: 'shared' }));
    expect(b.type).toBe('job.accepted');
    expect(b.payload.job_id).not.toBe(a.payload.job_id);
  });
});
