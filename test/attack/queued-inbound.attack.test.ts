// Issue 13: frames that arrive while a handler is still pending wait in a queue. Before the
// welcome that queue was capped (maxPreHandshakeFrameBytes), but on a bound connection that sent
// session.resume again (a resume flip) with an async authenticator, it grew without bound: every
// frame the peer sent meanwhile was held until the authenticator answered.
import { afterEach, expect, it } from 'vitest';
import { closeAll, RawWs } from './support/raw-ws.js';
import { startTarget, TOKENS, type Target } from './support/target.js';

let target: Target | undefined;
const peers: RawWs[] = [];
afterEach(async () => {
  await closeAll(peers);
  await target?.close();
  target = undefined;
});

const MiB = 1024 * 1024;

const within = <T>(p: Promise<T>, ms: number, what: string): Promise<T> =>
  Promise.race([p, new Promise<T>((_r, reject) => setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms))]);

it('a bound connection re-sends session.resume to a slow async authenticator, then 6 MB of frames: refused (INVALID_REQUEST, maxQueuedInboundBytes, 4413), the session stays resumable', async () => {
  // The authenticator answers at once until `gate` is set, then waits for it (a JWKS fetch, say).
  let gate: Promise<void> | undefined;
  let release!: () => void;
  target = await startTarget({
    authenticator: {
      authenticate: async (c: { token?: string }) => {
        if (gate) await gate;
        const principal = c.token ? TOKENS[c.token as keyof typeof TOKENS] : undefined;
        return principal ? { principal } : undefined;
      },
    },
  });
  const t = target;
  const p = await RawWs.open(t.url);
  peers.push(p);
  const w = await p.welcome('t-alice');
  const sessionId = w.payload.session_id as string;
  gate = new Promise<void>((resolve) => (release = resolve));
  p.send('session.resume', { session_id: sessionId, resume_token: w.payload.resume_token, last_event_seq: 0, auth: { scheme: 'bearer', token: 't-alice' } });
  const junk = JSON.stringify({ arcp: '1.1', id: 'msg_01M8Y6WR3WYX87WFMVHWD87701', type: 'session.ping', session_id: sessionId, payload: { nonce: 'x'.repeat(15 * 1024), sent_at: '2026-01-01T00:00:00Z' } });
  for (let i = 0; i < 400; i++) p.sendText(junk);
  try {
    // Before the fix nothing was refused: the 400 frames waited for the authenticator.
    const closed = await within(p.closed, 10_000, 'close after the queue cap');
    expect(closed.code).toBe(4413);
    expect(p.received.find((f) => f.type === 'session.error')?.payload).toMatchObject({
      code: 'INVALID_REQUEST',
      details: { reason: 'limit_exceeded', limit: 'maxQueuedInboundBytes', max: 4 * MiB },
    });
  } finally {
    release();
  }
  // Cut off, not ended: the session is detached and a resume on a new connection is welcomed.
  const session = t.runtime.sessions.get(sessionId)!;
  expect(session.isAttached).toBe(false);
  gate = undefined;
  const back = await RawWs.open(t.url);
  peers.push(back);
  back.send('session.resume', { session_id: sessionId, resume_token: w.payload.resume_token, last_event_seq: 0 });
  expect((await back.find((f) => f.type === 'session.welcome' || f.type === 'session.error')).type).toBe('session.welcome');
});
