// Memory budgets (issue 13): sessions, resume-buffer bytes, finished jobs and job inputs are
// bounded per principal and overall (limits/limits-options.ts). Each limit hit is a typed
// error (details.reason limit_exceeded, limit, max) or a documented eviction (oldest first).
// Before the fix: 40 dropped sessions held +836 MB; 300 finished jobs with 1 MB inputs +302 MB.
import { afterEach, describe, expect, it } from 'vitest';
import type { BudgetedEventStore } from '../limits/budgeted-event-store.js';
import type { ARCPRuntime } from '../runtime.js';
import { connected, gate, makeRuntime } from './support/runtime-fixture.js';
import { TestPeer } from './support/test-peer.js';

let runtime: ARCPRuntime;
afterEach(async () => runtime?.close());

/** Held resume-buffer bytes of every session the runtime still knows (measured on the store). */
function heldBytes(rt: ARCPRuntime): number {
  let sum = 0;
  for (const s of rt.sessions.values()) sum += rt.store.stats(s.id).bytes;
  return sum;
}

function withFill(rt: ARCPRuntime): ARCPRuntime {
  rt.registerAgent('fill', (input, ctx) => {
    const { count, size } = input as { count: number; size: number };
    for (let i = 0; i < count; i++) ctx.log('info', 'x'.repeat(size));
    return count;
  });
  return rt;
}

/** A session that ran `fill`, then dropped its transport (detached, in its resume window). */
async function droppedAfterFill(rt: ARCPRuntime, count: number, size: number, token = 't') {
  const peer = await connected(rt, { token, features: ['heartbeat'] });
  const jobId = (await peer.accepted(peer.submit('fill', { count, size }))).payload.job_id as string;
  const end = await peer.terminal(jobId);
  await peer.close();
  await peer.settle();
  return { sessionId: peer.sessionId!, token: peer.resumeToken!, lastSeq: end.event_seq! };
}

async function resume(rt: ARCPRuntime, s: { sessionId: string; token: string }, lastEventSeq = 0) {
  const peer = TestPeer.connect(rt);
  const reply = await peer.hello({ resume: { session_id: s.sessionId, resume_token: s.token, last_event_seq: lastEventSeq } });
  await peer.settle();
  return { peer, reply };
}

describe('session budgets', () => {
  it('forgets the least recently active detached session to make room under maxSessionsPerPrincipal', async () => {
    runtime = withFill(makeRuntime({ limits: { maxSessionsPerPrincipal: 3 } }));
    const dropped = [];
    for (let i = 0; i < 5; i++) dropped.push(await droppedAfterFill(runtime, 1, 10));
    expect([...runtime.sessions.ofPrincipal('alice')]).toHaveLength(3);
    expect((await resume(runtime, dropped[0]!)).reply.payload.code).toBe('RESUME_WINDOW_EXPIRED');
    expect((await resume(runtime, dropped[1]!)).reply.payload.code).toBe('RESUME_WINDOW_EXPIRED');
    expect((await resume(runtime, dropped[4]!)).reply.type).toBe('session.welcome');
  });

  it('refuses a new hello (PERMISSION_DENIED, retryable) when every session of the principal is attached', async () => {
    runtime = makeRuntime({ limits: { maxSessionsPerPrincipal: 2 } });
    await connected(runtime);
    await connected(runtime);
    const third = TestPeer.connect(runtime);
    const reply = await third.hello();
    expect(reply.type).toBe('session.error');
    expect(reply.payload).toMatchObject({ code: 'PERMISSION_DENIED', retryable: true, details: { reason: 'limit_exceeded', limit: 'maxSessionsPerPrincipal', max: 2 } });
    await third.settle();
    expect(third.isOpen).toBe(false);
    // Another principal is not affected by alice's budget.
    expect((await TestPeer.connect(runtime).hello({ token: 'u' })).type).toBe('session.welcome');
  });

  it('applies maxSessions across principals', async () => {
    runtime = makeRuntime({ limits: { maxSessions: 2 } });
    await connected(runtime);
    await connected(runtime, { token: 'u' });
    const reply = await TestPeer.connect(runtime).hello({ token: 't2' });
    expect(reply.payload).toMatchObject({ code: 'PERMISSION_DENIED', details: { limit: 'maxSessions' } });
  });
});

describe('resume-buffer budgets', () => {
  it('keeps what dropped sessions hold under maxRetainedEventBytesPerPrincipal, forgetting the oldest first', async () => {
    const budget = 300_000;
    runtime = withFill(makeRuntime({ limits: { maxRetainedEventBytesPerPrincipal: budget } }));
    const dropped = [];
    // Each session holds ~110 KB: 10 of them would hold ~1.1 MB without the budget.
    for (let i = 0; i < 10; i++) dropped.push(await droppedAfterFill(runtime, 100, 1000));
    expect(heldBytes(runtime)).toBeLessThanOrEqual(budget);
    expect((runtime.store as BudgetedEventStore).retainedBytes('alice')).toBe(heldBytes(runtime));
    expect((await resume(runtime, dropped[0]!)).reply.payload.code).toBe('RESUME_WINDOW_EXPIRED');
    // The newest is intact: a resume from 0 replays every event, terminal included.
    const { peer, reply } = await resume(runtime, dropped[9]!);
    expect(reply.type).toBe('session.welcome');
    const seqs = peer.sequenced().map((m) => m.event_seq);
    expect(seqs).toEqual(Array.from({ length: dropped[9]!.lastSeq }, (_, i) => i + 1));
  });

  it('ends the session whose event does not fit when no detached session is left (INTERNAL_ERROR, details.limit)', async () => {
    runtime = withFill(makeRuntime({ limits: { maxRetainedEventBytes: 50_000 } }));
    const peer = await connected(runtime, { features: ['heartbeat'] });
    peer.submit('fill', { count: 100, size: 1000 });
    const err = await peer.find((m) => m.type === 'session.error');
    expect(err.payload).toMatchObject({ code: 'INTERNAL_ERROR', details: { reason: 'event_store_full', limit: 'maxRetainedEventBytes', cap: 50_000 } });
    await peer.settle();
    expect(peer.isOpen).toBe(false);
    expect(heldBytes(runtime)).toBeLessThanOrEqual(50_000);
  });
});

