// Issue 13, inbound in-flight memory: after the welcome ws buffered one frame up to its hard
// ceiling (16 MiB) before the runtime saw it, and nothing bounded that across connections: 60
// connections of one principal, each sending most of a huge frame and stopping, held ~900 MiB.
// Now a frame still arriving is held up to maxInboundInFlightBytes per connection, and all of them
// together up to maxInboundInFlightBytesTotal (the connection holding the most is closed, 4413).
// The frames are raw bytes on a TCP socket, since a WebSocket library only sends whole frames.
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { RawWs } from './support/raw-ws.js';
import { fragmented, partialFrame, rawFrame, sendJson, untilSeen, upgradedSocket, type RawTcpWs } from './support/raw-tcp-ws.js';
import { startTarget, type Target } from './support/target.js';
import { targetPerTest } from './support/target-per-test.js';

const slot = targetPerTest();
const peers = slot.peers;
const sockets: Socket[] = [];
afterEach(() => {
  for (const s of sockets.splice(0)) s.destroy();
});

const MiB = 1024 * 1024;

interface WsReceiverView {
  readyState: number;
  _receiver: { _bufferedBytes: number; _fragments: Buffer[] };
}

/**
 * Bytes ws itself holds of inbound frames on the runtime's open connections, read from each
 * server-side socket's receiver: the memory the budget is there to bound, seen independently of
 * the runtime's own count. Connections already cut off (closing) read nothing more and are left out.
 */
function heldByWs(t: Target): number {
  const clients = (t.server as unknown as { wss: { clients: Set<WsReceiverView> } }).wss.clients;
  let sum = 0;
  for (const ws of clients) {
    if (ws.readyState !== 1) continue;
    sum += ws._receiver._bufferedBytes + ws._receiver._fragments.reduce((n, b) => n + b.length, 0);
  }
  return sum;
}

/** Fragments of unfinished messages ws holds on the runtime's open connections (one Buffer each). */
function fragmentsHeldByWs(t: Target): number {
  const clients = (t.server as unknown as { wss: { clients: Set<WsReceiverView> } }).wss.clients;
  let n = 0;
  for (const ws of clients) if (ws.readyState === 1) n += ws._receiver._fragments.length;
  return n;
}

/** The start of a message never finished: a text frame then `n` continuation frames, all of 1 byte, none FIN. */
function oneByteFragments(n: number): Buffer {
  const one = Buffer.from(' ');
  return Buffer.concat([rawFrame(0x1, false, one), ...Array.from({ length: n }, () => rawFrame(0x0, false, one))]);
}

/** A raw TCP peer with a session (hello as t-alice); resolves with its session id. */
async function boundPeer(t: Target): Promise<{ peer: RawTcpWs; sessionId: string }> {
  const peer = await upgradedSocket(t.url, sockets);
  sendJson(peer.socket, { arcp: '1.1', id: `msg_inflight${sockets.length}`, type: 'session.hello', payload: { client: { name: 'raw', version: '0' }, auth: { scheme: 'bearer', token: 't-alice' }, capabilities: { encodings: ['json'] } } });
  await untilSeen(peer, 'session.welcome');
  const welcome = JSON.parse(peer.seen.texts[0]!) as { type: string; session_id: string };
  expect(welcome.type).toBe('session.welcome');
  return { peer, sessionId: welcome.session_id };
}

const within = <T>(p: Promise<T>, ms: number, what: string): Promise<T> =>
  Promise.race([p, new Promise<T>((_r, reject) => setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms))]);

async function until(cond: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
}

async function honestRoundTrip(t: Target): Promise<void> {
  const honest = await RawWs.open(t.url);
  peers.push(honest);
  const w = await honest.welcome('t-bob');
  honest.send('job.submit', { agent: 'conformance.echo', input: { ok: true } }, { session_id: w.payload.session_id });
  const result = await honest.find((f) => f.type === 'job.result' || f.type === 'job.error');
  expect(result.type).toBe('job.result');
}

