// Resume regressions: bugs other ARCP SDKs fixed (ecosystem.md §1.4 "Resume and sequencing
// bugs") and the catalog's resume positions (§6.3, §9 #27-#29), checked on arcp-kit's runtime
// over raw frames.
import * as crypto from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createMemoryTransportPair, ManualClock, MemoryEventStore, type StoredEvent, type Transport } from '../../runtime-kit/index.js';
import { connect, drivenAgent, logsOf, makeRuntime, range, resumeOf, seqs, submitAccepted, TestPeer } from './support.js';

vi.mock('node:crypto', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:crypto')>();
  return { ...real, timingSafeEqual: vi.fn(real.timingSafeEqual) };
});

afterEach(() => vi.mocked(crypto.timingSafeEqual).mockClear());

describe('resume regressions', () => {
  it('go-sdk #137 (catalog §6.3): events emitted while disconnected are buffered and replayed on resume', async () => {
    const runtime = makeRuntime();
    const agent = drivenAgent(runtime);
    const a = await connect(runtime);
    const jobId = (await submitAccepted(a, 'driven')).job_id!;
    const job = await agent.ctxOf(jobId);
    job.ctx.log('info', 'before');
    await a.find((m) => m.type === 'job.event' && m.payload.body?.message === 'before');
    const seen = Math.max(...seqs(a));
    await a.close();
    await a.settle();
    job.ctx.log('info', 'away-1');
    job.ctx.log('info', 'away-2');
    const { peer: b, reply } = await resumeOf(runtime, a, seen);
    expect(reply.type).toBe('session.welcome');
    await b.find((m) => m.type === 'job.event' && m.payload.body?.message === 'away-2');
    expect(logsOf(b, jobId)).toEqual(['away-1', 'away-2']);
    expect(seqs(b)).toEqual([seen + 1, seen + 2]);
  });

  it('go-sdk #145/#146 (#76, #78): a resumed session receives live events after the replay, in seq order', async () => {
    const runtime = makeRuntime();
    const agent = drivenAgent(runtime);
    const a = await connect(runtime);
    const jobId = (await submitAccepted(a, 'driven')).job_id!;
    const job = await agent.ctxOf(jobId);
    await a.close();
    await a.settle();
    job.ctx.log('info', 'away');
    const { peer: b } = await resumeOf(runtime, a, 0);
    job.ctx.log('info', 'live-1');
    job.ctx.log('info', 'live-2');
    job.finish('done');
    const result = await b.terminal(jobId);
    expect(result.type).toBe('job.result');
    expect(logsOf(b, jobId)).toEqual(['away', 'live-1', 'live-2']);
    // Replay (status running + away) then live: one contiguous seq run from 1.
    expect(seqs(b)).toEqual(range(1, seqs(b).length));
    expect(b.received.findIndex((m) => m.type === 'session.welcome')).toBeLessThan(b.received.findIndex((m) => m.event_seq !== undefined));
  });

  it('go-sdk #45 / rust-sdk issue_54: a transport drop does not cancel a running job; its result is replayed on resume', async () => {
    const runtime = makeRuntime();
    const agent = drivenAgent(runtime);
    const a = await connect(runtime);
    const jobId = (await submitAccepted(a, 'driven')).job_id!;
    const job = await agent.ctxOf(jobId);
    await a.close();
    await a.settle();
    expect(job.ctx.signal.aborted).toBe(false);
    job.finish({ answer: 42 });
    await a.settle();
    const { peer: b } = await resumeOf(runtime, a, 0);
    const terminal = await b.terminal(jobId);
    expect(terminal.type).toBe('job.result');
    expect(terminal.payload.final_status).toBe('success');
    expect(terminal.payload.result).toEqual({ answer: 42 });
  });

  it('go-sdk #153: a refused resume (wrong token, other principal) keeps the resume entry usable', async () => {
    const runtime = makeRuntime();
    const a = await connect(runtime);
    await a.close();
    await a.settle();
    const wrongToken = TestPeer.connect(runtime);
    const r1 = await wrongToken.hello({ token: 't', resume: { session_id: a.sessionId!, resume_token: `rt_${'0'.repeat(64)}`, last_event_seq: 0 } });
    expect(r1.payload.code).toBe('RESUME_WINDOW_EXPIRED');
    const otherPrincipal = TestPeer.connect(runtime);
    const r2 = await otherPrincipal.hello({ token: 'u', resume: { session_id: a.sessionId!, resume_token: a.resumeToken!, last_event_seq: 0 } });
    expect(r2.payload.code).toBe('RESUME_WINDOW_EXPIRED');
    const { reply } = await resumeOf(runtime, a, 0);
    expect(reply.type).toBe('session.welcome');
    expect(reply.session_id).toBe(a.sessionId);
  });

  it('rust-sdk "v1.1 session.resume with token rotation" (§6.3): the spec form works, rotates the token, and the old token is refused', async () => {
    const runtime = makeRuntime();
    const a = await connect(runtime);
    const first = a.resumeToken!;
    await a.close();
    await a.settle();
    const b = TestPeer.connect(runtime);
    b.send('session.resume', { session_id: a.sessionId, resume_token: first, last_event_seq: 0 });
    const welcome = await b.next((m) => m.type === 'session.welcome' || m.type === 'session.error');
    expect(welcome.type).toBe('session.welcome');
    expect(welcome.session_id).toBe(a.sessionId);
    expect(welcome.payload.resume_token).not.toBe(first);
    await b.close();
    await b.settle();
    const c = TestPeer.connect(runtime);
    c.send('session.resume', { session_id: a.sessionId, resume_token: first, last_event_seq: 0 });
    const refused = await c.next((m) => m.type === 'session.welcome' || m.type === 'session.error');
    expect(refused.payload.code).toBe('RESUME_WINDOW_EXPIRED');
  });

  it('python-sdk test_resume_rebind_jobs (catalog §9 #27): the resumed session keeps cancel authority over its jobs', async () => {
    const runtime = makeRuntime();
    drivenAgent(runtime);
    const a = await connect(runtime);
    const jobId = (await submitAccepted(a, 'driven')).job_id!;
    await a.close();
    await a.settle();
    const { peer: b } = await resumeOf(runtime, a, 0);
    b.send('job.cancel', { reason: 'stop' }, { job_id: jobId });
    const ack = await b.find((m) => m.type === 'job.cancelled' || m.type === 'session.error');
    expect(ack.type).toBe('job.cancelled');
    const terminal = await b.terminal(jobId);
    expect(terminal.payload.code).toBe('CANCELLED');
  });

  it('ts-sdk #141: a resume the buffer no longer covers (freed by ack, or claimed ahead) is RESUME_WINDOW_EXPIRED', async () => {
    const runtime = makeRuntime();
    const agent = drivenAgent(runtime);
    const a = await connect(runtime);
    const jobId = (await submitAccepted(a, 'driven')).job_id!;
    const job = await agent.ctxOf(jobId);
    for (let i = 0; i < 5; i++) job.ctx.log('info', `e${i}`);
    await a.find((m) => m.payload?.body?.message === 'e4');
    a.send('session.ack', { last_processed_seq: 4 });
    await a.settle();
    await a.close();
    await a.settle();
    const tooOld = await resumeOf(runtime, a, 1);
    expect(tooOld.reply.payload.code).toBe('RESUME_WINDOW_EXPIRED');
    const ahead = await resumeOf(runtime, a, 99);
    expect(ahead.reply.payload.code).toBe('RESUME_WINDOW_EXPIRED');
    const ok = await resumeOf(runtime, a, 4);
    expect(ok.reply.type).toBe('session.welcome');
    await ok.peer.find((m) => m.payload?.body?.message === 'e4');
    expect(seqs(ok.peer)).toEqual([5, 6]);
  });

  it('ts-sdk #141: a session whose buffer overflowed cannot be resumed (no partial replay)', async () => {
    const runtime = makeRuntime({ eventStore: new MemoryEventStore({ maxEventsPerSession: 4, overflow: 'end-session' }) });
    const agent = drivenAgent(runtime);
    const a = await connect(runtime);
    const jobId = (await submitAccepted(a, 'driven')).job_id!;
    const job = await agent.ctxOf(jobId);
    for (let i = 0; i < 6; i++) job.ctx.log('info', `e${i}`);
    const fatal = await a.find((m) => m.type === 'session.error');
    expect(fatal.payload.code).toBe('INTERNAL_ERROR');
    await a.closed;
    const { reply } = await resumeOf(runtime, a, 0);
    expect(reply.payload.code).toBe('RESUME_WINDOW_EXPIRED');
  });

  it.each([
    ['evict-oldest (runtime default)', { maxEventsPerSession: 4 }],
    ['end-session', { eventStore: new MemoryEventStore({ maxEventsPerSession: 4, overflow: 'end-session' }) }],
  ] as const)('ts-sdk #141 / catalog §6.3: a buffer that overflows while the client is away never yields a "successful" resume with silently missing events (%s)', async (_policy, opts) => {
    const runtime = makeRuntime(opts);
    const agent = drivenAgent(runtime);
    const a = await connect(runtime);
    const jobId = (await submitAccepted(a, 'driven')).job_id!;
    const job = await agent.ctxOf(jobId);
    job.ctx.log('info', 'e0');
    await a.find((m) => m.payload?.body?.message === 'e0');
    await a.close();
    await a.settle();
    for (let i = 1; i <= 6; i++) job.ctx.log('info', `e${i}`);
    job.finish('end');
    await a.settle();
    const { peer: b, reply } = await resumeOf(runtime, a, 2);
    if (reply.type === 'session.welcome') {
      // Acceptable only if nothing is missing: every event after 2 and the terminal arrive.
      const terminal = await b.terminal(jobId);
      expect(terminal.type).toBe('job.result');
      expect(logsOf(b, jobId)).toEqual(['e1', 'e2', 'e3', 'e4', 'e5', 'e6']);
    } else {
      expect(reply.payload.code).toBe('RESUME_WINDOW_EXPIRED');
    }
  });

  it('go-sdk #154/#155: a session killed by a buffer overflow is reclaimed with its (full) event log', async () => {
    const clock = new ManualClock();
    const store = new MemoryEventStore({ maxEventsPerSession: 4, overflow: 'end-session' });
    const runtime = makeRuntime({ clock, eventStore: store, resumeWindowSec: 10 });
    const agent = drivenAgent(runtime);
    const a = await connect(runtime);
    const jobId = (await submitAccepted(a, 'driven')).job_id!;
    const job = await agent.ctxOf(jobId);
    for (let i = 0; i < 6; i++) job.ctx.log('info', `e${i}`);
    await a.closed;
    expect(store.stats(a.sessionId!).events).toBe(4);
    await clock.advanceAsync(60_000);
    expect(runtime.sessions.get(a.sessionId!)).toBeUndefined();
    expect(store.stats(a.sessionId!).events).toBe(0);
  });

  it('ts-sdk #142: resume tokens are compared in constant time (crypto.timingSafeEqual), >= 128 bits', async () => {
    const runtime = makeRuntime();
    const a = await connect(runtime);
    expect(a.resumeToken!.length - 3).toBeGreaterThanOrEqual(32); // rt_ + hex
    await a.close();
    await a.settle();
    const spy = vi.mocked(crypto.timingSafeEqual);
    spy.mockClear();
    // Same length, differs only in the last character: refused, and compared with timingSafeEqual.
    const almost = a.resumeToken!.slice(0, -1) + (a.resumeToken!.endsWith('0') ? '1' : '0');
    const b = TestPeer.connect(runtime);
    const refused = await b.hello({ resume: { session_id: a.sessionId!, resume_token: almost, last_event_seq: 0 } });
    expect(refused.payload.code).toBe('RESUME_WINDOW_EXPIRED');
    expect(spy).toHaveBeenCalled();
  });

  it('ts-sdk #142 (same leak, bearer side): a static bearer token is compared against every configured token in constant time, no early exit', async () => {
    const runtime = makeRuntime(); // three tokens: t, t2, u
    const spy = vi.mocked(crypto.timingSafeEqual);
    spy.mockClear();
    const peer = TestPeer.connect(runtime);
    expect((await peer.hello({ token: 't' })).type).toBe('session.welcome');
    expect(spy).toHaveBeenCalledTimes(3);
  });

  it('ts-sdk #140 / rust-sdk "session.close leaves in-flight jobs running": close and legacy bye keep jobs running and resumable', async () => {
    for (const type of ['session.close', 'session.bye']) {
      const runtime = makeRuntime();
      const agent = drivenAgent(runtime);
      const a = await connect(runtime);
      const jobId = (await submitAccepted(a, 'driven')).job_id!;
      const job = await agent.ctxOf(jobId);
      a.send(type, { reason: 'done for now' });
      await a.closed;
      expect(job.ctx.signal.aborted, type).toBe(false);
      job.ctx.log('info', 'after-close');
      job.finish('ok');
      const { peer: b, reply } = await resumeOf(runtime, a, 0);
      expect(reply.type, type).toBe('session.welcome');
      const terminal = await b.terminal(jobId);
      expect(terminal.payload.final_status, type).toBe('success');
      expect(logsOf(b, jobId), type).toEqual(['after-close']);
    }
  });

  it('go-sdk #103 (runtime side): resuming from an older seq does not rewind the session counter', async () => {
    const runtime = makeRuntime();
    const agent = drivenAgent(runtime);
    const a = await connect(runtime);
    const jobId = (await submitAccepted(a, 'driven')).job_id!;
    const job = await agent.ctxOf(jobId);
    for (let i = 0; i < 4; i++) job.ctx.log('info', `e${i}`);
    await a.find((m) => m.payload?.body?.message === 'e3');
    expect(seqs(a)).toEqual([1, 2, 3, 4, 5]);
    await a.close();
    await a.settle();
    const { peer: b } = await resumeOf(runtime, a, 2);
    job.ctx.log('info', 'next');
    await b.find((m) => m.payload?.body?.message === 'next');
    expect(seqs(b)).toEqual([3, 4, 5, 6]);
  });

  it('catalog §9 #28 / §6.3 window edge: resume works inside resume_window_sec of the last activity and is RESUME_WINDOW_EXPIRED after it', async () => {
    const clock = new ManualClock();
    const runtime = makeRuntime({ clock, resumeWindowSec: 10 });
    const a = await connect(runtime);
    await a.close();
    await a.settle();
    clock.advance(9_000);
    const inside = await resumeOf(runtime, a, 0);
    expect(inside.reply.type).toBe('session.welcome');
    a.resumeToken = inside.reply.payload.resume_token;
    await inside.peer.close();
    await inside.peer.settle();
    clock.advance(10_001);
    const outside = await resumeOf(runtime, a, 0);
    expect(outside.reply.payload.code).toBe('RESUME_WINDOW_EXPIRED');
  });

  it('go-sdk #154/#155: resume entries, event logs and idempotency keys are reclaimed after their windows', async () => {
    const clock = new ManualClock();
    const store = new MemoryEventStore();
    const runtime = makeRuntime({ clock, resumeWindowSec: 10, idempotencyTtlMs: 20_000, eventStore: store });
    runtime.registerAgent('echo', (input) => input);
    const a = await connect(runtime);
    const accepted = await submitAccepted(a, 'echo', { x: 1 }, { idempotency_key: 'k1' });
    await a.terminal(accepted.job_id!);
    expect(store.stats(a.sessionId!).events).toBeGreaterThan(0);
    expect(runtime.idempotency.size).toBe(1);
    await a.close();
    await a.settle();
    await clock.advanceAsync(30_000);
    expect(runtime.sessions.get(a.sessionId!)).toBeUndefined();
    expect(store.stats(a.sessionId!).events).toBe(0);
    expect(runtime.idempotency.size).toBe(0);
  });

  it('ts-sdk #145: every sequenced envelope is persisted in the resume buffer before it is sent', async () => {
    const order: string[] = [];
    class RecordingStore extends MemoryEventStore {
      override append(sessionId: string, event: StoredEvent): void {
        super.append(sessionId, event);
        order.push(`stored:${event.seq}`);
      }
    }
    const runtime = makeRuntime({ eventStore: new RecordingStore() });
    const agent = drivenAgent(runtime);
    const [client, server] = createMemoryTransportPair();
    // Observe the runtime's own send() calls on its end of the pair.
    const spy: Transport = Object.create(server) as Transport;
    spy.send = (frame: string) => {
      const seq = (JSON.parse(frame) as { event_seq?: number }).event_seq;
      if (seq !== undefined) order.push(`sent:${seq}`);
      server.send(frame);
    };
    void runtime.accept(spy);
    const a = new TestPeer(client);
    await a.hello();
    const jobId = (await submitAccepted(a, 'driven')).job_id!;
    const d = await agent.ctxOf(jobId);
    d.ctx.log('info', 'x');
    d.finish('y');
    await a.terminal(jobId);
    const sent = order.filter((e) => e.startsWith('sent:'));
    expect(sent).toEqual(['sent:1', 'sent:2', 'sent:3']);
    for (const e of sent) expect(order.indexOf(e.replace('sent', 'stored'))).toBeLessThan(order.indexOf(e));
  });

  it('python-sdk test_subscriber_seq_coherent: a subscriber that drops and resumes gets the forwarded events it missed, in its own contiguous seq space', async () => {
    const runtime = makeRuntime();
    const agent = drivenAgent(runtime);
    const owner = await connect(runtime, 't');
    const watcher = await connect(runtime, 't2');
    const jobId = (await submitAccepted(owner, 'driven')).job_id!;
    const d = await agent.ctxOf(jobId);
    watcher.send('job.subscribe', { job_id: jobId });
    await watcher.find((m) => m.type === 'job.subscribed');
    d.ctx.log('info', 'seen');
    await watcher.find((m) => m.payload?.body?.message === 'seen');
    const seen = Math.max(...seqs(watcher));
    await watcher.close();
    await watcher.settle();
    d.ctx.log('info', 'missed');
    d.finish('end');
    await owner.terminal(jobId);
    const { peer: back, reply } = await resumeOf(runtime, watcher, seen, 't2');
    expect(reply.type).toBe('session.welcome');
    const terminal = await back.terminal(jobId);
    expect(terminal.type).toBe('job.result');
    expect(logsOf(back, jobId)).toEqual(['missed']);
    expect(seqs(back)).toEqual([seen + 1, seen + 2]);
  });
});
