// Issue 13: frames that arrive while a handler is still pending wait in a queue. Before the
// welcome that queue was capped (maxPreHandshakeFrameBytes), but on a bound connection that sent
// session.resume again (a resume flip) to an async authenticator, it grew without bound: every
// frame the peer sent meanwhile was read and held until the authenticator answered. Now reading
// pauses while frames wait (they stay in the kernel), and maxQueuedInboundBytes caps what still
// arrives (frames already read, a transport that cannot pause).
import { expect, it } from 'vitest';
import { ManualClock } from '../../runtime-kit/protocol/manual-clock.js';
import { createMemoryTransportPair } from '../../runtime-kit/transport/index.js';
import { RawWs, rid, type Frame } from './support/raw-ws.js';
import { startTarget, TOKENS } from './support/target.js';
import { targetPerTest } from './support/target-per-test.js';

const slot = targetPerTest();
const peers = slot.peers;

const MiB = 1024 * 1024;

/** An authenticator that answers at once until `hold()`, then waits for `release()` (a JWKS fetch, say). */
function gatedAuthenticator() {
  let gate: Promise<void> | undefined;
  let open = (): void => {};
  return {
    authenticator: {
      authenticate: async (c: { token?: string }) => {
        if (gate) await gate;
        const principal = c.token ? TOKENS[c.token as keyof typeof TOKENS] : undefined;
        return principal ? { principal } : undefined;
      },
    },
    hold: (): void => void (gate = new Promise<void>((resolve) => (open = resolve))),
    release: (): void => {
      gate = undefined;
      open();
    },
  };
}

async function until(cond: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
}

const resumeAgain = (w: Frame) => ({ session_id: w.payload.session_id, resume_token: w.payload.resume_token, last_event_seq: 0, auth: { scheme: 'bearer', token: 't-alice' } });
const ping = (i: number) => ({ nonce: `${i}-${'x'.repeat(15 * 1024)}`, sent_at: '2026-01-01T00:00:00Z' });

it('a bound connection re-sends session.resume to a slow async authenticator, then 6 MB of pings: reading pauses meanwhile, and once the resume is answered every ping is', async () => {
  const auth = gatedAuthenticator();
  const t = (slot.target = await startTarget({ authenticator: auth.authenticator }));
  const p = await RawWs.open(t.url);
  peers.push(p);
  const w = await p.welcome('t-alice');
  const sessionId = w.payload.session_id as string;
  auth.hold();
  p.send('session.resume', resumeAgain(w));
  const PINGS = 400;
  for (let i = 0; i < PINGS; i++) p.send('session.ping', ping(i), { session_id: sessionId });
  // The runtime's end of this connection (ws's public isPaused): before the fix it never paused.
  const serverSide = [...(t.server as unknown as { wss: { clients: Set<{ isPaused: boolean }> } }).wss.clients][0]!;
  try {
    await until(() => serverSide.isPaused, 5000);
    expect(serverSide.isPaused).toBe(true);
  } finally {
    auth.release();
  }
  await p.find((f) => f.type === 'session.welcome' && f !== p.received[0]);
  await until(() => p.received.filter((f) => f.type === 'session.pong').length === PINGS || !p.open, 20_000);
  expect(p.received.filter((f) => f.type === 'session.pong').length).toBe(PINGS);
  expect(p.received.filter((f) => f.type === 'session.error')).toEqual([]);
  expect(serverSide.isPaused).toBe(false);
  expect(p.open).toBe(true);
}, 30_000);

it('on a transport that cannot pause (in-memory), frames queued behind that resume past maxQueuedInboundBytes are refused (INVALID_REQUEST, 4413) and the session stays resumable', async () => {
  const auth = gatedAuthenticator();
  const t = (slot.target = await startTarget({ authenticator: auth.authenticator }));
  const [client, server] = createMemoryTransportPair();
  const got: Frame[] = [];
  let closedWith: number | undefined;
  client.start({ message: (f) => void got.push(JSON.parse(f) as Frame), error: () => {}, close: (info) => void (closedWith = info.code ?? 0) });
  void t.runtime.accept(server);
  const send = (type: string, payload: unknown, extra: Record<string, unknown> = {}): void => client.send(JSON.stringify({ arcp: '1.1', id: rid(), type, ...extra, payload }));
  send('session.hello', { client: { name: 'mem', version: '0' }, auth: { scheme: 'bearer', token: 't-alice' }, capabilities: { encodings: ['json'] } });
  await until(() => got.some((f) => f.type === 'session.welcome'), 5000);
  const w = got.find((f) => f.type === 'session.welcome')!;
  auth.hold();
  send('session.resume', resumeAgain(w));
  for (let i = 0; i < 400; i++) send('session.ping', ping(i), { session_id: w.payload.session_id });
  try {
    // Before the fix nothing was refused: the 400 frames waited for the authenticator.
    await until(() => closedWith !== undefined, 10_000);
    expect(closedWith).toBe(4413);
    expect(got.find((f) => f.type === 'session.error')?.payload).toMatchObject({
      code: 'INVALID_REQUEST',
      details: { reason: 'limit_exceeded', limit: 'maxQueuedInboundBytes', max: 4 * MiB },
    });
  } finally {
    auth.release();
  }
  expect(t.runtime.sessions.get(w.payload.session_id as string)!.isAttached).toBe(false);
  const back = await RawWs.open(t.url);
  peers.push(back);
  back.send('session.resume', { session_id: w.payload.session_id, resume_token: w.payload.resume_token, last_event_seq: 0 });
  expect((await back.find((f) => f.type === 'session.welcome' || f.type === 'session.error')).type).toBe('session.welcome');
});

it('while reading is paused behind that slow resume, the runtime does not take the client for dead (no HEARTBEAT_LOST): the pongs it did not read are the runtime\'s delay, not the client\'s', async () => {
  // A manual clock: five heartbeat intervals pass while paused, with no real waiting.
  const clock = new ManualClock();
  const auth = gatedAuthenticator();
  const t = (slot.target = await startTarget({ authenticator: auth.authenticator, clock }));
  const p = await RawWs.open(t.url);
  peers.push(p);
  const w = await p.welcome('t-alice');
  auth.hold();
  p.send('session.resume', resumeAgain(w));
  p.send('session.ping', ping(0), { session_id: w.payload.session_id }); // waits behind it: reading pauses
  const serverSide = [...(t.server as unknown as { wss: { clients: Set<{ isPaused: boolean }> } }).wss.clients][0]!;
  try {
    await until(() => serverSide.isPaused, 5000);
    expect(serverSide.isPaused).toBe(true);
    for (let i = 0; i < 50; i++) clock.advance(3000); // 150 s: five 30 s intervals, the client answering each ping
  } finally {
    auth.release();
  }
  p.send('job.submit', { agent: 'conformance.echo', input: { after: 'pause' } }, { session_id: w.payload.session_id });
  const outcome = await Promise.race([p.find((f) => f.type === 'job.result' || (f.type === 'session.error' && f.payload.code === 'HEARTBEAT_LOST')), p.closed]);
  // Before, the monitor counted the unread pongs as silence: HEARTBEAT_LOST, session detached, connection closed.
  expect(outcome).toMatchObject({ type: 'job.result' });
  expect(p.received.filter((f) => f.type === 'session.error' && f.payload.code === 'HEARTBEAT_LOST')).toEqual([]);
  expect(p.open).toBe(true);
});