describe('frames still arriving after the welcome are bounded over all connections', () => {
  it('6 connections each send 2 MiB of a 3 MiB frame and stop: what ws holds stays within maxInboundInFlightBytesTotal (9 MiB), the largest holders are closed (INTERNAL_ERROR, 4413), an honest client keeps working', async () => {
    const BUDGET = 9 * MiB;
    const N = 6;
    const SENT = 2 * MiB;
    const t = (slot.target = await startTarget({ limits: { maxInboundInFlightBytesTotal: BUDGET } }));
    const honest = await RawWs.open(t.url);
    peers.push(honest);
    const hw = await honest.welcome('t-bob');

    const attackers: RawTcpWs[] = [];
    for (let i = 0; i < N; i++) attackers.push((await boundPeer(t)).peer);
    let peak = 0;
    const sampler = setInterval(() => (peak = Math.max(peak, heldByWs(t))), 1);
    try {
      // Each frame is over maxFrameBytes (it would be dropped) but under maxInboundInFlightBytes (4 MiB):
      // only the global budget can act on them.
      for (const a of attackers) await partialFrame(a.socket, 3 * MiB, SENT);
      const cut = (): RawTcpWs[] => attackers.filter((a) => a.seen.closeCode !== undefined || a.socket.destroyed);
      // Settled: every attacker still open has had all it sent read by ws, the others are cut off.
      await until(() => heldByWs(t) === (N - cut().length) * SENT && cut().length >= 1, 10_000);
      peak = Math.max(peak, heldByWs(t));

      // 4 x 2 MiB fit in 9 MiB, 5 do not: exactly two were cut off, the rest hold their bytes.
      expect(cut().length).toBe(2);
      expect(heldByWs(t)).toBe(4 * SENT);
      // One 64 KiB socket read of slack: the sum is checked as each read arrives.
      expect(peak).toBeLessThanOrEqual(BUDGET + 64 * 1024);
      for (const a of cut()) {
        const { texts, closeCode } = await a.frames;
        expect(closeCode).toBe(4413);
        expect(JSON.parse(texts.at(-1)!)).toMatchObject({
          type: 'session.error',
          payload: { code: 'INTERNAL_ERROR', retryable: true, details: { reason: 'limit_exceeded', limit: 'maxInboundInFlightBytesTotal', max: BUDGET, in_flight_bytes: expect.any(Number) } },
        });
      }
    } finally {
      clearInterval(sampler);
    }
    // The honest session, open all along, still works; so does a new one.
    honest.send('job.submit', { agent: 'conformance.echo', input: { ok: 1 } }, { session_id: hw.payload.session_id });
    expect((await honest.find((f) => f.type === 'job.result' || f.type === 'job.error')).type).toBe('job.result');
    expect(honest.open).toBe(true);
    await honestRoundTrip(t);
  }, 30_000);
});

describe('one frame still arriving after the welcome is bounded by maxInboundInFlightBytes', () => {
  it('5 MiB of an 8 MiB frame: refused while it arrives (INVALID_REQUEST, maxInboundInFlightBytes, 4413), the session stays resumable', async () => {
    const t = (slot.target = await startTarget());
    const { peer } = await boundPeer(t);
    void partialFrame(peer.socket, 8 * MiB, 5 * MiB);
    // Before the fix ws read the frame on towards its 16 MiB ceiling and the connection stayed open.
    await until(() => peer.seen.closeCode !== undefined, 10_000);
    expect(peer.seen.closeCode).toBe(4413);
    expect(JSON.parse(peer.seen.texts.at(-1)!)).toMatchObject({
      type: 'session.error',
      payload: { code: 'INVALID_REQUEST', details: { reason: 'limit_exceeded', limit: 'maxInboundInFlightBytes', max: 4 * MiB } },
    });
    const session = [...t.runtime.sessions.values()][0]!;
    await until(() => !session.isAttached, 5000);
    expect(session.isAttached).toBe(false);
    await honestRoundTrip(t);
  });

  it('the connection cut off mid-frame is dropped as soon as its error and close frame are out, not at the close timeout (the peer cannot answer the close)', async () => {
    // A close timeout longer than the wait below: before, the socket (and what ws held of the
    // frame) stayed until it, since the peer's close frame could only follow the rest of its frame.
    const t = (slot.target = await startTarget({}, 0, { closeTimeoutMs: 60_000 }));
    const { peer } = await boundPeer(t);
    void partialFrame(peer.socket, 8 * MiB, 5 * MiB);
    const { closeCode } = await within(peer.frames, 10_000, 'socket closed');
    expect(closeCode).toBe(4413);
    expect(heldByWs(t)).toBe(0);
    expect((t.server as unknown as { wss: { clients: Set<unknown> } }).wss.clients.size).toBe(0);
  });

  it('a whole 2 MiB frame (over maxFrameBytes, under maxInboundInFlightBytes) is answered with the typed error and the connection goes on', async () => {
    const t = (slot.target = await startTarget());
    const p = await RawWs.open(t.url);
    peers.push(p);
    const w = await p.welcome('t-alice');
    p.sendText(JSON.stringify({ pad: 'x'.repeat(2 * MiB) }));
    const err = await p.find((f) => f.type === 'session.error');
    expect(err.payload).toMatchObject({ code: 'INVALID_REQUEST', details: { reason: 'ARCP_KIT_FRAME_TOO_LARGE' } });
    p.send('job.submit', { agent: 'conformance.echo', input: { after: true } }, { session_id: w.payload.session_id });
    expect((await p.find((f) => f.type === 'job.result' || f.type === 'job.error')).type).toBe('job.result');
    expect(p.open).toBe(true);
  });
});

