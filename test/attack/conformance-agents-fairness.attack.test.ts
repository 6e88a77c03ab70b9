// Found by an independent attack (2026-12-03): the conformance agents that `arcp serve
// --conformance-agents` hosts never yielded. One `conformance.chatty {n: 300000}` froze every
// other session for 12.5 s (n may be 10 million), and `conformance.streamer` wrote all its
// chunks in one turn: 300 x 1 MiB froze the runtime 3.5 s and cut off (4508) a client reading
// as fast as it could. Ordering, not timing: the runtime stamps when it read the ping
// (pong.received_at) and when it emitted each event (ts); a loop that never yields can only
// read the ping after its last event.
import { expect, it } from 'vitest';
import { targetPerTest } from './support/target-per-test.js';
import { RawWs, type Frame } from './support/raw-ws.js';
import { startTarget } from './support/target.js';

const fx = targetPerTest();

async function session(token: string): Promise<{ peer: RawWs; sid: string }> {
  const peer = await RawWs.open(fx.target!.url);
  fx.peers.push(peer);
  const id = peer.hello(token, { capabilities: { encodings: ['json'], features: ['ack', 'heartbeat', 'result_chunk'] } });
  const w = await peer.find((f) => f.type === 'session.welcome' || (f.type === 'session.error' && f.payload?.request_id === id));
  expect(w.type).toBe('session.welcome');
  return { peer, sid: w.payload.session_id as string };
}

/** Submits `agent`, pings from another session once its first event is in, returns both sides. */
async function pingWhile(agent: string, input: unknown, first: (f: Frame) => boolean): Promise<{ streamer: RawWs; pong: Frame }> {
  const s = await session('t-alice');
  const p = await session('t-bob');
  s.peer.send('job.submit', { agent, input }, { session_id: s.sid });
  await s.peer.find(first, 30_000);
  p.peer.send('session.ping', { nonce: 'n1', sent_at: new Date().toISOString() }, { session_id: p.sid });
  const pong = await p.peer.find((f) => f.type === 'session.pong', 60_000);
  await s.peer.find((f) => f.type === 'job.result' || f.type === 'job.error', 120_000);
  return { streamer: s.peer, pong };
}

const lastTs = (frames: Frame[], kind: string): string => frames.filter((f) => f.payload?.kind === kind).at(-1)!.payload.ts as string;

it('conformance.chatty yields: a ping from another session is read before its last log event', async () => {
  fx.target = await startTarget({ maxEventsPerSession: 50_000 });
  const { streamer, pong } = await pingWhile('conformance.chatty', { n: 30_000 }, (f) => f.payload?.kind === 'log');
  expect(streamer.received.find((f) => f.type === 'job.result')?.payload.result).toEqual({ count: 30_000 });
  expect(Date.parse(pong.payload.received_at)).toBeLessThan(Date.parse(lastTs(streamer.received, 'log')));
}, 180_000);

it('conformance.streamer waits for its reader: 40 x 1 MiB reach a reading client whole, no 4508, and a ping is read in between', async () => {
  fx.target = await startTarget();
  const { streamer, pong } = await pingWhile('conformance.streamer', { chunks: 40, chunk_size: 1024 * 1024, encoding: 'utf8' }, (f) => f.payload?.kind === 'result_chunk');
  expect(streamer.open).toBe(true);
  expect(streamer.received.find((f) => f.type === 'job.result')?.payload).toMatchObject({ final_status: 'success', result_size: 40 * 1024 * 1024 });
  expect(streamer.received.filter((f) => f.payload?.kind === 'result_chunk')).toHaveLength(40);
  expect(Date.parse(pong.payload.received_at)).toBeLessThan(Date.parse(lastTs(streamer.received, 'result_chunk')));
}, 180_000);
