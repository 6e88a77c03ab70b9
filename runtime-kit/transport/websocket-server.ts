// WebSocket server side: listens standalone or attaches to an existing Node http.Server at a
// path, and hands out one Transport per accepted connection. ws runs in `noServer` mode so we
// route upgrades by path ourselves; that lets several servers share one http.Server.
import { createServer, type IncomingMessage, type Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { Server as TlsServer } from 'node:tls';
import { WebSocketServer } from 'ws';
import { KitError, KIT_ERROR_CODES } from '../errors/kit-error.js';
import { clientAddressResolver, type ClientAddressOptions } from './client-address.js';
import { loopbackDefaultHosts, UpgradeGuard, type UpgradeGuardOptions } from './upgrade-guard.js';
import { hardCeilingBytes, WebSocketTransport, type WebSocketFrameOptions } from './websocket-transport.js';

import { DEFAULT_WS_HOST, DEFAULT_WS_PATH, DEFAULT_WS_PORT } from './websocket-defaults.js';

export { DEFAULT_WS_HOST, DEFAULT_WS_PATH, DEFAULT_WS_PORT };

/** Anything that emits HTTP 'upgrade' events: http.Server or https.Server (for wss://). */
export type UpgradeServer = HttpServer | HttpsServer;

/** Node's largest timer delay; a longer one fires after 1 ms. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export interface ConnectionInfo {
  /** The HTTP upgrade request (headers, url, socket.remoteAddress). */
  request: IncomingMessage;
}

export type ConnectionCallback = (transport: WebSocketTransport, info: ConnectionInfo) => void;

export interface ListenOptions extends WebSocketFrameOptions, UpgradeGuardOptions, ClientAddressOptions {
  host?: string;
  /** Default 7777; 0 picks a free port (read it back from `address()`). */
  port?: number;
  path?: string;
  /**
   * A TCP connection that has not completed its WebSocket upgrade by then is destroyed, so raw
   * sockets that never speak cannot pile up to the fd limit. Default 10 s.
   */
  upgradeTimeoutMs?: number;
  /** Open TCP connections the server accepts (http.Server maxConnections). Default unlimited. */
  maxSockets?: number;
  /** PEM certificate and key: serve wss:// (§14: credentials only over encrypted transports). */
  tls?: { cert: string | Buffer; key: string | Buffer };
}

export interface AttachOptions extends WebSocketFrameOptions, UpgradeGuardOptions, ClientAddressOptions {
  path?: string;
  /**
   * A connection to the attached server that has sent no complete request or upgrade by then is
   * destroyed: Node's HTTP server times out a request only once its first byte arrived, so raw
   * sockets that never speak pile up to the fd limit. Only the first request is timed (keep-alive
   * after it is the server's own policy). Default: none for attach() (the server is yours); the
   * adapters' serving helpers set the runtime's `handshakeTimeoutMs`.
   */
  firstRequestTimeoutMs?: number;
}

export class WebSocketServerTransport {
  private readonly wss: WebSocketServer;
  private readonly frameOpts: WebSocketFrameOptions;
  private path = DEFAULT_WS_PATH;
  private guard = new UpgradeGuard({}, 'any');
  private clientAddress = clientAddressResolver({});
  private httpServer: UpgradeServer | undefined;
  private ownsHttpServer = false;
  private secure = false;
  private onUpgrade: ((req: IncomingMessage, socket: Duplex, head: Buffer) => void) | undefined;
  private callback: ConnectionCallback | undefined;
  // Connections accepted before onConnection() was called wait here instead of being lost.
  private waiting: Array<[WebSocketTransport, ConnectionInfo]> = [];
  private readonly live = new Set<WebSocketTransport>();
  /** Sockets of a standalone server not yet upgraded: destroyed at `upgradeTimeoutMs`. */
  private readonly deadlines = new WeakMap<Duplex, NodeJS.Timeout>();
  private untimeFirstRequest: (() => void) | undefined;

  constructor(opts: WebSocketFrameOptions = {}) {
    this.frameOpts = opts;
    this.wss = new WebSocketServer({ noServer: true, maxPayload: hardCeilingBytes(opts), perMessageDeflate: false });
  }

