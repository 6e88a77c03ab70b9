// Issue 13, found by an independent attack (2026-12-03): before the handshake the runtime read
// only frames up to maxPreHandshakeFrameBytes (16 KiB), but ws buffered any frame up to its hard
// ceiling (16 MiB) before the runtime saw it. Sixty unauthenticated TCP clients, each sending
// 15 MiB of one never-finished frame, held ~900 MiB of the runtime's memory until the handshake
// timeout; at maxConnectionsPerSource (256) that is 4 GiB from one address, with no token.
// The frame is raw bytes on a TCP socket, since a WebSocket library only sends whole frames.
import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { RawWs } from './support/raw-ws.js';
import { partialFrame, sendJson, untilSeen, typesSeen, upgradedSocket } from './support/raw-tcp-ws.js';
import { startTarget, type Target } from './support/target.js';

let target: Target | undefined;
const sockets: Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await target?.close();
  target = undefined;
});

describe('before the handshake, a frame still arriving is held only up to maxPreHandshakeFrameBytes', () => {
  it('a never-finished 8 MiB frame is refused (INVALID_REQUEST, maxPreHandshakeFrameBytes, 4413) while it arrives, not at the handshake timeout', async () => {
    // A long handshake timeout: before the fix the connection stayed open holding the bytes
    // until then and closed with 4408.
    target = await startTarget({ limits: { handshakeTimeoutMs: 3000 } });
    const { socket, frames } = await upgradedSocket(target.url, sockets);
    await partialFrame(socket, 8 * 1024 * 1024, 1024 * 1024);
    const { texts, closeCode } = await frames;
    expect(closeCode).toBe(4413);
    expect(JSON.parse(texts[0]!)).toMatchObject({
      type: 'session.error',
      payload: { code: 'INVALID_REQUEST', details: { reason: 'limit_exceeded', limit: 'maxPreHandshakeFrameBytes', max: 16 * 1024 } },
    });
  });

  it('after the welcome the cap is raised to maxInboundInFlightBytes: a frame over maxPreHandshakeFrameBytes but under maxFrameBytes is read', async () => {
    target = await startTarget({ limits: { handshakeTimeoutMs: 3000 } });
    const peer = await upgradedSocket(target.url, sockets);
    const { socket, seen } = peer;
    sendJson(socket, { arcp: '1.1', id: 'msg_01M8Y6WR3WYX87WFMVHWD87701', type: 'session.hello', payload: { client: { name: 'raw', version: '0' }, auth: { scheme: 'bearer', token: 't-alice' }, capabilities: { encodings: ['json'] } } });
    await untilSeen(peer, 'session.welcome');
    const sessionId = (JSON.parse(seen.texts[0]!) as { session_id: string }).session_id;
    const big = 'x'.repeat(200 * 1024);
    sendJson(socket, { arcp: '1.1', id: 'msg_01M8Y6WR3WYX87WFMVHWD87702', type: 'job.submit', session_id: sessionId, payload: { agent: 'conformance.echo', input: { big } } });
    await untilSeen(peer, 'job.result');
    expect(typesSeen(seen)).toEqual(expect.arrayContaining(['session.welcome', 'job.accepted', 'job.result']));
    expect(seen.closeCode).toBeUndefined();
  });
});

describe('frames queued behind a pending handshake are held only up to maxPreHandshakeFrameBytes', () => {
  // An async authenticator (a JWT verifier fetching its JWKS, say) that takes a while: frames
  // that arrived meanwhile waited in an unbounded queue; 4,000 x 15 KiB (60 MB) from one
  // unauthenticated peer in 3 s were all held, then answered one by one.
  const slowAuth = (release: Promise<void>) => ({
    authenticate: async (c: { token?: string }) => {
      await release;
      return c.token === 't-alice' ? { principal: 'alice' } : undefined;
    },
  });

  it.each(['bad-token', 't-alice'])('a hello (%s) followed by 100 x 15 KiB frames before the welcome: refused (INVALID_REQUEST, 4413), no session bound', async (token) => {
    let release!: () => void;
    const pending = new Promise<void>((resolve) => (release = resolve));
    target = await startTarget({ authenticator: slowAuth(pending) });
    const p = await RawWs.open(target.url);
    p.hello(token);
    const junk = JSON.stringify({ arcp: '1.1', id: 'msg_01M8Y6WR3WYX87WFMVHWD87701', type: 'session.ping', payload: { nonce: 'x'.repeat(15 * 1024), sent_at: '2026-01-01T00:00:00Z' } });
    for (let i = 0; i < 100; i++) p.sendText(junk);
    const closed = await p.closed;
    release();
    await pending;
    expect(closed.code).toBe(4413);
    expect(p.received.map((f) => f.type)).toEqual(['session.error']);
    expect(p.received[0]!.payload).toMatchObject({ code: 'INVALID_REQUEST', details: { reason: 'limit_exceeded', limit: 'maxPreHandshakeFrameBytes' } });
    await new Promise((resolve) => setTimeout(resolve, 20)); // the authenticator's answer lands on a closed connection
    expect(target.logs.filter((l) => l.data?.event === 'session.attached')).toEqual([]);
  }, 20_000); // before the fix the queue waited for the authenticator, which this test releases only after the close
});
