// Issue 13: a reader that stops reading must not grow the runtime's memory without bound
// (before: 10M events to such a client -> 4.6 GB heap -> "JavaScript heap out of memory").
// The runtime closes its transport past maxOutboundBufferedBytes; the session stays resumable
// and nothing is lost: a resume from 0 replays every event.
import { afterEach, expect, it } from 'vitest';
import { closeAll, RawWs } from './support/raw-ws.js';
import { startTarget, type Target } from './support/target.js';

let target: Target | undefined;
const peers: RawWs[] = [];
afterEach(async () => {
  await closeAll(peers);
  await target?.close();
  target = undefined;
});

it('a non-reading client is cut off past maxOutboundBufferedBytes (4508); a resume from 0 gets every event', async () => {
  const COUNT = 12_000;
  target = await startTarget({
    limits: { maxOutboundBufferedBytes: 1024 * 1024, outboundHighWaterBytes: 512 * 1024 },
    maxEventsPerSession: COUNT + 100,
    maxBytesPerSession: 256 * 1024 * 1024,
  });
  const slow = await RawWs.open(target.url);
  peers.push(slow);
  const w = await slow.welcome('t-alice');
  const sessionId = w.payload.session_id as string;
  slow.stopReading();
  slow.send('job.submit', { agent: 'attack.flood', input: { count: COUNT, size: 1000, batch: 200 } }, { session_id: sessionId });
  const session = target.runtime.sessions.get(sessionId)!;
  const deadline = Date.now() + 20_000;
  while (session.isAttached && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  expect(session.isAttached).toBe(false);
  expect(target.logs.some((l) => l.message === 'closing a connection whose reader fell behind')).toBe(true);
  slow.terminate();

  // Wait for the job to finish (buffered while away), then resume and count.
  while (!target.runtime.jobs.values().next().value?.isTerminal && Date.now() < deadline + 20_000) await new Promise((r) => setTimeout(r, 20));
  const back = await RawWs.open(target.url);
  peers.push(back);
  back.hello('t-alice', { resume: { session_id: sessionId, resume_token: w.payload.resume_token, last_event_seq: 0 } });
  await back.find((f) => f.type === 'job.result', 30_000);
  const logs = back.received.filter((f) => f.type === 'job.event' && f.payload?.kind === 'log');
  expect(logs).toHaveLength(COUNT);
  const seqs = back.received.filter((f) => typeof f.event_seq === 'number').map((f) => f.event_seq!);
  expect(seqs).toEqual(seqs.map((_, i) => seqs[0]! + i)); // gap-free
}, 90_000);
