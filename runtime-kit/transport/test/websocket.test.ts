import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import WebSocket from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { isKitError } from '../../errors/kit-error.js';
import { connectWebSocket } from '../websocket-client.js';
import { WebSocketServerTransport } from '../websocket-server.js';
import type { WebSocketTransport } from '../websocket-transport.js';
import { collect } from './collector.js';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function echoServer(opts: { maxFrameBytes?: number } = {}): Promise<WebSocketServerTransport> {
  const server = await WebSocketServerTransport.listen({ host: '127.0.0.1', port: 0, ...opts });
  cleanups.push(() => server.close());
  server.onConnection((t) => {
    t.start({ message: (f) => t.send(f), close() {}, error: (e) => t.send(JSON.stringify({ error: e.code })) });
  });
  return server;
}

async function connect(url: string, opts = {}): Promise<WebSocketTransport> {
  const t = await connectWebSocket(url, opts);
  cleanups.push(() => t.close());
  return t;
}

function rawSocket(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
    cleanups.push(async () => ws.terminate());
  });
}

describe('websocket transport', () => {
  it('round-trips text frames in order between client and standalone server', async () => {
    const server = await echoServer();
    expect(server.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/arcp$/);
    const client = await connect(server.url!);
    const got = collect(client);
    for (let i = 0; i < 200; i++) client.send(JSON.stringify({ i }));
    const frames = await got.frameCount(200);
    expect(frames.map((f) => JSON.parse(f).i)).toEqual([...Array(200).keys()]);
    expect(client.kind).toBe('websocket');
    expect(client.isOpen).toBe(true);
  });

  it('keeps every frame of a burst larger than the socket buffers, exposing bufferedAmount', async () => {
    const server = await echoServer();
    const client = await connect(server.url!);
    const got = collect(client);
    const pad = 'p'.repeat(10_000);
    for (let i = 0; i < 2000; i++) client.send(JSON.stringify({ i, pad }));
    // 20 MB written in one tick cannot all be in the kernel yet: the rest waits in our buffer.
    expect(client.bufferedAmount).toBeGreaterThan(0);
    const frames = await got.frameCount(2000);
    expect(frames.map((f) => JSON.parse(f).i)).toEqual([...Array(2000).keys()]);
    expect(client.bufferedAmount).toBe(0);
  });

  it('passes connection headers to the server callback', async () => {
    const server = await WebSocketServerTransport.listen({ port: 0 });
    cleanups.push(() => server.close());
    const seen = new Promise<string | undefined>((resolve) =>
      server.onConnection((t, info) => {
        t.start({ message() {}, close() {}, error() {} });
        resolve(String(info.request.headers['x-test']));
      }),
    );
    await connect(server.url!, { headers: { 'x-test': 'hello' } });
    expect(await seen).toBe('hello');
  });

  it('queues connections that arrive before onConnection()', async () => {
    const server = await WebSocketServerTransport.listen({ port: 0 });
    cleanups.push(() => server.close());
    const client = await connect(server.url!);
    client.send('{"early":true}');
    const serverSide = await new Promise<WebSocketTransport>((resolve) => server.onConnection(resolve));
    expect(await collect(serverSide).frameCount(1)).toEqual(['{"early":true}']);
  });

  it('reports a binary frame, drops it, and keeps the connection working', async () => {
    const server = await echoServer();
    const ws = await rawSocket(server.url!);
    const replies: string[] = [];
    const two = new Promise<void>((resolve) =>
      ws.on('message', (d) => {
        replies.push(d.toString());
        if (replies.length === 2) resolve();
      }),
    );
    ws.send(Buffer.from([1, 2, 3]), { binary: true });
    ws.send('{"after":1}');
    await two;
    expect(replies).toEqual([JSON.stringify({ error: 'ARCP_KIT_BINARY_FRAME' }), '{"after":1}']);
  });

  it('reports an oversized frame, drops it, and keeps the connection working', async () => {
    const server = await echoServer({ maxFrameBytes: 1024 });
    const client = await connect(server.url!);
    const got = collect(client);
    client.send(JSON.stringify({ pad: 'x'.repeat(5000) }));
    client.send('{"small":true}');
    expect(await got.frameCount(2)).toEqual([JSON.stringify({ error: 'ARCP_KIT_FRAME_TOO_LARGE' }), '{"small":true}']);
    expect(client.isOpen).toBe(true);
  });

  it('client side also enforces its own maxFrameBytes', async () => {
    const server = await echoServer();
    const client = await connect(server.url!, { maxFrameBytes: 100 });
    const got = collect(client);
    client.send(JSON.stringify({ pad: 'y'.repeat(200) }));
    client.send('{"ok":1}');
    const [err] = await got.errorCount(1);
    expect(isKitError(err, 'ARCP_KIT_FRAME_TOO_LARGE')).toBe(true);
    expect(err!.details).toMatchObject({ maxFrameBytes: 100 });
    expect(await got.frameCount(1)).toEqual(['{"ok":1}']);
  });

  it('close propagates: server closing a connection closes the client with code and reason', async () => {
    const server = await WebSocketServerTransport.listen({ port: 0 });
    cleanups.push(() => server.close());
    server.onConnection((t) => {
      t.start({ message: () => void t.close('bye now'), close() {}, error() {} });
    });
    const client = await connect(server.url!);
    const got = collect(client);
    client.send('{}');
    const info = await got.closed;
    expect(info).toMatchObject({ code: 1000, reason: 'bye now' });
    expect(client.isOpen).toBe(false);
    expect(() => client.send('{}')).toThrowError(/closed/);
  });

  it('send after close throws ARCP_KIT_TRANSPORT_CLOSED', async () => {
    const server = await echoServer();
    const client = await connect(server.url!);
    collect(client);
    await client.close();
    let caught: unknown;
    try {
      client.send('{}');
    } catch (err) {
      caught = err;
    }
    expect(isKitError(caught, 'ARCP_KIT_TRANSPORT_CLOSED')).toBe(true);
  });

  it('connect failure rejects with ARCP_KIT_CONNECT_FAILED (refused and wrong path)', async () => {
    const server = await echoServer();
    const port = server.address()!.port;
    await expect(connectWebSocket(`ws://127.0.0.1:${port}/elsewhere`)).rejects.toMatchObject({
      code: 'ARCP_KIT_CONNECT_FAILED',
      details: { status: 404 },
    });
    const dead = createServer();
    await new Promise<void>((r) => dead.listen(0, '127.0.0.1', r));
    const deadPort = (dead.address() as AddressInfo).port;
    await new Promise((r) => dead.close(r));
    await expect(connectWebSocket(`ws://127.0.0.1:${deadPort}/arcp`)).rejects.toMatchObject({
      code: 'ARCP_KIT_CONNECT_FAILED',
    });
    await expect(connectWebSocket('not a url')).rejects.toMatchObject({ code: 'ARCP_KIT_CONNECT_FAILED' });
  });

  it('listen on a busy port rejects with ARCP_KIT_LISTEN_FAILED', async () => {
    const server = await echoServer();
    await expect(WebSocketServerTransport.listen({ port: server.address()!.port })).rejects.toMatchObject({
      code: 'ARCP_KIT_LISTEN_FAILED',
    });
  });

  it('server.close() closes live connections', async () => {
    const server = await echoServer();
    const client = await connect(server.url!);
    const got = collect(client);
    client.send('{}');
    await got.frameCount(1);
    expect(server.connectionCount).toBe(1);
    await server.close();
    expect((await got.closed).code).toBe(1000);
  });
});

