/**
 * Node http / https: attach the runtime to a server the embedder created (`arcp-kit/node`).
 *
 * @module arcp-kit/node
 */
import { createServer as createHttpServer, type RequestListener } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { ARCPRuntime } from '../runtime/runtime.js';
import type { AttachOptions, UpgradeServer } from '../transport/index.js';
import { answerUpgradeRequired, attachServing, bindingOf, listening, type ARCPAttachment, type ARCPHttpBinding } from './attachment.js';

export { attachRuntime } from './attachment.js';

export interface ListenNodeOptions extends AttachOptions {
  port?: number;
  /** Default 127.0.0.1; bound to loopback, only loopback Host names are served (`allowedHosts`). */
  host?: string;
  /** Requests that are not WebSocket upgrades; default: 426 at `path`, 404 elsewhere. */
  handler?: RequestListener;
  /** PEM certificate and key: https + wss://. */
  tls?: { cert: string | Buffer; key: string | Buffer };
}

/** Creates an http (or https) server, attaches `runtime` at `path` and listens. */
export async function listenNode(runtime: ARCPRuntime, opts: ListenNodeOptions = {}): Promise<ARCPHttpBinding> {
  const path = opts.path ?? '/arcp';
  const handler: RequestListener =
    opts.handler ??
    ((req, res) => {
      if ((req.url ?? '/').split('?')[0] === path) return answerUpgradeRequired(req, res);
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found\n');
    });
  const server: UpgradeServer = opts.tls ? createHttpsServer({ cert: opts.tls.cert, key: opts.tls.key }, handler) : createHttpServer(handler);
  const attachment: ARCPAttachment = attachServing(runtime, server, opts);
  await listening(server, opts.port ?? 0, opts.host ?? '127.0.0.1').catch(async (err: unknown) => {
    await attachment.close();
    throw err;
  });
  return bindingOf(server, attachment, opts.tls !== undefined);
}

export type { ARCPAttachment, ARCPHttpBinding } from './attachment.js';