describe('an attacker cannot make an honest frame the one the global inbound budget cuts off', () => {
  it('60 unauthenticated connections each hold 15 000 bytes of a frame and stop; an honest client then sends a 200 KiB job.submit: it gets its result, the stalled holders are cut off (4413)', async () => {
    // Largest-first let the attacker choose the victim: holders each smaller than the honest frame,
    // together just under the budget, and the honest frame became the largest as soon as it
    // arrived, every time (a one-off cost for the attacker, no cost per victim).
    const BUDGET = 1 * MiB;
    const N = 60;
    const SENT = 15_000;
    const t = (slot.target = await startTarget({ limits: { maxInboundInFlightBytesTotal: BUDGET } }));
    const honest = await RawWs.open(t.url);
    peers.push(honest);
    const hw = await honest.welcome('t-bob');
    const attackers: RawTcpWs[] = [];
    for (let i = 0; i < N; i++) attackers.push(await upgradedSocket(t.url, sockets));
    // Under maxPreHandshakeFrameBytes (16 KiB): no credential needed to hold them.
    for (const a of attackers) await partialFrame(a.socket, 16_000, SENT);
    await until(() => heldByWs(t) === N * SENT, 10_000);
    expect(heldByWs(t)).toBe(N * SENT);

    honest.send('job.submit', { agent: 'conformance.echo', input: { pad: 'x'.repeat(200 * 1024) } }, { session_id: hw.payload.session_id });
    const outcome = await Promise.race([honest.find((f) => f.type === 'job.result' || f.type === 'job.error' || f.type === 'session.error'), honest.closed]);
    expect(outcome).toMatchObject({ type: 'job.result' });
    expect(honest.open).toBe(true);
    const cut = attackers.filter((a) => a.seen.closeCode !== undefined || a.socket.destroyed);
    expect(cut.length).toBeGreaterThan(0);
    const { texts, closeCode } = await cut[0]!.frames;
    expect(closeCode).toBe(4413);
    expect(JSON.parse(texts.at(-1)!)).toMatchObject({ type: 'session.error', payload: { code: 'INTERNAL_ERROR', details: { limit: 'maxInboundInFlightBytesTotal' } } });
  }, 30_000);
});

