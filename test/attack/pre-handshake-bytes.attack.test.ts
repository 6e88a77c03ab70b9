// Issue 13, found by an independent attack (2026-12-03): before the handshake the runtime read
// only frames up to maxPreHandshakeFrameBytes (16 KiB), but ws buffered any frame up to its hard
// ceiling (16 MiB) before the runtime saw it. Sixty unauthenticated TCP clients, each sending
// 15 MiB of one never-finished frame, held ~900 MiB of the runtime's memory until the handshake
// timeout; at maxConnectionsPerSource (256) that is 4 GiB from one address, with no token.
// The frame is raw bytes on a TCP socket, since a WebSocket library only sends whole frames.
import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { RawWs } from './support/raw-ws.js';
import { startTarget, type Target } from './support/target.js';

let target: Target | undefined;
const sockets: Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await target?.close();
  target = undefined;
});

interface ServerFrames {
  texts: string[];
  closeCode: number | undefined;
}

/** Upgrades a raw TCP socket, then collects the server's (unmasked) frames until it closes. */
async function upgradedSocket(url: string): Promise<{ socket: Socket; seen: ServerFrames; frames: Promise<ServerFrames> }> {
  const { hostname, port, pathname } = new URL(url);
  const socket = connect(Number(port), hostname);
  sockets.push(socket);
  socket.on('error', () => {}); // the runtime may reset the socket while we are still writing
  await new Promise((resolve) => socket.once('connect', resolve));
  socket.write(
    `GET ${pathname} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
  );
  let buf = Buffer.alloc(0);
  let upgraded = false;
  const out: ServerFrames = { texts: [], closeCode: undefined };
  const frames = new Promise<ServerFrames>((resolve) => {
    socket.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      if (!upgraded) {
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) return;
        upgraded = true;
        buf = buf.subarray(end + 4);
      }
      for (;;) {
        if (buf.length < 2) return;
        let len = buf[1]! & 0x7f;
        let at = 2;
        if (len === 126) { if (buf.length < 4) return; len = buf.readUInt16BE(2); at = 4; }
        else if (len === 127) { if (buf.length < 10) return; len = Number(buf.readBigUInt64BE(2)); at = 10; }
        if (buf.length < at + len) return;
        const opcode = buf[0]! & 0x0f;
        const body = buf.subarray(at, at + len);
        buf = buf.subarray(at + len);
        if (opcode === 1) out.texts.push(body.toString('utf8'));
        if (opcode === 8) out.closeCode = body.length >= 2 ? body.readUInt16BE(0) : undefined;
      }
    });
    socket.once('close', () => resolve(out));
  });
  await new Promise<void>((resolve) => {
    const check = (): void => (upgraded ? resolve() : void setTimeout(check, 5));
    check();
  });
  return { socket, seen: out, frames };
}

/** Writes the header of one masked text frame of `declared` bytes, then `sent` bytes of it. */
async function partialFrame(socket: Socket, declared: number, sent: number): Promise<void> {
  const header = Buffer.alloc(14); // FIN + text, MASK + 64-bit length, a zero mask key
  header[0] = 0x81;
  header[1] = 0x80 | 127;
  header.writeBigUInt64BE(BigInt(declared), 2);
  socket.write(header);
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  for (let done = 0; done < sent && !socket.destroyed; done += chunk.length) {
    if (!socket.write(chunk)) await new Promise((resolve) => { socket.once('drain', resolve); socket.once('close', resolve); });
  }
}

describe('before the handshake, a frame still arriving is held only up to maxPreHandshakeFrameBytes', () => {
  it('a never-finished 8 MiB frame is refused (INVALID_REQUEST, maxPreHandshakeFrameBytes, 4413) while it arrives, not at the handshake timeout', async () => {
    // A long handshake timeout: before the fix the connection stayed open holding the bytes
    // until then and closed with 4408.
    target = await startTarget({ limits: { handshakeTimeoutMs: 3000 } });
    const { socket, frames } = await upgradedSocket(target.url);
    await partialFrame(socket, 8 * 1024 * 1024, 1024 * 1024);
    const { texts, closeCode } = await frames;
    expect(closeCode).toBe(4413);
    expect(JSON.parse(texts[0]!)).toMatchObject({
      type: 'session.error',
      payload: { code: 'INVALID_REQUEST', details: { reason: 'limit_exceeded', limit: 'maxPreHandshakeFrameBytes', max: 16 * 1024 } },
    });
  });

  it('after the welcome the cap is lifted: a frame over maxPreHandshakeFrameBytes but under maxFrameBytes is read', async () => {
    target = await startTarget({ limits: { handshakeTimeoutMs: 3000 } });
    const { socket, seen } = await upgradedSocket(target.url);
    const send = (obj: unknown): void => {
      const body = Buffer.from(JSON.stringify(obj));
      const header = Buffer.alloc(14);
      header[0] = 0x81;
      header[1] = 0x80 | 127;
      header.writeBigUInt64BE(BigInt(body.length), 2);
      socket.write(Buffer.concat([header, body])); // zero mask key: the body goes as is
    };
    send({ arcp: '1.1', id: 'msg_01M8Y6WR3WYX87WFMVHWD87701', type: 'session.hello', payload: { client: { name: 'raw', version: '0' }, auth: { scheme: 'bearer', token: 't-alice' }, capabilities: { encodings: ['json'] } } });
    const types = (): string[] => seen.texts.map((t) => (JSON.parse(t) as { type: string }).type);
    const until = async (type: string): Promise<void> => {
      for (let i = 0; i < 500 && !types().includes(type) && !socket.destroyed; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    };
    await until('session.welcome');
    const sessionId = (JSON.parse(seen.texts[0]!) as { session_id: string }).session_id;
    const big = 'x'.repeat(200 * 1024);
    send({ arcp: '1.1', id: 'msg_01M8Y6WR3WYX87WFMVHWD87702', type: 'job.submit', session_id: sessionId, payload: { agent: 'conformance.echo', input: { big } } });
    await until('job.result');
    expect(types()).toEqual(expect.arrayContaining(['session.welcome', 'job.accepted', 'job.result']));
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
