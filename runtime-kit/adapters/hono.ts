/**
 * Hono on Node (`@hono/node-server`): the ARCP endpoint on the server `serve()` returns
 * (`arcp-kit/hono`). Hono's fetch handler never sees upgrade requests; the runtime takes them
 * from the Node server's 'upgrade' event. `serveHono()` loads @hono/node-server itself (the
 * adapter's own optional import); `attachHono()` takes a server you started.
 *
 * @module arcp-kit/hono
 */
import type { ARCPRuntime } from '../runtime/runtime.js';
import type { AttachOptions, UpgradeServer } from '../transport/index.js';
import { attachRuntime, attachServing, bindingOf, UPGRADE_REQUIRED_TEXT, type ARCPAttachment, type ARCPHttpBinding } from './attachment.js';

/** The part of a Hono app this adapter uses (`new Hono()` satisfies it). */
export interface HonoAppLike {
  fetch: (request: Request, ...rest: never[]) => Response | Promise<Response>;
}

export interface ServeHonoOptions extends AttachOptions {
  /** Default 0 (a free port). */
  port?: number;
  /** Default 127.0.0.1; bound to loopback, only loopback Host names are served (`allowedHosts`). */
  hostname?: string;
}

/** A Hono handler for `app.get(path, ...)`: a plain GET at the endpoint gets 426. */
export function arcpRoute(): () => Response {
  return () =>
    new Response(UPGRADE_REQUIRED_TEXT, { status: 426, headers: { 'content-type': 'text/plain; charset=utf-8', upgrade: 'websocket' } });
}

/** Attaches `runtime` to the server `@hono/node-server`'s `serve()` returned (HTTP/1.1 or https). */
export function attachHono(runtime: ARCPRuntime, server: unknown, opts: AttachOptions = {}): ARCPAttachment {
  return attachRuntime(runtime, asUpgradeServer(server), opts);
}

/** Starts the Hono app with @hono/node-server and attaches the runtime; resolves once listening. */
export async function serveHono(app: HonoAppLike, runtime: ARCPRuntime, opts: ServeHonoOptions = {}): Promise<ARCPHttpBinding> {
  let nodeServer: { serve: (o: Record<string, unknown>, onListen: () => void) => unknown };
  try {
    nodeServer = (await import('@hono/node-server')) as unknown as typeof nodeServer;
  } catch (err) {
    throw new Error('serveHono needs the optional peer dependency @hono/node-server (npm install @hono/node-server)', { cause: err });
  }
  return new Promise((resolve, reject) => {
    let attachment: ARCPAttachment | undefined;
    const server = asUpgradeServer(
      nodeServer.serve({ fetch: app.fetch, port: opts.port ?? 0, hostname: opts.hostname ?? '127.0.0.1' }, () => {
        server.off('error', onError);
        resolve(bindingOf(server, attachment!));
      }),
    );
    const onError = (error: Error): void => {
      void attachment?.close();
      reject(error);
    };
    server.once('error', onError);
    attachment = attachServing(runtime, server, opts);
  });
}

function asUpgradeServer(server: unknown): UpgradeServer {
  const s = server as Partial<UpgradeServer> | null;
  if (!s || typeof s.on !== 'function' || typeof s.listenerCount !== 'function' || typeof s.address !== 'function') {
    throw new TypeError('expected the Node server returned by @hono/node-server serve() / createAdaptorServer()');
  }
  return s as UpgradeServer;
}

export type { ARCPAttachment, ARCPHttpBinding } from './attachment.js';
