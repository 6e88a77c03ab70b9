import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../protocol/index.js';
import { ARCPRuntime } from '../runtime.js';
import { connected, gate, makeRuntime } from './support/runtime-fixture.js';
import { TestPeer } from './support/test-peer.js';

let runtime: ARCPRuntime;
afterEach(async () => runtime?.close());

/** An agent that logs `n` lines each time the test opens its gate, then finishes on the last. */
function stepper(rt: ARCPRuntime) {
  const gates = [gate(), gate(), gate()];
  rt.registerAgent('stepper', async (_i, ctx) => {
    for (const [k, g] of gates.entries()) {
      await Promise.race([g.promise, new Promise((_r, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason)))]);
      ctx.log('info', `phase ${k}`);
      ctx.log('info', `phase ${k} again`);
    }
    return 'done';
  });
  return gates;
}

async function dropAfterFirstPhase(rt: ARCPRuntime, gates: ReturnType<typeof stepper>) {
  const peer = await connected(rt);
  const jobId = (await peer.accepted(peer.submit('stepper'))).payload.job_id as string;
  gates[0]!.open();
  await peer.find((m) => m.payload?.body?.message === 'phase 0 again');
  const seen = peer.sequenced().map((m) => m.event_seq!);
  await peer.close(); // transport drop, no close/bye
  await peer.settle();
  return { peer, jobId, lastSeq: Math.max(...seen), sessionId: peer.sessionId!, token: peer.resumeToken! };
}