  /** `await WebSocketServerTransport.listen({ port: 0 })` — a standalone server. */
  static listen(opts: ListenOptions = {}): Promise<WebSocketServerTransport> {
    return new WebSocketServerTransport(opts).listen(opts);
  }

  /** Attach a new server to an existing http.Server at `opts.path` (default `/arcp`). */
  static attach(server: UpgradeServer, opts: AttachOptions = {}): WebSocketServerTransport {
    return new WebSocketServerTransport(opts).attach(server, opts);
  }

  listen(opts: ListenOptions = {}): Promise<this> {
    // Plain HTTP requests get a short answer; only upgrades at `path` are served.
    const answer = (_req: IncomingMessage, res: import('node:http').ServerResponse): void => {
      res.writeHead(426, { 'content-type': 'text/plain' }).end('ARCP WebSocket endpoint: upgrade required\n');
    };
    const upgradeTimeoutMs = opts.upgradeTimeoutMs ?? 10_000;
    // TLS: the handshake has the same deadline; the upgrade's own starts on the TLS socket.
    const server = opts.tls
      ? createHttpsServer({ cert: opts.tls.cert, key: opts.tls.key, ...(Number.isFinite(upgradeTimeoutMs) ? { handshakeTimeout: Math.min(upgradeTimeoutMs, MAX_TIMER_MS) } : {}) }, answer)
      : createServer(answer);
    this.secure = opts.tls !== undefined;
    this.ownsHttpServer = true;
    // A deadline, not an idle timeout (socket.setTimeout): one header byte every few seconds kept
    // an idle timer from firing, and under TLS it stayed armed on the TCP socket after the
    // upgrade (ws clears the TLS socket's only), destroying every wss:// connection quiet that long.
    server.on(opts.tls ? 'secureConnection' : 'connection', (socket: Duplex) => this.upgradeDeadline(socket, upgradeTimeoutMs));
    if (opts.maxSockets !== undefined) server.maxConnections = opts.maxSockets;
    this.attach(server, opts);
    // DNS-rebinding protection: a loopback-bound server answers only to loopback Host names.
    const host = opts.host ?? DEFAULT_WS_HOST;
    this.guard = new UpgradeGuard(opts, loopbackDefaultHosts(host), () => boundHostOf(server));
    return new Promise((resolve, reject) => {
      const onError = (err: Error): void => {
        this.detach();
        reject(
          new KitError(KIT_ERROR_CODES.LISTEN_FAILED, `websocket server could not listen: ${err.message}`, {
            cause: err,
          }),
        );
      };
      server.once('error', onError);
      server.listen(opts.port ?? DEFAULT_WS_PORT, opts.host ?? DEFAULT_WS_HOST, () => {
        server.off('error', onError);
        resolve(this);
      });
    });
  }

  attach(server: UpgradeServer, opts: AttachOptions = {}): this {
    if (this.httpServer) {
      throw new KitError(KIT_ERROR_CODES.ALREADY_STARTED, 'WebSocketServerTransport is already attached or listening');
    }
    this.clientAddress = clientAddressResolver(opts); // first: a bad trustProxy throws before anything is hooked
    this.httpServer = server;
    this.path = opts.path ?? DEFAULT_WS_PATH;
    this.guard = new UpgradeGuard(opts, 'any', () => boundHostOf(server));
    this.onUpgrade = (req, socket, head) => this.handleUpgrade(server, req, socket, head);
    server.on('upgrade', this.onUpgrade);
    if (opts.firstRequestTimeoutMs !== undefined) this.timeFirstRequest(server, opts.firstRequestTimeoutMs);
    return this;
  }

  private timeFirstRequest(server: UpgradeServer, ms: number): void {
    // Under TLS the deadline starts on the TLS socket, the one requests name (the TLS handshake
    // has the server's own handshakeTimeout).
    const event = server instanceof TlsServer ? 'secureConnection' : 'connection';
    const onConnection = (socket: Duplex): void => this.upgradeDeadline(socket, ms);
    // Upgrades clear it in handleUpgrade, which sees every one: a second 'upgrade' listener here
    // would tell handleUpgrade another server owns the other paths, and it would never answer 404.
    const onRequest = (req: IncomingMessage): void => clearTimeout(this.deadlines.get(req.socket));
    server.on(event, onConnection);
    server.on('request', onRequest);
    this.untimeFirstRequest = () => {
      server.off(event, onConnection);
      server.off('request', onRequest);
    };
  }

