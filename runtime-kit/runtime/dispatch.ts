// Inbound routing: one table keyed by wire type. Each handler module registers its types in
// handlers/index.ts; adding a message (e.g. session.list_jobs, job.subscribe) is one new file
// plus one line there. Gating that is the same for every type lives here, not in handlers.
import { MESSAGES, type ArcpMessage, type Feature, type MessageType } from '../../generated/index.js';
import { arcpError } from '../errors/index.js';
import type { Connection } from './connection.js';
import type { RuntimeCore } from './core.js';
import type { Session } from './session.js';

export interface HandlerContext {
  core: RuntimeCore;
  connection: Connection;
  /** The bound session; undefined only for handlers with `phase: 'handshake'`. */
  session: Session | undefined;
}

export interface MessageHandler {
  /** Types this handler accepts (client-to-runtime or both). */
  types: readonly MessageType[];
  /**
   * `handshake`: allowed before the welcome (hello, resume); `session`: only on a bound
   * connection; `any`: both.
   */
  phase: 'handshake' | 'session' | 'any';
  /**
   * What to do when the message's feature flag (registry `feature`) was not negotiated:
   * `reject` (INVALID_REQUEST, catalog §10 #14), `ignore` (ack, §10 #13) or `handle` (ping: always pong).
   */
  whenNotNegotiated?: 'reject' | 'ignore' | 'handle';
  handle(msg: ArcpMessage, ctx: HandlerContext): void | Promise<void>;
}

export class DispatchTable {
  private readonly byType = new Map<MessageType, MessageHandler>();

  register(handler: MessageHandler): void {
    for (const type of handler.types) {
      if (this.byType.has(type)) throw new TypeError(`a handler for ${type} is already registered`);
      this.byType.set(type, handler);
    }
  }

  get(type: MessageType): MessageHandler | undefined {
    return this.byType.get(type);
  }

  /** True when every message gated by `feature` has a handler (so the feature can be advertised). */
  supportsFeature(feature: Feature): boolean {
    const gated = (Object.values(MESSAGES) as Array<(typeof MESSAGES)[MessageType]>).filter(
      (m) => m.feature === feature && m.direction !== 'runtime_to_client',
    );
    return gated.every((m) => this.byType.has(m.type));
  }

  /**
   * Routes one decoded message. Returns a promise only when the handler is asynchronous, so the
   * connection can hold later frames until it settles (in-order processing).
   */
  dispatch(msg: ArcpMessage, ctx: HandlerContext): void | Promise<void> {
    const info = MESSAGES[msg.type];
    const handler = this.byType.get(msg.type);
    const corr = { request_id: msg.id };
    if (!handler || info.direction === 'runtime_to_client') {
      return reject(ctx, `${msg.type} is not accepted by this runtime from a client`, corr);
    }
    if (!ctx.session && handler.phase === 'session') {
      return reject(ctx, `${msg.type} before the handshake: send session.hello (or session.resume) first`, corr);
    }
    if (ctx.session && handler.phase === 'handshake' && msg.type !== 'session.resume') {
      return reject(ctx, `${msg.type} on an established session`, corr);
    }
    if (info.feature && ctx.session && !ctx.session.has(info.feature)) {
      const policy = handler.whenNotNegotiated ?? 'reject';
      if (policy === 'ignore') return;
      if (policy === 'reject') return reject(ctx, `${msg.type} needs feature "${info.feature}", which was not negotiated (§6.2)`, corr);
    }
    return handler.handle(msg, ctx);
  }
}

function reject(ctx: HandlerContext, message: string, corr: { request_id: string }): void {
  ctx.connection.sendError(arcpError('INVALID_REQUEST', message), corr);
}
