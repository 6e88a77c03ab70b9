/**
 * Express (4 or 5): the ARCP endpoint on the app's own server (`arcp-kit/express`). Express has
 * no upgrade routing of its own, so the runtime hooks the http.Server that `app.listen()`
 * returns; `arcpRoute()` answers plain HTTP requests at the path with 426 instead of a 404.
 * Express is typed structurally: this module never imports it.
 *
 * @module arcp-kit/express
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ARCPRuntime } from '../runtime/runtime.js';
import type { AttachOptions, UpgradeServer } from '../transport/index.js';
import { answerUpgradeRequired, attachRuntime, attachServing, bindingOf, type ARCPAttachment, type ARCPHttpBinding } from './attachment.js';

/** The part of an Express application this adapter uses (`express()` satisfies it). */
export interface ExpressAppLike {
  listen(port: number, hostname: string, callback: (error?: Error) => void): UpgradeServer;
}

export interface ListenExpressOptions extends AttachOptions {
  /** Default 0 (a free port; read it from the binding's url). */
  port?: number;
  /** Default 127.0.0.1; bound to loopback, only loopback Host names are served (`allowedHosts`). */
  host?: string;
}

/** Express middleware: a plain GET to the endpoint gets 426 Upgrade Required. Mount it at the path. */
export function arcpRoute(): (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void {
  return (req, res) => answerUpgradeRequired(req, res);
}

/** Attaches `runtime` to the server an Express app is listening on. */
export function attachExpress(runtime: ARCPRuntime, server: UpgradeServer, opts: AttachOptions = {}): ARCPAttachment {
  return attachRuntime(runtime, server, opts);
}

/** `app.listen()` plus the ARCP endpoint; `close()` ends the ARCP connections, then the server. */
export function listenExpress(app: ExpressAppLike, runtime: ARCPRuntime, opts: ListenExpressOptions = {}): Promise<ARCPHttpBinding> {
  return new Promise((resolve, reject) => {
    let attachment: ARCPAttachment | undefined;
    // Express 5 passes a listen error to the callback; Express 4 emits it on the server.
    const server = app.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', (error?: Error) => {
      server.off('error', onError);
      if (error) return onError(error);
      resolve(bindingOf(server, attachment!));
    });
    const onError = (error: Error): void => {
      void attachment?.close();
      reject(error);
    };
    server.once('error', onError);
    attachment = attachServing(runtime, server, opts);
  });
}

export type { ARCPAttachment, ARCPHttpBinding } from './attachment.js';