describe('fragmented messages and control frames are counted as what ws holds of them', () => {
  // ws keeps each fragment of an unfinished message as its own Buffer, ~130 bytes of heap for a
  // 1-byte fragment that is 7 bytes on the wire: 16 000 of them held 2 MiB for 112 KiB counted, and
  // ws itself stops only at 16 384 fragments (1008). Each continuation frame is now charged
  // FRAGMENT_OVERHEAD_BYTES, so the caps bound the memory, not only the wire bytes.
  it('after the welcome, a message sent as 1-byte fragments is cut off by maxInboundInFlightBytes (4413) before ws holds 5 000 fragments', async () => {
    const t = (slot.target = await startTarget({ limits: { maxInboundInFlightBytes: 1 * MiB } }));
    const { peer } = await boundPeer(t);
    peer.socket.write(oneByteFragments(5000)); // 35 KB on the wire
    await until(() => peer.seen.closeCode !== undefined || fragmentsHeldByWs(t) === 5001, 10_000);
    expect(fragmentsHeldByWs(t)).toBeLessThan(5001);
    const { texts, closeCode } = await within(peer.frames, 10_000, 'socket closed');
    expect(closeCode).toBe(4413);
    expect(JSON.parse(texts.at(-1)!)).toMatchObject({ type: 'session.error', payload: { code: 'INVALID_REQUEST', details: { limit: 'maxInboundInFlightBytes' } } });
    await honestRoundTrip(t);
  });

  it('before the welcome, 500 1-byte fragments (3.5 KB on the wire) are over maxPreHandshakeFrameBytes: cut off (4413), no credential needed to try', async () => {
    const t = (slot.target = await startTarget());
    const peer = await upgradedSocket(t.url, sockets);
    peer.socket.write(oneByteFragments(500));
    await until(() => peer.seen.closeCode !== undefined || fragmentsHeldByWs(t) === 501, 10_000);
    expect(fragmentsHeldByWs(t)).toBeLessThan(501);
    const { texts, closeCode } = await within(peer.frames, 10_000, 'socket closed');
    expect(closeCode).toBe(4413);
    expect(JSON.parse(texts.at(-1)!)).toMatchObject({ type: 'session.error', payload: { details: { limit: 'maxPreHandshakeFrameBytes' } } });
  });

  it('1.2 MB of ws pings between messages are not a frame in flight: the next job.submit is answered, the connection stays open', async () => {
    const t = (slot.target = await startTarget({ limits: { maxInboundInFlightBytes: 1 * MiB } }));
    const { peer, sessionId } = await boundPeer(t);
    // In rounds, each waiting for its pongs: ws itself drops a peer with 60 pongs unsent.
    const round = Buffer.concat(Array.from({ length: 50 }, () => rawFrame(0x9, true, Buffer.alloc(125, 0x70))));
    for (let i = 1; i <= 180 && !peer.socket.destroyed; i++) {
      peer.socket.write(round);
      await until(() => peer.seen.pongs >= 50 * i || peer.socket.destroyed, 5000);
    }
    sendJson(peer.socket, { arcp: '1.1', id: 'msg_afterpings', type: 'job.submit', session_id: sessionId, payload: { agent: 'conformance.echo', input: { after: 'pings' } } });
    await untilSeen(peer, 'job.result', 10_000);
    // Before, every ping's bytes added up as one frame still arriving, until the cap cut the connection off (4413).
    expect(peer.seen.closeCode).toBeUndefined();
    expect(peer.seen.pongs).toBe(9000);
    expect(peer.seen.texts.map((x) => (JSON.parse(x) as { type: string }).type)).toContain('job.result');
  });

  it('before the welcome, a whole small frame and 60 KB of the next one in one socket read: the 60 KB are counted, over maxPreHandshakeFrameBytes (4413)', async () => {
    const t = (slot.target = await startTarget());
    const peer = await upgradedSocket(t.url, sockets);
    const small = rawFrame(0x1, true, Buffer.from('{}'));
    const next = Buffer.concat([rawFrame(0x1, true, Buffer.alloc(100_000, 0x20)).subarray(0, 14), Buffer.alloc(60_000, 0x20)]);
    // Before, the read that completed a frame was skipped whole: up to 64 KiB of the next frame per
    // read went uncounted, 4x the pre-handshake cap, and for the global budget 0 bytes.
    peer.socket.write(Buffer.concat([small, next]));
    await until(() => peer.seen.closeCode !== undefined || heldByWs(t) >= 60_000, 5000);
    expect(heldByWs(t)).toBe(0);
    const { texts, closeCode } = await within(peer.frames, 5000, 'socket closed');
    expect(closeCode).toBe(4413);
    expect(JSON.parse(texts.at(-1)!)).toMatchObject({ type: 'session.error', payload: { details: { limit: 'maxPreHandshakeFrameBytes' } } });
  });

  it('frames that come with the upgrade request (ws gets them as its head) are parsed from their first byte: a frame begun there is counted and ends at 0', async () => {
    const t = (slot.target = await startTarget());
    const { port } = new URL(t.url);
    const socket = connect(Number(port), '127.0.0.1');
    sockets.push(socket);
    await new Promise((resolve) => socket.once('connect', resolve));
    let seen = '';
    socket.on('data', (d: Buffer) => (seen += d.toString('latin1')));
    const hello = rawFrame(0x1, true, Buffer.from(JSON.stringify({ arcp: '1.1', id: 'msg_head1', type: 'session.hello', payload: { client: { name: 'raw', version: '0' }, auth: { scheme: 'bearer', token: 't-alice' }, capabilities: { encodings: ['json'] } } })));
    const next = rawFrame(0x1, true, Buffer.alloc(5000, 0x20));
    const upgrade = `GET /arcp HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${Buffer.alloc(16, 7).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`;
    socket.write(Buffer.concat([Buffer.from(upgrade), hello, rawFrame(0x9, true, Buffer.from('x')), next.subarray(0, 9)]));
    await until(() => seen.includes('session.welcome'), 5000);
    const live = (t.server as unknown as { live: Set<{ inFlight: { inFlightBytes: number } }> }).live;
    const [transport] = [...live];
    expect(transport!.inFlight.inFlightBytes).toBe(9);
    socket.write(next.subarray(9));
    await until(() => transport!.inFlight.inFlightBytes === 0, 5000);
    expect(transport!.inFlight.inFlightBytes).toBe(0);
  });

  it('an honest 100 KiB job.submit in 4 KiB fragments with a ping between each is read and answered', async () => {
    const t = (slot.target = await startTarget());
    const { peer, sessionId } = await boundPeer(t);
    const submit = JSON.stringify({ arcp: '1.1', id: 'msg_fragsubmit', type: 'job.submit', session_id: sessionId, payload: { agent: 'conformance.echo', input: { pad: 'y'.repeat(100 * 1024) } } });
    peer.socket.write(fragmented(submit, 4096, () => [rawFrame(0x9, true, Buffer.from('hb'))]));
    await untilSeen(peer, 'job.result', 10_000);
    expect(peer.seen.closeCode).toBeUndefined();
    expect(peer.seen.texts.map((x) => (JSON.parse(x) as { type: string }).type)).toContain('job.result');
  });
});
