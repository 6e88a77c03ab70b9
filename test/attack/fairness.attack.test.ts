// Issue 13 fairness: jobs streaming as fast as they can must not starve other work on the event
// loop (before: 50 sessions x 20k events stalled it 8.8 s; pings waited). Agents that await
// their emits yield once a turn's `maxFramesPerTick` budget is spent, so a ping sent while
// they stream is answered before they finish. Ordering, not timing: the latency figure (p99)
// is bench/attack.bench.ts's job.
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

it('a ping from another client is answered while 10 sessions stream 5,000 awaited events each', async () => {
  target = await startTarget({ maxEventsPerSession: 20_000 });
  const streams: RawWs[] = [];
  for (let i = 0; i < 10; i++) {
    const p = await RawWs.open(target.url);
    peers.push(p);
    await p.welcome('t-alice');
    streams.push(p);
  }
  const pinger = await RawWs.open(target.url);
  peers.push(pinger);
  const pw = await pinger.welcome('t-bob');
  for (const p of streams) {
    const sid = p.received[0]!.payload.session_id as string;
    p.send('job.submit', { agent: 'attack.await-stream', input: { count: 5000 } }, { session_id: sid });
  }
  // Every stream has started before the ping goes out.
  await Promise.all(streams.map((p) => p.find((f) => f.type === 'job.event' && f.payload?.kind === 'log', 30_000)));
  pinger.send('session.ping', { nonce: 'n1', sent_at: new Date().toISOString() }, { session_id: pw.payload.session_id });
  await pinger.find((f) => f.type === 'session.pong', 30_000);
  const finishedBeforePong = streams.filter((p) => p.received.some((f) => f.type === 'job.result')).length;
  expect(finishedBeforePong).toBe(0);
  // And nothing was lost: every stream ends with all its events, gap-free.
  for (const p of streams) {
    await p.find((f) => f.type === 'job.result', 60_000);
    const seqs = p.received.filter((f) => typeof f.event_seq === 'number').map((f) => f.event_seq!);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    expect(p.received.filter((f) => f.payload?.kind === 'log')).toHaveLength(5000);
  }
}, 120_000);
