// A WebSocket peer on a bare TCP socket, for attacks a WebSocket library cannot make: it writes
// frame headers and payload bytes itself, so it can send part of a frame and stop. It reads the
// server's (unmasked) frames back and records the close code.
import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';

export interface ServerFrames {
  texts: string[];
  closeCode: number | undefined;
  /** Pong frames received (ws answers each ping). */
  pongs: number;
}

export interface RawTcpWs {
  socket: Socket;
  /** What arrived so far (live). */
  seen: ServerFrames;
  /** Resolves with everything once the socket has closed. */
  frames: Promise<ServerFrames>;
}

/** Upgrades a raw TCP socket, then collects the server's frames until it closes. `sockets` gets it for cleanup. */
export async function upgradedSocket(url: string, sockets: Socket[]): Promise<RawTcpWs> {
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
  const out: ServerFrames = { texts: [], closeCode: undefined, pongs: 0 };
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
        if (opcode === 10) out.pongs++;
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

/** The header of one masked text frame of `declared` payload bytes, with a zero mask key (the payload goes as is). */
function header(declared: number): Buffer {
  const h = Buffer.alloc(14); // FIN + text, MASK + 64-bit length, the mask key
  h[0] = 0x81;
  h[1] = 0x80 | 127;
  h.writeBigUInt64BE(BigInt(declared), 2);
  return h;
}

/** One masked frame (zero mask key) of any opcode, FIN set or not: fragments (0x0 continuation), pings (0x9). */
export function rawFrame(opcode: number, fin: boolean, payload: Buffer): Buffer {
  const ext = payload.length < 126 ? 0 : payload.length < 65536 ? 2 : 8;
  const h = Buffer.alloc(2 + ext + 4); // the mask key stays zero
  h[0] = (fin ? 0x80 : 0) | opcode;
  if (ext === 0) h[1] = 0x80 | payload.length;
  else if (ext === 2) { h[1] = 0x80 | 126; h.writeUInt16BE(payload.length, 2); }
  else { h[1] = 0x80 | 127; h.writeBigUInt64BE(BigInt(payload.length), 2); }
  return Buffer.concat([h, payload]);
}

/** `text` as one message of fragments of `size` bytes (the first a text frame, the rest continuations). */
export function fragmented(text: string, size: number, between: (i: number) => Buffer[] = () => []): Buffer {
  const body = Buffer.from(text);
  const parts: Buffer[] = [];
  for (let at = 0, i = 0; at < body.length; at += size, i++) {
    parts.push(rawFrame(at === 0 ? 0x1 : 0x0, at + size >= body.length, body.subarray(at, at + size)), ...between(i));
  }
  return Buffer.concat(parts);
}

/** Sends one whole text frame holding `obj` as JSON. */
export function sendJson(socket: Socket, obj: unknown): void {
  const body = Buffer.from(JSON.stringify(obj));
  socket.write(Buffer.concat([header(body.length), body]));
}

/** Writes the header of one text frame of `declared` bytes, then `sent` bytes of it (until the socket closes). */
export async function partialFrame(socket: Socket, declared: number, sent: number): Promise<void> {
  socket.write(header(declared));
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  for (let done = 0; done < sent && !socket.destroyed; done += chunk.length) {
    const part = sent - done < chunk.length ? chunk.subarray(0, sent - done) : chunk;
    if (!socket.write(part)) await new Promise((resolve) => { socket.once('drain', resolve); socket.once('close', resolve); });
  }
}

/** Types of the frames seen so far. */
export function typesSeen(seen: ServerFrames): string[] {
  return seen.texts.map((t) => (JSON.parse(t) as { type: string }).type);
}

/** Waits (at most `ms`) until a frame of `type` arrived or the socket closed. */
export async function untilSeen(peer: RawTcpWs, type: string, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!typesSeen(peer.seen).includes(type) && !peer.socket.destroyed && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
}