describe('job budgets', () => {
  it('keeps at most maxFinishedJobsPerPrincipal finished jobs, forgetting the oldest first', async () => {
    runtime = makeRuntime({ limits: { maxFinishedJobsPerPrincipal: 5 } });
    const peer = await connected(runtime);
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) {
      const id = (await peer.accepted(peer.submit('echo', i))).payload.job_id as string;
      await peer.terminal(id);
      ids.push(id);
    }
    expect(runtime.jobs.size).toBe(5);
    expect(runtime.jobs.get(ids[6]!)).toBeUndefined();
    expect(ids.slice(7).every((id) => runtime.jobs.get(id) !== undefined)).toBe(true);
  });

  it('drops a finished job input: 300 finished jobs with 100 KB inputs retain none of it', async () => {
    runtime = makeRuntime();
    const peer = await connected(runtime);
    const big = 'y'.repeat(100_000);
    const ids: string[] = [];
    for (let i = 0; i < 300; i++) {
      ids.push((await peer.accepted(peer.submit('echo', { i, big }, { idempotency_key: `k${i}` }))).payload.job_id as string);
      await peer.terminal(ids.at(-1)!);
    }
    const last = ids.at(-1)!;
    // What the finished jobs still hold, read off the jobs themselves (before: every input).
    expect(ids.filter((id) => runtime.jobs.get(id)?.input !== undefined)).toEqual([]);
    expect(runtime.jobs.retainedInputBytes('alice')).toBe(0);
    // Idempotency still tells the same submit from a different one (it keeps a digest, not the input).
    const same = await peer.accepted(peer.submit('echo', { big, i: 299 }, { idempotency_key: 'k299' }));
    expect(same.payload.job_id).toBe(last);
    const other = await peer.accepted(peer.submit('echo', { i: 299, big: 'z' }, { idempotency_key: 'k299' }));
    expect(other.payload.code).toBe('DUPLICATE_KEY');
  });

  it('refuses an input over maxJobInputBytes with INVALID_REQUEST', async () => {
    runtime = makeRuntime({ limits: { maxJobInputBytes: 1000 } });
    const peer = await connected(runtime);
    const reply = await peer.accepted(peer.submit('echo', 'x'.repeat(2000)));
    expect(reply.type).toBe('job.error');
    expect(reply.payload).toMatchObject({ code: 'INVALID_REQUEST', details: { reason: 'limit_exceeded', limit: 'maxJobInputBytes', max: 1000 } });
  });

  it('refuses a submit over the live input budget or the live job count (retryable) and admits again after jobs end', async () => {
    runtime = makeRuntime({ limits: { maxRetainedInputBytesPerPrincipal: 3000, maxLiveJobsPerPrincipal: 3 } });
    const hold = gate();
    runtime.registerAgent('holder', async () => {
      await hold.promise;
      return 'done';
    });
    const peer = await connected(runtime);
    const a = await peer.accepted(peer.submit('holder', 'a'.repeat(1400)));
    const b = await peer.accepted(peer.submit('holder', 'b'.repeat(1400)));
    expect([a.type, b.type]).toEqual(['job.accepted', 'job.accepted']);
    const c = await peer.accepted(peer.submit('holder', 'c'.repeat(1400)));
    expect(c.payload).toMatchObject({ code: 'PERMISSION_DENIED', retryable: true, details: { limit: 'maxRetainedInputBytesPerPrincipal', max: 3000 } });
    const d = await peer.accepted(peer.submit('holder', 'd'));
    expect(d.type).toBe('job.accepted');
    const e = await peer.accepted(peer.submit('holder', 'e'));
    expect(e.payload).toMatchObject({ code: 'PERMISSION_DENIED', retryable: true, details: { limit: 'maxLiveJobsPerPrincipal', max: 3 } });
    hold.open();
    for (const m of [a, b, d]) await peer.terminal(m.payload.job_id);
    expect((await peer.accepted(peer.submit('echo', 'c'.repeat(1400)))).type).toBe('job.accepted');
  });

  it('refuses an input nested too deeply to measure, without throwing', async () => {
    runtime = makeRuntime();
    const peer = await connected(runtime);
    const depth = 200_000;
    peer.sendRaw(`{"arcp":"1.1","id":"msg_deep1","type":"job.submit","session_id":"${peer.sessionId}","payload":{"agent":"echo","input":${'['.repeat(depth)}${']'.repeat(depth)}}}`);
    const reply = await peer.accepted('msg_deep1');
    expect(reply.payload.code).toBe('INVALID_REQUEST');
    expect((await peer.accepted(peer.submit('echo', 1))).type).toBe('job.accepted');
  });
});