describe('resume (§6.3)', () => {
  for (const form of ['hello.resume', 'session.resume'] as const) {
    it(`${form}: same session, fresh token, verbatim replay incl. events emitted while away, live events after, cancel authority kept`, async () => {
      runtime = makeRuntime();
      const gates = stepper(runtime);
      const first = await dropAfterFirstPhase(runtime, gates);
      gates[1]!.open(); // emits while nobody is attached
      await new Promise((r) => setTimeout(r, 20));
      const peer = TestPeer.connect(runtime);
      let welcome;
      if (form === 'hello.resume') {
        welcome = await peer.hello({ resume: { session_id: first.sessionId, resume_token: first.token, last_event_seq: first.lastSeq - 1 } });
      } else {
        peer.send('session.resume', { session_id: first.sessionId, resume_token: first.token, last_event_seq: first.lastSeq - 1 }, { session_id: first.sessionId });
        welcome = await peer.next((m) => m.type === 'session.welcome' || m.type === 'session.error');
        peer.sessionId = welcome.session_id;
      }
      expect(welcome.type).toBe('session.welcome');
      expect(welcome.session_id).toBe(first.sessionId);
      expect(welcome.payload.resume_token).toMatch(/^rt_[0-9a-f]{64}$/);
      expect(welcome.payload.resume_token).not.toBe(first.token);
      // replay: exactly seq > last_event_seq, verbatim (same ids), then phase-1 events emitted while away
      await peer.find((m) => m.payload?.body?.message === 'phase 1 again');
      const replayed = peer.sequenced();
      expect(replayed.map((m) => m.event_seq)).toEqual([first.lastSeq, first.lastSeq + 1, first.lastSeq + 2]);
      const original = first.peer.rawFrames.find((f) => JSON.parse(f).event_seq === first.lastSeq);
      expect(peer.rawFrames.find((f) => JSON.parse(f).event_seq === first.lastSeq)).toBe(original);
      // the replay came after the welcome
      expect(peer.received.indexOf(welcome)).toBeLessThan(peer.received.indexOf(replayed[0]!));
      // live events continue gap-free
      gates[2]!.open();
      await peer.find((m) => m.payload?.body?.message === 'phase 2 again');
      const all = peer.sequenced().map((m) => m.event_seq!);
      expect(all).toEqual(all.map((_, i) => first.lastSeq + i));
      // resumed session keeps cancel authority (the job is still running only if not yet done)
      const result = await peer.terminal(first.jobId);
      expect(result.type).toBe('job.result');
    });
  }

  it('keeps cancel authority across resume', async () => {
    runtime = makeRuntime();
    const gates = stepper(runtime);
    const first = await dropAfterFirstPhase(runtime, gates);
    const peer = TestPeer.connect(runtime);
    await peer.hello({ resume: { session_id: first.sessionId, resume_token: first.token, last_event_seq: first.lastSeq } });
    peer.send('job.cancel', {}, { job_id: first.jobId });
    expect((await peer.next((m) => m.type === 'job.cancelled')).job_id).toBe(first.jobId);
    expect((await peer.terminal(first.jobId)).payload).toMatchObject({ code: 'CANCELLED', final_status: 'cancelled' });
  });

  it('makes tokens single use and rejects a stale token without burning the current one', async () => {
    runtime = makeRuntime();
    const gates = stepper(runtime);
    const first = await dropAfterFirstPhase(runtime, gates);
    const second = TestPeer.connect(runtime);
    await second.hello({ resume: { session_id: first.sessionId, resume_token: first.token, last_event_seq: first.lastSeq } });
    const fresh = second.resumeToken!;
    await second.close();
    await second.settle();
    // reuse of the used token: refused, fatal before welcome
    const third = TestPeer.connect(runtime);
    const err = await third.hello({ resume: { session_id: first.sessionId, resume_token: first.token, last_event_seq: first.lastSeq } });
    expect(err.type).toBe('session.error');
    expect(err.payload.code).toBe('RESUME_WINDOW_EXPIRED');
    expect(err.session_id).toBe(first.sessionId);
    await third.closed;
    // the failed attempt did not burn the current token
    const fourth = TestPeer.connect(runtime);
    const ok = await fourth.hello({ resume: { session_id: first.sessionId, resume_token: fresh, last_event_seq: first.lastSeq } });
    expect(ok.type).toBe('session.welcome');
  });

  it('refuses a different principal, a seq ahead of the latest, and a seq older than the buffer', async () => {
    runtime = makeRuntime();
    const gates = stepper(runtime);
    const first = await dropAfterFirstPhase(runtime, gates);
    const attempt = async (token: string, seq: number) => {
      const p = TestPeer.connect(runtime);
      const reply = await p.hello({ token, resume: { session_id: first.sessionId, resume_token: first.token, last_event_seq: seq } });
      return reply;
    };
    expect((await attempt('u', first.lastSeq)).payload.code).toBe('RESUME_WINDOW_EXPIRED'); // bob
    expect((await attempt('t', first.lastSeq + 1)).payload.code).toBe('RESUME_WINDOW_EXPIRED'); // ahead
    // free events through an ack on a resumed session, then ask for an older seq
    const p = TestPeer.connect(runtime);
    const w = await p.hello({ token: 't2', resume: { session_id: first.sessionId, resume_token: first.token, last_event_seq: first.lastSeq } });
    expect(w.type).toBe('session.welcome'); // same principal via another token is fine
    p.send('session.ack', { last_processed_seq: first.lastSeq });
    await p.settle();
    await p.close();
    await p.settle();
    const old = TestPeer.connect(runtime);
    const reply = await old.hello({ resume: { session_id: first.sessionId, resume_token: p.resumeToken!, last_event_seq: 1 } });
    expect(reply.payload.code).toBe('RESUME_WINDOW_EXPIRED');
    expect(reply.payload.details).toMatchObject({ last_event_seq: 1 });
  });

  it('expires the session after resume_window_sec of inactivity, measured from the last activity', async () => {
    const clock = new ManualClock();
    runtime = makeRuntime({ clock, resumeWindowSec: 60 });
    const gates = stepper(runtime);
    const first = await dropAfterFirstPhase(runtime, gates);
    clock.advance(59_000);
    const within = TestPeer.connect(runtime);
    expect((await within.hello({ resume: { session_id: first.sessionId, resume_token: first.token, last_event_seq: first.lastSeq } })).type).toBe('session.welcome');
    await within.close();
    await within.settle();
    clock.advance(61_000);
    const late = TestPeer.connect(runtime);
    const reply = await late.hello({ resume: { session_id: first.sessionId, resume_token: within.resumeToken!, last_event_seq: first.lastSeq } });
    expect(reply.payload.code).toBe('RESUME_WINDOW_EXPIRED');
  });

  it('session.resume after a hello moves the transport to the old session', async () => {
    runtime = makeRuntime();
    const gates = stepper(runtime);
    const first = await dropAfterFirstPhase(runtime, gates);
    const peer = await connected(runtime);
    const newSession = peer.sessionId!;
    peer.send('session.resume', { resume_token: first.token, last_event_seq: first.lastSeq }, { session_id: first.sessionId });
    const welcome = await peer.next((m) => m.type === 'session.welcome');
    expect(welcome.session_id).toBe(first.sessionId);
    expect(welcome.session_id).not.toBe(newSession);
    peer.sessionId = first.sessionId;
    gates[1]!.open();
    await peer.find((m) => m.payload?.body?.message === 'phase 1' && m.session_id === first.sessionId);
  });

  it('a failed session.resume after a hello is an authentication failure: error on the current session, then close (4401); the session stays resumable', async () => {
    runtime = makeRuntime();
    const peer = await connected(runtime);
    const req = peer.send('session.resume', { resume_token: 'rt_nope', last_event_seq: 0 }, { session_id: 'sess_unknown' });
    const err = await peer.next((m) => m.type === 'session.error');
    expect(err.payload).toMatchObject({ code: 'RESUME_WINDOW_EXPIRED', request_id: req });
    expect(err.session_id).toBe(peer.sessionId);
    expect((await peer.closed).code).toBe(4401);
    const back = TestPeer.connect(runtime);
    expect((await back.hello({ resume: { session_id: peer.sessionId!, resume_token: peer.resumeToken!, last_event_seq: 0 } })).type).toBe('session.welcome');
  });

  it('a resume while the old transport is still open (half-open) moves the session to the new transport', async () => {
    runtime = makeRuntime();
    const gates = stepper(runtime);
    const old = await connected(runtime);
    const jobId = (await old.accepted(old.submit('stepper'))).payload.job_id;
    await old.find((m) => m.payload?.body?.phase === 'running');
    const fresh = TestPeer.connect(runtime);
    const welcome = await fresh.hello({ resume: { session_id: old.sessionId!, resume_token: old.resumeToken!, last_event_seq: 1 } });
    expect(welcome.session_id).toBe(old.sessionId);
    await old.closed; // the runtime closed the stale transport
    gates[0]!.open();
    await fresh.find((m) => m.payload?.body?.message === 'phase 0');
    expect(old.received.some((m) => m.payload?.body?.message === 'phase 0')).toBe(false);
    gates[1]!.open();
    gates[2]!.open();
    expect((await fresh.terminal(jobId)).type).toBe('job.result');
  });
});
