// Issue 13: the outbound backlog must be bounded across connections, not only per connection
// (before: each connection could buffer maxOutboundBufferedBytes, so 4096 slow readers could
// hold 4096 x 16 MiB). With maxOutboundBufferedBytesTotal, when the sum passes the budget the
// connection holding the most is closed like a stalled reader (4508, session.error naming the
// limit); its session stays resumable and a resume from 0 replays every event.
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

const MiB = 1024 * 1024;

/** Unflushed bytes of every attached session's transport, as the transports report them. */
function outboundBytes(t: Target): number {
  let sum = 0;
  for (const s of t.runtime.sessions.values()) sum += s.connection?.transport.bufferedAmount ?? 0;
  return sum;
}

it('slow readers together never hold more than maxOutboundBufferedBytesTotal; the largest is cut off (4508) and resumes with nothing lost', async () => {
  const READERS = 6;
  const COUNT = 8000;
  const BUDGET = 3 * MiB;
  target = await startTarget({
    // Each reader alone may hold 4 MiB: only the global budget can keep the sum under 3 MiB.
    limits: { maxOutboundBufferedBytes: 4 * MiB, outboundHighWaterBytes: 2 * MiB, maxOutboundBufferedBytesTotal: BUDGET, maxRetainedEventBytesPerPrincipal: 256 * MiB },
    maxEventsPerSession: COUNT + 100,
    maxBytesPerSession: 256 * MiB,
  });
  const t = target;
  const slow: Array<{ peer: RawWs; sessionId: string; token: string }> = [];
  for (let i = 0; i < READERS; i++) {
    const peer = await RawWs.open(t.url);
    peers.push(peer);
    const w = await peer.welcome('t-alice');
    peer.stopReading();
    slow.push({ peer, sessionId: w.payload.session_id as string, token: w.payload.resume_token as string });
  }
  for (const s of slow) s.peer.send('job.submit', { agent: 'attack.flood', input: { count: COUNT, size: 1000, batch: 200 } }, { session_id: s.sessionId });

  // Sample the sum until every job has ended (their output goes to the resume buffers once cut off).
  let peak = 0;
  const deadline = Date.now() + 60_000;
  const jobsDone = (): boolean => {
    const jobs = [...t.runtime.jobs.values()];
    // a terminal job's output may still be queued in the emit outbox (limits/emit-outbox.ts): done once written
    return jobs.length === READERS && jobs.every((j) => j.isTerminal) && t.runtime.runner.outbox.pendingEmits === 0;
  };
  // The first reader cut off reads again at once (within the close handshake's 2 s grace), to see how it ends.
  let firstCut: (typeof slow)[number] | undefined;
  while (!jobsDone() && Date.now() < deadline) {
    peak = Math.max(peak, outboundBytes(t));
    if (!firstCut) {
      const log = t.logs.find((l) => l.message === 'closing a connection whose reader fell behind');
      firstCut = log && slow.find((s) => s.sessionId === log.data?.session_id);
      firstCut?.peer.resumeReading();
    }
    await new Promise((r) => setTimeout(r, 2));
  }
  expect(jobsDone()).toBe(true);
  // One frame of slack: the check runs right after each write.
  expect(peak).toBeLessThanOrEqual(BUDGET + 64 * 1024);

  const cutOff = t.logs.filter((l) => l.message === 'closing a connection whose reader fell behind');
  expect(cutOff.length).toBeGreaterThan(0);
  expect(cutOff.some((l) => l.data?.limit === 'maxOutboundBufferedBytesTotal')).toBe(true);
  // The first one cut off held less than its own high-water mark: only the global budget applied to it.
  const first = cutOff[0]!;
  expect(first.data).toMatchObject({ limit: 'maxOutboundBufferedBytesTotal' });
  expect(first.data!.buffered_bytes as number).toBeLessThan(2 * MiB);
  const victim = slow.find((s) => s.sessionId === first.data!.session_id)!;
  expect(victim).toBe(firstCut);
  expect(t.runtime.sessions.get(victim.sessionId)!.isAttached).toBe(false);

  // The cut-off reader, reading again, gets what was written, the typed error, then close 4508.
  const closed = await victim.peer.closed;
  expect(closed.code).toBe(4508);
  const error = victim.peer.received.find((f) => f.type === 'session.error');
  expect(error?.payload).toMatchObject({ code: 'INTERNAL_ERROR', details: { reason: 'limit_exceeded', limit: 'maxOutboundBufferedBytesTotal', max: BUDGET } });

  // Nothing lost: a resume from 0 replays every event of the job, gap-free.
  const back = await RawWs.open(t.url);
  peers.push(back);
  back.hello('t-alice', { resume: { session_id: victim.sessionId, resume_token: victim.token, last_event_seq: 0 } });
  await back.find((f) => f.type === 'job.result', 30_000);
  expect(back.received.filter((f) => f.type === 'job.event' && f.payload?.kind === 'log')).toHaveLength(COUNT);
  const seqs = back.received.filter((f) => typeof f.event_seq === 'number').map((f) => f.event_seq!);
  expect(seqs).toEqual(seqs.map((_, i) => seqs[0]! + i));
  // It was told first (§6.5): past half the global budget, a back_pressure status naming it.
  const told = back.received.filter((f) => f.type === 'job.event' && f.payload?.body?.phase === 'back_pressure' && f.payload.body.details?.reason === 'outbound_backlog');
  expect(told.length).toBeGreaterThan(0);
  expect(told[0]!.payload.body.details).toMatchObject({ limit: 'maxOutboundBufferedBytesTotal' });
}, 120_000);
