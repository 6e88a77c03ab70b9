// Issue 13, amplification: one job.subscribe {history: true} of ~120 bytes makes the runtime
// re-stamp a job's whole recorded history (up to 10,000 events / 16 MiB) into the subscriber's
// session. It used to do that in the handler's turn (10,000 events: 120 ms of CPU; a ping of
// another principal waited 89 ms; ten such subscribes in one read held the loop 340 ms and
// closed a promptly reading client 4508). The replay is now written at the loop's fair share
// (maxFramesPerTick) and a session has at most maxHistoryReplaysPerSession being written.
import { expect, it } from 'vitest';
import { RawWs, type Frame } from './support/raw-ws.js';
import { startTarget } from './support/target.js';
import { targetPerTest } from './support/target-per-test.js';

const slot = targetPerTest();

/** A finished job of alice's with `n` log events in its history, and a second alice session to watch it. */
async function finishedJobAndWatcher(n: number, limits: Record<string, number>) {
  const target = (slot.target = await startTarget({ limits }));
  const owner = await RawWs.open(target.url);
  const watcher = await RawWs.open(target.url);
  slot.peers.push(owner, watcher);
  const ow = await owner.welcome('t-alice');
  owner.send('job.submit', { agent: 'conformance.chatty', input: { n } }, { session_id: ow.session_id });
  const result = await owner.find((f) => f.type === 'job.result', 30_000);
  const ww = await watcher.welcome('t-alice');
  return { jobId: result.job_id as string, watcher, sessionId: ww.session_id as string };
}

const replayedResults = (peer: RawWs): Frame[] => peer.received.filter((f) => f.type === 'job.result');

it('a history replay does not hold the loop: a ping sent right behind the subscribe is answered before the replay ends', async () => {
  const { jobId, watcher, sessionId } = await finishedJobAndWatcher(1000, { maxFramesPerTick: 16 });
  watcher.send('job.subscribe', { job_id: jobId, history: true }, { session_id: sessionId });
  watcher.send('session.ping', { nonce: 'behind-the-subscribe', sent_at: new Date().toISOString() }, { session_id: sessionId });
  await watcher.find((f) => f.type === 'job.result', 30_000);
  const pong = watcher.received.findIndex((f) => f.type === 'session.pong' && f.payload?.ping_nonce === 'behind-the-subscribe');
  const end = watcher.received.findIndex((f) => f.type === 'job.result');
  expect(pong).toBeGreaterThan(-1);
  // Before: all 1,001 replayed frames were written in the subscribe's turn, the pong after them.
  expect(pong).toBeLessThan(end);
  const replayed = watcher.received.filter((f) => f.type === 'job.event' && f.payload?.kind === 'log');
  expect(replayed).toHaveLength(1000);
  const seqs = watcher.received.filter((f) => typeof f.event_seq === 'number').map((f) => f.event_seq!);
  expect(seqs).toEqual(seqs.map((_, i) => seqs[0]! + i)); // gap-free in the watcher's seq space
}, 60_000);

it('a burst of history subscribes runs at most maxHistoryReplaysPerSession replays; the rest get a typed, retryable refusal', async () => {
  const { jobId, watcher, sessionId } = await finishedJobAndWatcher(1000, { maxFramesPerTick: 16, maxHistoryReplaysPerSession: 2 });
  const ids = Array.from({ length: 10 }, () => watcher.send('job.subscribe', { job_id: jobId, history: true }, { session_id: sessionId }));
  const answered = (f: Frame): boolean => ids.includes(f.payload?.request_id);
  await watcher.find(() => watcher.received.filter((f) => (f.type === 'session.error' && answered(f)) || f.type === 'job.result').length >= 10, 30_000);
  const refusals = watcher.received.filter((f) => f.type === 'session.error' && answered(f));
  expect(refusals.length).toBeGreaterThan(0);
  for (const r of refusals) {
    expect(r.payload).toMatchObject({ code: 'PERMISSION_DENIED', retryable: true, details: { reason: 'limit_exceeded', limit: 'maxHistoryReplaysPerSession', max: 2 } });
  }
  const subscribed = watcher.received.filter((f) => f.type === 'job.subscribed').length;
  expect(subscribed).toBe(10 - refusals.length);
  expect(replayedResults(watcher)).toHaveLength(subscribed);
  expect(watcher.open).toBe(true);
}, 60_000);

it('live events of a running job wait behind its history replay: the watcher sees the job in order, each event once', async () => {
  const target = (slot.target = await startTarget({ limits: { maxFramesPerTick: 16 } }));
  const owner = await RawWs.open(target.url);
  const watcher = await RawWs.open(target.url);
  slot.peers.push(owner, watcher);
  const ow = await owner.welcome('t-alice');
  const ww = await watcher.welcome('t-alice');
  const COUNT = 3000;
  owner.send('job.submit', { agent: 'attack.flood', input: { count: COUNT, size: 10, batch: 50, pause_ms: 1 } }, { session_id: ow.session_id });
  const some = await owner.find((f) => f.type === 'job.event' && f.payload?.kind === 'log' && f.payload?.body?.attributes?.i === 500, 30_000);
  watcher.send('job.subscribe', { job_id: some.job_id, history: true }, { session_id: ww.session_id });
  await watcher.find((f) => f.type === 'job.result', 30_000);
  const order = watcher.received.filter((f) => f.type === 'job.event' && f.payload?.kind === 'log').map((f) => f.payload.body.attributes.i as number);
  expect(order).toEqual(Array.from({ length: COUNT }, (_, i) => i));
}, 60_000);

it('job.unsubscribe stops a history replay still being written: nothing more of the job reaches the watcher', async () => {
  const { jobId, watcher, sessionId } = await finishedJobAndWatcher(1000, { maxFramesPerTick: 16 });
  watcher.send('job.subscribe', { job_id: jobId, history: true }, { session_id: sessionId });
  watcher.send('job.unsubscribe', { job_id: jobId }, { session_id: sessionId });
  // Before: the replay went on to the job's end, 1,000 events and the job.result (about 63 turns at 16 a turn).
  const replayedEnd = await watcher.find((f) => f.type === 'job.result', 3000).then(() => 'replayed to the end', () => 'stopped');
  expect(replayedEnd).toBe('stopped');
  const replayed = watcher.received.filter((f) => f.type === 'job.event' && f.job_id === jobId).length;
  expect(replayed).toBeLessThan(1000);
  // The session goes on: another subscribe with history replays the whole history again.
  watcher.send('job.subscribe', { job_id: jobId, history: true }, { session_id: sessionId });
  await watcher.find((f) => f.type === 'job.result', 30_000);
  expect(watcher.open).toBe(true);
}, 60_000);
