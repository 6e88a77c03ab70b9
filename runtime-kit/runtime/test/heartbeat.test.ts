import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../protocol/index.js';
import { ARCPRuntime } from '../runtime.js';
import { connected, gate, makeRuntime } from './support/runtime-fixture.js';
import { TestPeer } from './support/test-peer.js';

let runtime: ARCPRuntime;
afterEach(async () => runtime?.close());

// Interval 0.05 s on a ManualClock: ticks every 25 ms; ping after 50 ms of outbound silence,
// HEARTBEAT_LOST after 100 ms without inbound frames.
function hbRuntime(clock: ManualClock): ARCPRuntime {
  return makeRuntime({ clock, heartbeatIntervalSec: 0.05 });
}

describe('heartbeats (§6.4)', () => {
  it('pings only when outbound has been idle for an interval', async () => {
    const clock = new ManualClock();
    runtime = hbRuntime(clock);
    const peer = await connected(runtime);
    clock.advance(25);
    await peer.settle();
    expect(peer.ofType('session.ping')).toEqual([]);
    clock.advance(25);
    const ping = await peer.next((m) => m.type === 'session.ping');
    expect(ping.session_id).toBe(peer.sessionId);
    expect(ping.event_seq).toBeUndefined();
    expect(ping.payload).toEqual({ nonce: expect.any(String), sent_at: expect.stringMatching(/Z$/) });
  });

  it('an idle session hears from the runtime at least once per interval, whenever its last frame went out (§6.4)', async () => {
    const clock = new ManualClock();
    runtime = hbRuntime(clock);
    const peer = await connected(runtime);
    clock.advance(10);
    // the runtime's last frame (a pong) leaves between two of a fixed tick's wake-ups
    peer.send('session.ping', { nonce: 'n1', sent_at: new Date(clock.now()).toISOString() });
    await peer.next((m) => m.type === 'session.pong');
    const outAt: number[] = [clock.monotonic()];
    let seen = peer.ofType('session.ping').length;
    // 90 ms: short of HEARTBEAT_LOST (two silent intervals from our ping at 10 ms)
    for (let t = 0; t < 90; t++) {
      clock.advance(1);
      await peer.settle();
      const pings = peer.ofType('session.ping').length;
      if (pings > seen) outAt.push(clock.monotonic());
      seen = pings;
    }
    const gaps = outAt.slice(1).map((t, i) => t - outAt[i]);
    expect(gaps.length).toBeGreaterThanOrEqual(1);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(50);
  });

  it('does not ping while it keeps sending', async () => {
    const clock = new ManualClock();
    runtime = hbRuntime(clock);
    const peer = await connected(runtime);
    for (let i = 0; i < 6; i++) {
      clock.advance(20);
      const req = peer.submit('echo', i); // traffic both ways every 20 ms
      await peer.terminal((await peer.accepted(req)).payload.job_id);
    }
    expect(peer.ofType('session.ping')).toEqual([]);
  });

  it('always answers a ping with a pong, even without the heartbeat feature', async () => {
    runtime = makeRuntime();
    const peer = await connected(runtime, { features: [] });
    peer.send('session.ping', { nonce: 'p_1', sent_at: '2026-01-01T00:00:00.000Z' });
    const pong = await peer.next((m) => m.type === 'session.pong');
    expect(pong.payload).toEqual({ ping_nonce: 'p_1', received_at: expect.stringMatching(/Z$/) });
  });

  it('declares HEARTBEAT_LOST after two silent intervals, closes the transport, and keeps jobs running', async () => {
    const clock = new ManualClock();
    runtime = hbRuntime(clock);
    const g = gate();
    runtime.registerAgent('held', async (_i, ctx) => {
      await g.promise;
      ctx.log('info', 'after loss');
      return 'ok';
    });
    const peer = await connected(runtime);
    const jobId = (await peer.accepted(peer.submit('held'))).payload.job_id;
    await peer.find((m) => m.payload?.body?.phase === 'running');
    const lastSeq = Math.max(...peer.sequenced().map((m) => m.event_seq!));
    clock.advance(75);
    await peer.settle();
    expect(peer.ofType('session.error')).toEqual([]); // 75 ms: not yet
    clock.advance(25);
    const lost = await peer.next((m) => m.type === 'session.error');
    expect(lost.payload).toMatchObject({ code: 'HEARTBEAT_LOST', retryable: true });
    await peer.closed;
    g.open();
    await new Promise((r) => setTimeout(r, 10));
    const again = TestPeer.connect(runtime);
    await again.hello({ resume: { session_id: peer.sessionId!, resume_token: peer.resumeToken!, last_event_seq: lastSeq } });
    expect((await again.terminal(jobId)).type).toBe('job.result');
    expect(again.received.some((m) => m.payload?.body?.message === 'after loss')).toBe(true);
  });

  it('counts any inbound frame as liveness', async () => {
    const clock = new ManualClock();
    runtime = hbRuntime(clock);
    const peer = await connected(runtime);
    for (let i = 0; i < 8; i++) {
      clock.advance(40);
      peer.send('session.pong', { ping_nonce: 'whatever', received_at: '2026-01-01T00:00:00.000Z' });
      await peer.settle();
    }
    expect(peer.ofType('session.error')).toEqual([]);
    expect(peer.isOpen).toBe(true);
  });
});
