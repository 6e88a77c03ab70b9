import { afterEach, describe, expect, it } from 'vitest';
import { registerConformanceAgents } from '../../agents/conformance.js';
import { EventStoreFullError } from '../event-store.js';
import { MemoryEventStore } from '../memory-event-store.js';
import { ARCPRuntime } from '../runtime.js';
import { connected, gate, makeRuntime } from './support/runtime-fixture.js';
import { TestPeer } from './support/test-peer.js';

let runtime: ARCPRuntime;
afterEach(async () => runtime?.close());

const frame = (seq: number, size = 10) => ({ seq, type: 'job.event', jobId: 'job_1', frame: 'x'.repeat(size) });

describe('MemoryEventStore', () => {
  it('reads after a seq, frees on ack (clamped to the latest) and reports stats', () => {
    const store = new MemoryEventStore();
    for (let s = 1; s <= 5; s++) store.append('s', frame(s));
    expect(store.readAfter('s', 2).map((e) => e.seq)).toEqual([3, 4, 5]);
    store.ack('s', 3);
    expect(store.stats('s')).toEqual({ events: 2, bytes: 20, lastSeq: 5, freedThrough: 3, ackedThrough: 3 });
    expect(store.readAfter('s', 0).map((e) => e.seq)).toEqual([4, 5]);
    store.ack('s', 99);
    expect(store.stats('s')).toMatchObject({ events: 0, freedThrough: 5, ackedThrough: 5 });
  });

  it('evict-oldest frees acked events first, then the oldest unacked ones, and reports how many unacked went', () => {
    const store = new MemoryEventStore({ maxEventsPerSession: 4, maxBytesPerSession: 1000, overflow: 'evict-oldest' });
    for (let s = 1; s <= 4; s++) expect(store.append('s', frame(s))).toBe(0);
    store.ack('s', 1); // frees seq 1 at once
    expect(store.append('s', frame(5))).toBe(0); // room made by the ack
    expect(store.append('s', frame(6))).toBe(1); // 2 (unacked) evicted
    expect(store.stats('s')).toEqual({ events: 4, bytes: 40, lastSeq: 6, freedThrough: 2, ackedThrough: 1 });
    expect(store.readAfter('s', 0).map((e) => e.seq)).toEqual([3, 4, 5, 6]);
    // Byte cap: with 40 of 45 bytes held, a 35-byte frame needs three 10-byte frames gone.
    const bytes = new MemoryEventStore({ maxEventsPerSession: 100, maxBytesPerSession: 45, overflow: 'evict-oldest' });
    for (let s = 1; s <= 4; s++) bytes.append('s', frame(s));
    expect(bytes.append('s', frame(5, 35))).toBe(3);
    expect(bytes.readAfter('s', 0).map((e) => e.seq)).toEqual([4, 5]);
    expect(bytes.stats('s')).toMatchObject({ freedThrough: 3, bytes: 45 });
    // A single frame larger than the whole byte cap still cannot be held.
    const tiny = new MemoryEventStore({ maxBytesPerSession: 25, overflow: 'evict-oldest' });
    tiny.append('s', frame(1));
    expect(() => tiny.append('s', frame(2, 26))).toThrow(EventStoreFullError);
  });

  it('a directly built store keeps its end-session contract by default', () => {
    expect(new MemoryEventStore().overflow).toBe('end-session');
  });

  it('throws a typed EventStoreFullError past the event or byte cap', () => {
    const store = new MemoryEventStore({ maxEventsPerSession: 3, maxBytesPerSession: 1000 });
    for (let s = 1; s <= 3; s++) store.append('s', frame(s));
    expect(() => store.append('s', frame(4))).toThrow(EventStoreFullError);
    try {
      store.append('s', frame(4));
    } catch (err) {
      expect(err).toMatchObject({ code: 'ARCP_KIT_EVENT_STORE_FULL', limit: 'events', cap: 3 });
    }
    const bytes = new MemoryEventStore({ maxEventsPerSession: 100, maxBytesPerSession: 25 });
    bytes.append('s', frame(1));
    bytes.append('s', frame(2));
    expect(() => bytes.append('s', frame(3))).toThrow(/bytes/);
  });
});

