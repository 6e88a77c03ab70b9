// What every framework adapter shares: the runtime's WebSocket endpoint hooked to the 'upgrade'
// events of the framework's own Node HTTP server, so the framework keeps serving its routes on
// the same port. Frameworks are typed structurally here; no adapter loads a framework itself.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ARCPRuntime } from '../runtime/runtime.js';
import { DEFAULT_WS_PATH, type AttachOptions, type UpgradeServer, type WebSocketServerTransport } from '../transport/index.js';

export type { AttachOptions } from '../transport/index.js';

/** The runtime's endpoint on someone else's HTTP server. */
export interface ARCPAttachment {
  /** The upgrade path (default `/arcp`). */
  readonly path: string;
  /** The WebSocket server transport (`connectionCount`, ...). */
  readonly transport: WebSocketServerTransport;
  /**
   * Closes the ARCP connections on this server and stops answering upgrades at `path`; the HTTP
   * server keeps running. Call it before closing the HTTP server: Node's `server.close()` waits
   * for every open socket, upgraded WebSockets included.
   */
  close(): Promise<void>;
}

/** A listening HTTP server that carries an ARCP endpoint (what the `listen*` helpers return). */
export interface ARCPHttpBinding {
  readonly attachment: ARCPAttachment;
  /** `ws://host:port/path` of the endpoint. */
  readonly url: string;
  /** `http://host:port` of the framework's routes. */
  readonly httpUrl: string;
  /** Closes the ARCP connections, then the HTTP server. */
  close(): Promise<void>;
}

/** Attaches `runtime` to an http or https server at `opts.path` (default `/arcp`). */
export function attachRuntime(runtime: ARCPRuntime, server: UpgradeServer, opts: AttachOptions = {}): ARCPAttachment {
  const transport = runtime.attach(server, opts);
  const path = opts.path ?? DEFAULT_WS_PATH;
  let closing: Promise<void> | undefined;
  return {
    path,
    transport,
    close: () => (closing ??= transport.close('server shutting down')),
  };
}

/**
 * attachRuntime for the helpers that serve the framework's server themselves (listenNode,
 * listenExpress, serveHono, the Fastify plugin): as with runtime.listen(), a server bound to a
 * loopback address answers only to loopback Host names (DNS rebinding, transport/upgrade-guard.ts)
 * unless `allowedHosts` widens it ('any' turns it off), and a connection that sends no request
 * within the runtime's `handshakeTimeoutMs` is destroyed (`firstRequestTimeoutMs`).
 */
export function attachServing(runtime: ARCPRuntime, server: UpgradeServer, opts: AttachOptions = {}): ARCPAttachment {
  return attachRuntime(runtime, server, {
    ...opts,
    allowedHosts: opts.allowedHosts ?? 'auto',
    firstRequestTimeoutMs: opts.firstRequestTimeoutMs ?? runtime.options.limits.handshakeTimeoutMs,
  });
}

/** A server's bound address as `{host, port}` (throws when it is not listening on TCP). */
export function boundAddress(server: { address(): unknown }): { host: string; port: number } {
  const addr = server.address();
  if (addr === null || typeof addr !== 'object' || typeof (addr as { port?: unknown }).port !== 'number') {
    throw new TypeError('the HTTP server is not listening on a TCP port');
  }
  const { address, port } = addr as { address: string; port: number };
  return { host: address.includes(':') ? `[${address}]` : address, port };
}

/** The binding for a listening server: ARCP closes first, then the HTTP server. */
export function bindingOf(server: UpgradeServer, attachment: ARCPAttachment, secure = false): ARCPHttpBinding {
  const { host, port } = boundAddress(server);
  return {
    attachment,
    url: `${secure ? 'wss' : 'ws'}://${host}:${port}${attachment.path}`,
    httpUrl: `${secure ? 'https' : 'http'}://${host}:${port}`,
    async close() {
      await attachment.close();
      await closeServer(server);
    },
  };
}

/** `server.close()` as a promise; a server that is already closed counts as closed. */
export function closeServer(server: { close(cb: (err?: Error) => void): unknown }): Promise<void> {
  return new Promise((resolve, reject) =>
    server.close((err?: Error) => (err && (err as NodeJS.ErrnoException).code !== 'ERR_SERVER_NOT_RUNNING' ? reject(err) : resolve())),
  );
}

/** `server.listen(port, host)` as a promise (rejects with the listen error, e.g. EADDRINUSE). */
export function listening(server: UpgradeServer, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

export const UPGRADE_REQUIRED_TEXT = 'ARCP WebSocket endpoint: upgrade required\n';

/** Answers a plain HTTP request to the endpoint with 426 (Node / Express response objects). */
export function answerUpgradeRequired(_req: IncomingMessage, res: ServerResponse): void {
  res.writeHead(426, { 'content-type': 'text/plain; charset=utf-8', upgrade: 'websocket', connection: 'Upgrade' }).end(UPGRADE_REQUIRED_TEXT);
}
