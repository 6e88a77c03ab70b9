// Issue 13 fairness, agents that never await: a sync loop of `ctx.log(...)` used to do all the
// work of every emit (seq, envelope, encoding, resume buffer, socket write) in one uninterrupted
// turn, so nothing else ran until the loop was over and every frame was out. Now each emit past
// the turn's budget is recorded cheaply and written later, `maxFramesPerTick` frames a turn
// (runtime-kit/runtime/limits/emit-outbox.ts). Ordering, not timing: a ping sent once the
// bursts have started is answered before any burst's last frame goes out; nothing is lost; an
// agent that outruns the pending-output cap gets a typed error instead of growing memory.
import { expect, it } from 'vitest';
import { RawWs, type Frame } from './support/raw-ws.js';
import { startTarget } from './support/target.js';
import { targetPerTest } from './support/target-per-test.js';

const slot = targetPerTest();

async function session(url: string, token: string): Promise<{ peer: RawWs; sid: string }> {
  const peer = await RawWs.open(url);
  slot.peers.push(peer);
  const w = await peer.welcome(token);
  return { peer, sid: w.payload.session_id as string };
}

/** `attack.flood` with batch > count: the agent never awaits and never yields. */
function submitSyncFlood(s: { peer: RawWs; sid: string }, count: number, size = 50): void {
  s.peer.send('job.submit', { agent: 'attack.flood', input: { count, size, batch: count + 1 } }, { session_id: s.sid });
}

function seqs(frames: Frame[]): number[] {
  return frames.filter((f) => typeof f.event_seq === 'number').map((f) => f.event_seq!);
}

it('a ping is answered before the last frame of 4 agents emitting 10,000 events each without awaiting; nothing lost', async () => {
  const target = (slot.target = await startTarget({ maxEventsPerSession: 20_000 }));
  const streams = [];
  for (let i = 0; i < 4; i++) streams.push(await session(target.url, 't-alice'));
  const pinger = await session(target.url, 't-bob');
  for (const s of streams) submitSyncFlood(s, 10_000);
  // Every burst has started (its first log is here) before the ping goes out.
  await Promise.all(streams.map((s) => s.peer.find((f) => f.type === 'job.event' && f.payload?.kind === 'log', 30_000)));
  pinger.peer.send('session.ping', { nonce: 'mid-burst', sent_at: new Date().toISOString() }, { session_id: pinger.sid });
  await pinger.peer.find((f) => f.type === 'session.pong' && f.payload?.ping_nonce === 'mid-burst', 30_000);
  // Before: each agent's loop wrote all its frames, job.result last, in the turn it ran.
  const endedBeforePong = streams.filter((s) => s.peer.received.some((f) => f.type === 'job.result' || f.type === 'job.error')).length;
  expect(endedBeforePong).toBe(0);
  for (const s of streams) {
    const end = await s.peer.find((f) => f.type === 'job.result' || f.type === 'job.error', 120_000);
    expect(end.type).toBe('job.result');
    const got = seqs(s.peer.received);
    expect(got).toEqual(got.map((_, i) => i + 1)); // gap-free, in order
    const logs = s.peer.received.filter((f) => f.payload?.kind === 'log');
    expect(logs.map((f) => f.payload.body.attributes.i)).toEqual(Array.from({ length: 10_000 }, (_, i) => i));
    expect(s.peer.received.at(-1)!.type).toBe('job.result'); // the terminal after every event
  }
}, 180_000);

it('an agent that never awaits past maxPendingEmitBytesPerSession gets a typed INTERNAL_ERROR; what it was told was accepted all arrives', async () => {
  const cap = 64 * 1024;
  const target = (slot.target = await startTarget({ maxEventsPerSession: 20_000, limits: { maxPendingEmitBytesPerSession: cap } }));
  const s = await session(target.url, 't-alice');
  submitSyncFlood(s, 10_000, 100); // ~1.7 MB of JSON if it were all kept
  const end = await s.peer.find((f) => f.type === 'job.result' || f.type === 'job.error', 60_000);
  expect(end.type).toBe('job.error');
  expect(end.payload.code).toBe('INTERNAL_ERROR');
  expect(end.payload.retryable).toBe(true);
  expect(end.payload.details).toMatchObject({ reason: 'limit_exceeded', limit: 'maxPendingEmitBytesPerSession', max: cap });
  const logs = s.peer.received.filter((f) => f.payload?.kind === 'log');
  // Every emit before the refused one arrives, in order; the refused one and later never existed.
  expect(logs.length).toBeGreaterThan(256);
  expect(logs.length).toBeLessThan(10_000);
  expect(logs.map((f) => f.payload.body.attributes.i)).toEqual(Array.from({ length: logs.length }, (_, i) => i));
  const got = seqs(s.peer.received);
  expect(got).toEqual(got.map((_, i) => i + 1));
  expect(target.runtime.runner.outbox.pendingChars).toBe(0);
  // The runtime is fine: the same session runs another job.
  const ping = s.peer.send('session.ping', { nonce: 'after', sent_at: new Date().toISOString() }, { session_id: s.sid });
  expect(ping).toBeTruthy();
  await s.peer.find((f) => f.type === 'session.pong' && f.payload?.ping_nonce === 'after', 10_000);
}, 120_000);