describe('session.ack and back-pressure (§6.5)', () => {
  it('frees acknowledged events: resume below the ack is refused, at the ack it works', async () => {
    runtime = registerConformanceAgents(makeRuntime());
    const peer = await connected(runtime);
    const jobId = (await peer.accepted(peer.submit('conformance.chatty', { n: 10 }))).payload.job_id;
    await peer.terminal(jobId);
    peer.send('session.ack', { last_processed_seq: 8 });
    await peer.settle();
    expect(runtime.store.stats(peer.sessionId!)).toMatchObject({ ackedThrough: 8, events: 4 });
    await peer.close();
    await peer.settle();
    const below = TestPeer.connect(runtime);
    expect((await below.hello({ resume: { session_id: peer.sessionId!, resume_token: peer.resumeToken!, last_event_seq: 5 } })).payload.code).toBe(
      'RESUME_WINDOW_EXPIRED',
    );
    const at = TestPeer.connect(runtime);
    expect((await at.hello({ resume: { session_id: peer.sessionId!, resume_token: peer.resumeToken!, last_event_seq: 8 } })).type).toBe('session.welcome');
    await at.find((m) => m.event_seq === 12);
    expect(at.sequenced().map((m) => m.event_seq)).toEqual([9, 10, 11, 12]);
  });

  it('ignores session.ack when ack was not negotiated', async () => {
    runtime = registerConformanceAgents(makeRuntime());
    const peer = await connected(runtime, { features: ['progress'] });
    const jobId = (await peer.accepted(peer.submit('conformance.chatty', { n: 3 }))).payload.job_id;
    await peer.terminal(jobId);
    peer.send('session.ack', { last_processed_seq: 3 });
    peer.submit('echo');
    await peer.next((m) => m.type === 'job.accepted' && m.payload.job_id !== jobId);
    expect(peer.ofType('session.error')).toEqual([]);
    expect(runtime.store.stats(peer.sessionId!).ackedThrough).toBe(0);
  });

  it('emits one status back_pressure when lag exceeds the threshold, re-armed at threshold/2', async () => {
    runtime = makeRuntime({ backPressureThreshold: 10 });
    const g = [gate(), gate()];
    runtime.registerAgent('burst', async (_i, ctx) => {
      for (const step of g) {
        await step.promise;
        for (let i = 0; i < 15; i++) ctx.log('info', `line ${i}`);
      }
      return 'ok';
    });
    const peer = await connected(runtime);
    const jobId = (await peer.accepted(peer.submit('burst'))).payload.job_id;
    g[0]!.open();
    await peer.find((m) => m.payload?.body?.message === 'line 14');
    const bp = () => peer.ofType('job.event').filter((m) => m.payload.body.phase === 'back_pressure');
    expect(bp()).toHaveLength(1);
    expect(bp()[0]!.job_id).toBe(jobId);
    expect(bp()[0]!.payload.body.message).toMatch(/lag 11/);
    const latest = Math.max(...peer.sequenced().map((m) => m.event_seq!));
    peer.send('session.ack', { last_processed_seq: latest });
    await peer.settle();
    g[1]!.open();
    await peer.terminal(jobId);
    expect(bp()).toHaveLength(2); // re-armed after the ack brought the lag to 0
    const seqs = peer.sequenced().map((m) => m.event_seq);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1)); // back_pressure consumes seqs like any event
  });

  it('overflow end-session: ends the session with INTERNAL_ERROR (retryable, do-not-retry details) when the buffer is full, jobs keep running', async () => {
    runtime = registerConformanceAgents(makeRuntime({ maxEventsPerSession: 20, overflow: 'end-session' }));
    let finished = false;
    runtime.registerAgent('noisy', (_i, ctx) => {
      for (let i = 0; i < 40; i++) ctx.log('info', `n ${i}`);
      finished = true;
      return 'done';
    });
    const peer = await connected(runtime);
    peer.submit('noisy');
    const err = await peer.next((m) => m.type === 'session.error');
    expect(err.payload).toMatchObject({ code: 'INTERNAL_ERROR', retryable: true, details: { reason: 'event_store_full', do_not_retry: true, cap: 20 } });
    await peer.closed;
    await peer.settle();
    expect(finished).toBe(true);
    const seqs = peer.sequenced().map((m) => m.event_seq);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1)); // no gap was sent before the error
    const again = TestPeer.connect(runtime);
    const reply = await again.hello({ resume: { session_id: peer.sessionId!, resume_token: peer.resumeToken!, last_event_seq: 0 } });
    expect(reply.payload.code).toBe('RESUME_WINDOW_EXPIRED');
  });

  it('overflow evict-oldest (default): a flood past the cap keeps the session, warns once, says back_pressure, and resume below the evicted range is refused', async () => {
    const warnings: unknown[][] = [];
    runtime = makeRuntime({ maxEventsPerSession: 20, backPressureThreshold: 1000, logger: (level, ...rest) => level === 'warn' && warnings.push(rest) });
    runtime.registerAgent('noisy', (_i, ctx) => {
      for (let i = 0; i < 40; i++) ctx.log('info', `n ${i}`);
      return 'done';
    });
    const peer = await connected(runtime);
    const jobId = (await peer.accepted(peer.submit('noisy'))).payload.job_id;
    const terminal = await peer.terminal(jobId);
    expect(terminal.type).toBe('job.result');
    expect(peer.ofType('session.error')).toEqual([]);
    // Every event reached the live client, in order, with no gap (eviction only limits resume).
    const seqs = peer.sequenced().map((m) => m.event_seq);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    expect(peer.ofType('job.event').filter((m) => m.payload.kind === 'log')).toHaveLength(40);
    const notices = peer.ofType('job.event').filter((m) => m.payload.body?.details?.reason === 'resume_buffer_evicted');
    expect(notices).toHaveLength(1);
    expect(notices[0]!.payload.body).toMatchObject({ phase: 'back_pressure', details: { evicted: 1 } });
    expect(warnings).toHaveLength(1);
    const stats = runtime.store.stats(peer.sessionId!);
    expect(stats.events).toBe(20);
    const lastSeq = seqs.at(-1)!;
    expect(stats.freedThrough).toBe(lastSeq - 20);
    await peer.close();
    await peer.settle();
    // Resume from an evicted position: RESUME_WINDOW_EXPIRED (§6.3); from the kept range: verbatim replay.
    const below = TestPeer.connect(runtime);
    const refused = await below.hello({ resume: { session_id: peer.sessionId!, resume_token: peer.resumeToken!, last_event_seq: stats.freedThrough - 1 } });
    expect(refused.payload.code).toBe('RESUME_WINDOW_EXPIRED');
    const at = TestPeer.connect(runtime);
    const welcome = await at.hello({ resume: { session_id: peer.sessionId!, resume_token: peer.resumeToken!, last_event_seq: stats.freedThrough } });
    expect(welcome.type).toBe('session.welcome');
    await at.find((m) => m.event_seq === lastSeq);
    expect(at.sequenced().map((m) => m.event_seq)).toEqual(seqs.slice(stats.freedThrough));
  });

  it('overflow evict-oldest: an eviction caused by a job terminal never puts a notice after that terminal', async () => {
    const warnings: unknown[] = [];
    runtime = makeRuntime({ maxEventsPerSession: 5, logger: (level, message) => level === 'warn' && warnings.push(message) });
    runtime.registerAgent('four', (_i, ctx) => {
      for (let i = 0; i < 4; i++) ctx.log('info', `f ${i}`);
      return 'ok'; // status running + 4 logs fill the buffer: the terminal evicts
    });
    const peer = await connected(runtime);
    const jobId = (await peer.accepted(peer.submit('four'))).payload.job_id;
    await peer.terminal(jobId);
    peer.submit('echo');
    await peer.next((m) => m.type === 'job.accepted' && m.payload.job_id !== jobId);
    await peer.settle();
    expect(warnings).toHaveLength(1);
    const ofJob = peer.sequenced().filter((m) => m.job_id === jobId);
    expect(ofJob.at(-1)!.type).toBe('job.result');
  });

  it('overflow evict-oldest re-arms its notice once acks pass everything evicted', async () => {
    runtime = makeRuntime({ maxEventsPerSession: 10 });
    const g = [gate(), gate()];
    runtime.registerAgent('burst', async (_i, ctx) => {
      for (const step of g) {
        await step.promise;
        for (let i = 0; i < 15; i++) ctx.log('info', `line ${i}`);
      }
      return 'ok';
    });
    const peer = await connected(runtime);
    const jobId = (await peer.accepted(peer.submit('burst'))).payload.job_id;
    const evictionNotices = () => peer.ofType('job.event').filter((m) => m.payload.body?.details?.reason === 'resume_buffer_evicted');
    g[0]!.open();
    await peer.find((m) => m.payload?.body?.message === 'line 14');
    expect(evictionNotices()).toHaveLength(1);
    peer.send('session.ack', { last_processed_seq: Math.max(...peer.sequenced().map((m) => m.event_seq!)) });
    await peer.settle();
    g[1]!.open();
    await peer.terminal(jobId);
    expect(evictionNotices()).toHaveLength(2);
  });

  it('keeps a session with acked events under the cap going', async () => {
    runtime = registerConformanceAgents(makeRuntime({ maxEventsPerSession: 20 }));
    const peer = await connected(runtime);
    for (let round = 0; round < 4; round++) {
      const jobId = (await peer.accepted(peer.submit('conformance.chatty', { n: 8 }))).payload.job_id;
      await peer.terminal(jobId);
      peer.send('session.ack', { last_processed_seq: Math.max(...peer.sequenced().map((m) => m.event_seq!)) });
    }
    expect(peer.ofType('session.error')).toEqual([]);
    expect(peer.sequenced()).toHaveLength(4 * 10);
  });
});
