// The runtime attached to real frameworks (Node http, Express, Fastify, Hono on @hono/node-server):
// on one port the framework keeps serving its own routes, a plain GET at the ARCP path gets 426,
// our ARCPClient connects over WebSocket, submits and gets the result, and closing the binding
// (with a client still connected) ends the ARCP connection and the HTTP server. Bound to
// loopback, every helper refuses a DNS-rebound upgrade (a Host that is not a loopback name) with
// 421, as runtime.listen() does.
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import express from 'express';
import Fastify from 'fastify';
import { Hono } from 'hono';
import { serve as serveNode } from '@hono/node-server';
import { afterEach, describe, expect, it } from 'vitest';
import { ARCPClient } from '../../client/index.js';
import { ARCPRuntime } from '../../runtime/index.js';
import type { RuntimeLimitsOptions } from '../../runtime/limits/limits-options.js';
import { connectWebSocket } from '../../transport/index.js';
import { attachRuntime, bindingOf, type ARCPHttpBinding } from '../attachment.js';
import { arcpRoute as expressRoute, listenExpress } from '../express.js';
import { arcpAttachmentOf, arcpFastify } from '../fastify.js';
import { arcpRoute as honoRoute, attachHono, serveHono } from '../hono.js';
import { listenNode } from '../node.js';

const PATH = '/arcp';

function newRuntime(limits: RuntimeLimitsOptions = {}): ARCPRuntime {
  return new ARCPRuntime({ tokens: { t: 'alice' }, limits }).registerAgent('echo', (input) => ({ echoed: input }), { version: '1.0.0', default: true });
}

interface Setup {
  name: string;
  start(runtime: ARCPRuntime): Promise<ARCPHttpBinding>;
}

const setups: Setup[] = [
  {
    name: 'node http',
    start: (runtime) =>
      listenNode(runtime, {
        path: PATH,
        handler: (req, res) => {
          if (req.url === '/health') return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
          res.writeHead(426).end();
        },
      }),
  },
  {
    name: 'express',
    start: (runtime) => {
      const app = express();
      app.get('/health', (_req, res) => void res.json({ ok: true }));
      app.get(PATH, expressRoute());
      return listenExpress(app, runtime, { path: PATH });
    },
  },
  {
    name: 'fastify',
    async start(runtime) {
      const app = Fastify();
      app.get('/health', async () => ({ ok: true }));
      await app.register(arcpFastify, { runtime, path: PATH });
      await app.listen({ port: 0, host: '127.0.0.1' });
      const attachment = arcpAttachmentOf(app)!;
      const binding = bindingOf(app.server, attachment);
      return { ...binding, close: () => app.close() };
    },
  },
  {
    name: 'hono (serveHono)',
    start: (runtime) => {
      const app = new Hono();
      app.get('/health', (c) => c.json({ ok: true }));
      app.get(PATH, honoRoute());
      return serveHono(app, runtime, { path: PATH });
    },
  },
  {
    name: 'hono (attachHono on serve())',
    async start(runtime) {
      const app = new Hono();
      app.get('/health', (c) => c.json({ ok: true }));
      app.get(PATH, honoRoute());
      const server = await new Promise<ReturnType<typeof serveNode>>((resolve) => {
        const s = serveNode({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
      });
      // attach*() on your own server checks no Host unless asked; 'auto' is the helpers' default.
      const attachment = attachHono(runtime, server, { path: PATH, allowedHosts: 'auto' });
      return bindingOf(server as Parameters<typeof attachRuntime>[1], attachment);
    },
  },
];

let cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const fn of cleanup.reverse()) await fn().catch(() => {});
  cleanup = [];
});

/** A new runtime served by `setup`; both closed after the test. */
async function started(setup: Setup, limits: RuntimeLimitsOptions = {}): Promise<ARCPHttpBinding> {
  const runtime = newRuntime(limits);
  cleanup.push(() => runtime.close());
  const binding = await setup.start(runtime);
  cleanup.push(() => binding.close());
  return binding;
}

