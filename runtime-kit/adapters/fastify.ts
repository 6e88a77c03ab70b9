/**
 * Fastify (4 or 5) plugin: the ARCP endpoint on the instance's own server (`arcp-kit/fastify`).
 * await app.register(arcpFastify, { runtime, path: '/arcp' });
 * The runtime hooks `app.server`'s upgrade events (Fastify does not route upgrades itself), a
 * plain GET at the path answers 426, and `app.close()` ends the ARCP connections first
 * (preClose), so the HTTP server can close. While `app.listen()` has bound a loopback address,
 * only loopback Host names are served (`allowedHosts`, as for runtime.listen()). Fastify is typed
 * structurally: no import of it.
 *
 * @module arcp-kit/fastify
 */
import type { IncomingMessage } from 'node:http';
import type { ARCPRuntime } from '../runtime/runtime.js';
import { DEFAULT_WS_PATH, type AttachOptions, type UpgradeServer } from '../transport/index.js';
import { attachServing, UPGRADE_REQUIRED_TEXT, type ARCPAttachment } from './attachment.js';

export interface FastifyReplyLike {
  code(statusCode: number): FastifyReplyLike;
  header(key: string, value: string): FastifyReplyLike;
  send(payload: string): FastifyReplyLike;
}

/** The part of a Fastify instance this plugin uses (`fastify()` satisfies it). */
export interface FastifyInstanceLike {
  readonly server: UpgradeServer;
  addHook(name: 'preClose', hook: () => Promise<void>): unknown;
  get(path: string, handler: (request: { raw: IncomingMessage }, reply: FastifyReplyLike) => unknown): unknown;
}

export interface ArcpFastifyOptions extends AttachOptions {
  runtime: ARCPRuntime;
  /** Register `GET path` answering 426 Upgrade Required. Default true. */
  route?: boolean;
}

const attachments = new WeakMap<object, ARCPAttachment>();

async function plugin(instance: FastifyInstanceLike, opts: ArcpFastifyOptions): Promise<void> {
  const { runtime, route = true, ...attach } = opts;
  if (!runtime || typeof runtime.attach !== 'function') throw new TypeError('arcpFastify: options.runtime must be an ARCPRuntime');
  const attachment = attachServing(runtime, instance.server, attach);
  attachments.set(instance, attachment);
  instance.addHook('preClose', () => attachment.close());
  if (route) {
    instance.get(attach.path ?? DEFAULT_WS_PATH, (_request, reply) =>
      reply.code(426).header('content-type', 'text/plain; charset=utf-8').header('upgrade', 'websocket').send(UPGRADE_REQUIRED_TEXT),
    );
  }
}

// fastify-plugin's contract, without depending on it: do not encapsulate, so the hook and the
// route belong to the instance the plugin was registered on.
(plugin as unknown as Record<symbol, unknown>)[Symbol.for('skip-override')] = true;
(plugin as unknown as Record<symbol, unknown>)[Symbol.for('fastify.display-name')] = 'arcp-kit';

/** The plugin: `app.register(arcpFastify, { runtime })`. */
export const arcpFastify: (instance: FastifyInstanceLike, opts: ArcpFastifyOptions) => Promise<void> = plugin;

/** The endpoint the plugin attached to `instance` (undefined before registration finished). */
export function arcpAttachmentOf(instance: object): ARCPAttachment | undefined {
  return attachments.get(instance);
}

export type { ARCPAttachment } from './attachment.js';