  /** Register the per-connection callback; connections that arrived earlier are handed over now. */
  onConnection(cb: ConnectionCallback): this {
    this.callback = cb;
    for (const [transport, info] of this.waiting.splice(0)) cb(transport, info);
    return this;
  }

  /** Bound address of a standalone server (undefined when attached to someone else's server). */
  address(): { host: string; port: number } | undefined {
    const addr = this.ownsHttpServer ? (this.httpServer?.address() as AddressInfo | null) : null;
    return addr ? { host: addr.address, port: addr.port } : undefined;
  }

  /** `ws://host:port/path` (`wss://` with `tls`) of a standalone server. */
  get url(): string | undefined {
    const addr = this.address();
    if (!addr) return undefined;
    const host = addr.host.includes(':') ? `[${addr.host}]` : addr.host;
    return `${this.secure ? 'wss' : 'ws'}://${host}:${addr.port}${this.path}`;
  }

  get connectionCount(): number {
    return this.live.size;
  }

  /** Closes every live connection (1001) and stops accepting; closes the http.Server if we own it. */
  async close(reason = 'server shutting down'): Promise<void> {
    const server = this.httpServer;
    this.detach();
    await Promise.all([...this.live].map((t) => t.close(reason)));
    for (const [transport] of this.waiting.splice(0)) await transport.close(reason);
    this.wss.close();
    if (server && this.ownsHttpServer) {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }

  private upgradeDeadline(socket: Duplex, ms: number): void {
    // Infinity (a runtime's handshakeTimeoutMs may be) means none: Node runs a timer past 2^31-1 ms
    // after 1 ms, which destroyed every socket before it could send its request.
    if (!Number.isFinite(ms)) return;
    const timer = setTimeout(() => socket.destroy(), Math.min(ms, MAX_TIMER_MS));
    timer.unref();
    socket.once('close', () => clearTimeout(timer));
    this.deadlines.set(socket, timer);
  }

  private detach(): void {
    this.untimeFirstRequest?.();
    this.untimeFirstRequest = undefined;
    if (this.httpServer && this.onUpgrade) this.httpServer.off('upgrade', this.onUpgrade);
    this.onUpgrade = undefined;
    if (!this.ownsHttpServer) this.httpServer = undefined;
  }

  private handleUpgrade(server: UpgradeServer, req: IncomingMessage, socket: Duplex, head: Buffer): void {
    // An attached server's first-request deadline: an upgrade to any path is a request.
    if (this.untimeFirstRequest) clearTimeout(this.deadlines.get(socket));
    if (pathOf(req) !== this.path) {
      // Another attached server may own this path; answer 404 only if nobody else is listening.
      if (server.listenerCount('upgrade') <= 1) rejectUpgrade(socket, 404, 'Not Found');
      return;
    }
    const verdict = this.guard.check(req);
    if (!verdict.ok) return rejectUpgrade(socket, verdict.status, verdict.text);
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      clearTimeout(this.deadlines.get(socket));
      const remoteAddress = this.clientAddress(req); // the socket's peer, or the client a trusted proxy names
      // `socket` is what ws writes to: the transport corks it per tick (websocket-transport.ts) and counts a frame's bytes while it arrives.
      const transport = new WebSocketTransport(ws, this.frameOpts, { rawSocket: socket, stream: socket, ...(remoteAddress !== undefined ? { remoteAddress } : {}) });
      this.live.add(transport);
      ws.once('close', () => this.live.delete(transport));
      const info = { request: req };
      if (this.callback) this.callback(transport, info);
      else this.waiting.push([transport, info]);
    });
  }
}

function boundHostOf(server: UpgradeServer): string | undefined {
  const addr = server.address();
  return addr !== null && typeof addr === 'object' ? addr.address : undefined;
}

function pathOf(req: IncomingMessage): string {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}

function rejectUpgrade(socket: Duplex, status: number, text: string): void {
  socket.on('error', () => {}); // the peer may already be gone; nothing to report
  socket.once('finish', () => socket.destroy());
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}