describe.each(setups)('runtime attached to $name', (setup) => {
  it('serves ARCP on the path while the framework serves its routes, and closes cleanly', async () => {
    const binding = await started(setup);
    expect(binding.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/arcp$/);

    const health = await fetch(`${binding.httpUrl}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ ok: true });
    expect((await fetch(`${binding.httpUrl}${PATH}`)).status).toBe(426);

    const client = new ARCPClient({ client: { name: 'adapter-test', version: '1.0.0' }, token: 't' });
    cleanup.push(() => client.close());
    const welcome = await client.connect(await connectWebSocket(binding.url));
    expect(welcome.agents.map((a) => a.name)).toContain('echo');
    const handle = await client.submit({ agent: 'echo', input: { n: 1 } });
    expect((await handle.done).result).toEqual({ echoed: { n: 1 } });
    expect(binding.attachment.transport.connectionCount).toBe(1);

    // An upgrade on another path is refused, not hung.
    await expect(connectWebSocket(`${binding.url.replace(PATH, '/other')}`)).rejects.toThrow(/404/);

    const disconnected = new Promise((resolve) => client.on('disconnected', resolve));
    await binding.close(); // must not hang on the live WebSocket
    await disconnected;
    expect(binding.attachment.transport.connectionCount).toBe(0);
    await expect(fetch(`${binding.httpUrl}/health`)).rejects.toThrow();
  });
});

const statusOf = (err: unknown) => (err as { details?: { status?: number } }).details?.status;

describe.each(setups)('DNS rebinding: $name bound to 127.0.0.1', (setup) => {
  it('refuses an upgrade with Host evil.example:PORT (421) and serves loopback Host names', async () => {
    const binding = await started(setup);
    const port = new URL(binding.httpUrl).port;
    const rebound = await connectWebSocket(binding.url, { headers: { Host: `evil.example:${port}` } }).then(() => 'connected', (e: unknown) => e);
    expect(statusOf(rebound)).toBe(421);
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`]) {
      const t = await connectWebSocket(binding.url, { headers: { Host: host } });
      expect(t.isOpen, host).toBe(true);
      await t.close();
    }
    expect(binding.attachment.transport.connectionCount).toBe(0);
  });
});

/** A raw TCP connection to the binding that writes `request` (if any), read until it closes. */
async function rawSocket(binding: ARCPHttpBinding, request?: string): Promise<{ socket: Socket; reply: () => string; closed: Promise<void> }> {
  const { port } = new URL(binding.httpUrl);
  const socket = connect(Number(port), '127.0.0.1');
  await once(socket, 'connect');
  let reply = '';
  socket.on('data', (d) => (reply += String(d)));
  socket.on('error', () => {});
  const closed = once(socket, 'close').then(() => undefined);
  cleanup.push(async () => void socket.destroy());
  if (request !== undefined) socket.write(request);
  return { socket, reply: () => reply, closed };
}

const within = <T>(p: Promise<T>, ms: number, what: string): Promise<T> =>
  Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms))]);

// The helpers that serve the framework's server (attachHono on a server of your own is not one).
describe.each(setups.filter((s) => !s.name.includes('attachHono')))('silent sockets: $name', (setup) => {
  it('a connection that sends no request within handshakeTimeoutMs is destroyed; one that did keeps its keep-alive', async () => {
    const binding = await started(setup, { handshakeTimeoutMs: 300 });
    const silent = await rawSocket(binding);
    const served = await rawSocket(binding, 'GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n');
    await within(silent.closed, 10_000, 'silent socket closed');
    // Node's own keep-alive timeout (5 s) is longer than the 300 ms deadline: still open here.
    expect(served.reply()).toMatch(/^HTTP\/1\.1 200/);
    expect(served.socket.destroyed).toBe(false);
  });
});

describe('no handshake deadline on the helpers', () => {
  it('handshakeTimeoutMs: Infinity (no deadline) keeps silent sockets and serves clients (Node ran the Infinity timer after 1 ms and destroyed every socket)', async () => {
    const binding = await started(setups[0]!, { handshakeTimeoutMs: Infinity });
    const silent = await rawSocket(binding);
    const client = new ARCPClient({ client: { name: 't', version: '1' }, token: 't' });
    cleanup.push(() => client.close());
    await client.connect(await connectWebSocket(binding.url));
    const handle = await client.submit({ agent: 'echo', input: 1 });
    await expect(handle.done).resolves.toMatchObject({ finalStatus: 'success' });
    // The whole session above happened after the silent socket connected.
    expect(silent.socket.destroyed).toBe(false);
  });
});