describe('websocket server attached to an existing http.Server', () => {
  async function httpServer(): Promise<{ server: Server; port: number }> {
    const server = createServer((_req, res) => res.writeHead(200).end('plain http'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise((r) => server.close(r)));
    return { server, port: (server.address() as AddressInfo).port };
  }

  it('serves websocket at its path while the http server keeps serving requests', async () => {
    const { server, port } = await httpServer();
    const wss = WebSocketServerTransport.attach(server, { path: '/rpc/arcp' });
    cleanups.push(() => wss.close());
    wss.onConnection((t) => t.start({ message: (f) => t.send(f), close() {}, error() {} }));
    const client = await connect(`ws://127.0.0.1:${port}/rpc/arcp?x=1`);
    const got = collect(client);
    client.send('{"via":"attach"}');
    expect(await got.frameCount(1)).toEqual(['{"via":"attach"}']);
    const body = await new Promise<string>((resolve) =>
      request({ port, host: '127.0.0.1', path: '/' }, (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve(text));
      }).end(),
    );
    expect(body).toBe('plain http');
    expect(wss.address()).toBeUndefined();
  });

  it('refuses upgrades at other paths with 404', async () => {
    const { server, port } = await httpServer();
    const wss = WebSocketServerTransport.attach(server);
    cleanups.push(() => wss.close());
    await expect(connectWebSocket(`ws://127.0.0.1:${port}/other`)).rejects.toMatchObject({
      code: 'ARCP_KIT_CONNECT_FAILED',
      details: { status: 404 },
    });
  });

  it('two servers share one http.Server at different paths', async () => {
    const { server, port } = await httpServer();
    const one = WebSocketServerTransport.attach(server, { path: '/one' });
    const two = WebSocketServerTransport.attach(server, { path: '/two' });
    cleanups.push(() => one.close(), () => two.close());
    one.onConnection((t) => t.start({ message: () => t.send('"one"'), close() {}, error() {} }));
    two.onConnection((t) => t.start({ message: () => t.send('"two"'), close() {}, error() {} }));
    const c2 = await connect(`ws://127.0.0.1:${port}/two`);
    const got = collect(c2);
    c2.send('{}');
    expect(await got.frameCount(1)).toEqual(['"two"']);
  });

  it('close() detaches without closing the borrowed http.Server', async () => {
    const { server, port } = await httpServer();
    const wss = WebSocketServerTransport.attach(server);
    await wss.close();
    expect(server.listening).toBe(true);
    expect(server.listenerCount('upgrade')).toBe(0);
    await expect(connectWebSocket(`ws://127.0.0.1:${port}/arcp`)).rejects.toMatchObject({
      code: 'ARCP_KIT_CONNECT_FAILED',
    });
  });
});