describe('allowedHosts on the helpers', () => {
  it('a list widens the default to the names given (a proxy keeping its public Host); \'any\' turns the check off', async () => {
    const runtime = newRuntime();
    cleanup.push(() => runtime.close());
    const listed = await listenExpress(express(), runtime, { path: PATH, allowedHosts: ['app.example'] });
    cleanup.push(() => listed.close());
    const port = new URL(listed.httpUrl).port;
    const named = await connectWebSocket(listed.url, { headers: { Host: `app.example:${port}` } });
    expect(named.isOpen).toBe(true);
    await named.close();
    const other = await connectWebSocket(listed.url, { headers: { Host: `evil.example:${port}` } }).then(() => 'connected', (e: unknown) => e);
    expect(statusOf(other)).toBe(421);

    const open = await serveHono(new Hono(), runtime, { path: PATH, allowedHosts: 'any' });
    cleanup.push(() => open.close());
    const anyHost = await connectWebSocket(open.url, { headers: { Host: `evil.example:${new URL(open.httpUrl).port}` } });
    expect(anyHost.isOpen).toBe(true);
    await anyHost.close();
  });

  it('allowedOrigins passes through as for runtime.listen(): a browser Origin outside the list gets 403', async () => {
    const runtime = newRuntime();
    cleanup.push(() => runtime.close());
    const app = Fastify();
    await app.register(arcpFastify, { runtime, path: PATH, allowedOrigins: ['http://localhost:3000'] });
    await app.listen({ port: 0, host: '127.0.0.1' });
    cleanup.push(() => app.close());
    const url = bindingOf(app.server, arcpAttachmentOf(app)!).url;
    const foreign = await connectWebSocket(url, { headers: { Origin: 'http://evil.example' } }).then(() => 'connected', (e: unknown) => e);
    expect(statusOf(foreign)).toBe(403);
    const local = await connectWebSocket(url, { headers: { Origin: 'http://localhost:3000' } });
    expect(local.isOpen).toBe(true);
    await local.close();
  });
});

describe('listenNode with tls (https + wss)', () => {
  it('serves wss:// on an https server and the client connects with the CA', async () => {
    const fixtures = new URL('../../transport/test/fixtures/', import.meta.url);
    const cert = readFileSync(new URL('test-cert.pem', fixtures));
    const key = readFileSync(new URL('test-key.pem', fixtures));
    const runtime = newRuntime();
    cleanup.push(() => runtime.close());
    const binding = await listenNode(runtime, { tls: { cert, key }, path: PATH });
    cleanup.push(() => binding.close());
    expect(binding.url).toMatch(/^wss:\/\/127\.0\.0\.1:\d+\/arcp$/);
    expect(binding.httpUrl).toMatch(/^https:/);
    const client = new ARCPClient({ client: { name: 'adapter-test', version: '1.0.0' }, token: 't' });
    cleanup.push(() => client.close());
    await client.connect(await connectWebSocket(binding.url, { tls: { ca: cert } }));
    const handle = await client.submit({ agent: 'echo', input: 'over tls' });
    expect((await handle.done).result).toEqual({ echoed: 'over tls' });
    // Without the CA the TLS handshake is refused: it really is TLS.
    await expect(connectWebSocket(binding.url)).rejects.toThrow();
  });
});

describe('bad arguments get clear errors', () => {
  it('the Fastify plugin without a runtime, attachHono with something that is not a server', async () => {
    const app = Fastify();
    cleanup.push(() => app.close());
    await expect(app.register(arcpFastify, {} as never).ready()).rejects.toThrow(/options.runtime must be an ARCPRuntime/);
    expect(() => attachHono(newRuntime(), { fetch() {} })).toThrow(/expected the Node server returned by @hono\/node-server/);
  });

  it('a port in use rejects listenExpress with the listen error (EADDRINUSE)', async () => {
    const runtime = newRuntime();
    cleanup.push(() => runtime.close());
    const first = await listenNode(runtime, {});
    cleanup.push(() => first.close());
    const port = Number(new URL(first.httpUrl).port);
    await expect(listenExpress(express(), runtime, { port })).rejects.toMatchObject({ code: 'EADDRINUSE' });
  });
});

describe('attachRuntime', () => {
  it('two runtimes share one server on different paths', async () => {
    const a = newRuntime();
    const b = new ARCPRuntime({ tokens: { t: 'bob' } }).registerAgent('other', () => 'b', { default: true, version: '1.0.0' });
    cleanup.push(() => a.close(), () => b.close());
    const binding = await listenNode(a, { path: '/a' });
    cleanup.push(() => binding.close());
    const server = (binding.attachment.transport as unknown as { httpServer: Parameters<typeof attachRuntime>[1] }).httpServer;
    const second = attachRuntime(b, server, { path: '/b' });
    cleanup.push(() => second.close());
    const client = new ARCPClient({ client: { name: 'adapter-test', version: '1.0.0' }, token: 't' });
    cleanup.push(() => client.close());
    const welcome = await client.connect(await connectWebSocket(binding.url.replace('/a', '/b')));
    expect(welcome.agents.map((x) => x.name)).toEqual(['other']);
  });
});