describe('wss:// (TLS)', () => {
  it('round-trips over an https.Server with a test certificate', async () => {
    const { createServer: createHttpsServer } = await import('node:https');
    const { readFileSync } = await import('node:fs');
    const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url));
    const cert = fixture('test-cert.pem');
    const server = createHttpsServer({ cert, key: fixture('test-key.pem') });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise((r) => server.close(r)));
    const wss = WebSocketServerTransport.attach(server);
    cleanups.push(() => wss.close());
    wss.onConnection((t) => t.start({ message: (f) => t.send(f), close() {}, error() {} }));
    const port = (server.address() as AddressInfo).port;
    const client = await connect(`wss://127.0.0.1:${port}/arcp`, { tls: { ca: cert } });
    const got = collect(client);
    client.send('{"secure":true}');
    expect(await got.frameCount(1)).toEqual(['{"secure":true}']);
    // Without trusting the test CA the handshake fails cleanly.
    await expect(connectWebSocket(`wss://127.0.0.1:${port}/arcp`)).rejects.toMatchObject({
      code: 'ARCP_KIT_CONNECT_FAILED',
    });
  });
});

describe('upgradeTimeoutMs is a deadline for the upgrade, and only for it', () => {
  const UPGRADE_MS = 200;

  it('listen({ tls }): a wss:// connection quiet for longer than upgradeTimeoutMs after its upgrade stays open', async () => {
    const { readFileSync } = await import('node:fs');
    const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url));
    const cert = fixture('test-cert.pem');
    const server = await WebSocketServerTransport.listen({ host: '127.0.0.1', port: 0, upgradeTimeoutMs: UPGRADE_MS, tls: { cert, key: fixture('test-key.pem') } });
    cleanups.push(() => server.close());
    server.onConnection((t) => t.start({ message: (f) => t.send(f), close() {}, error() {} }));
    const client = await connect(server.url!, { tls: { ca: cert } });
    const got = collect(client);
    // Before, the idle timer stayed armed on the TCP socket under TLS (ws clears it on the TLS
    // socket only): every wss:// connection quiet this long was destroyed (1006), heartbeats or not.
    await new Promise((resolve) => setTimeout(resolve, 4 * UPGRADE_MS));
    expect(client.isOpen).toBe(true);
    client.send('{"still":"open"}');
    expect(await got.frameCount(1)).toEqual(['{"still":"open"}']);
  });

  it('a raw socket trickling its upgrade request one byte at a time is destroyed at the deadline, not kept alive by each byte', async () => {
    const server = await WebSocketServerTransport.listen({ host: '127.0.0.1', port: 0, upgradeTimeoutMs: UPGRADE_MS });
    cleanups.push(() => server.close());
    const { connect: tcp } = await import('node:net');
    const socket = tcp(server.address()!.port, '127.0.0.1');
    cleanups.push(async () => socket.destroy());
    socket.on('error', () => {});
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.write('GET /arcp HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ');
    // An idle timeout restarts on every byte: before, this socket stayed until Node's own 60 s headersTimeout.
    const trickle = setInterval(() => socket.write('a'), UPGRADE_MS / 4);
    try {
      await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 20 * UPGRADE_MS))]);
      expect(socket.destroyed).toBe(true);
    } finally {
      clearInterval(trickle);
    }
  });
});
