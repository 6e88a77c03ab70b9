// Inbound side shared by every transport: queues frames, errors and the final close until
// start() is called, then delivers them in order. Guarantees `close` is delivered once, last.
import { KitError, KIT_ERROR_CODES } from '../errors/kit-error.js';
import type { CloseInfo, TransportHandlers } from './types.js';

type Item =
  | { kind: 'message'; frame: string }
  | { kind: 'error'; error: KitError }
  | { kind: 'close'; info: CloseInfo };

export class InboundDispatcher {
  private handlers: TransportHandlers | undefined;
  private queue: Item[] = [];
  private closed = false;

  get started(): boolean {
    return this.handlers !== undefined;
  }

  /** True once close() was pushed; later messages are ignored. */
  get isClosed(): boolean {
    return this.closed;
  }

  start(handlers: TransportHandlers): void {
    if (this.handlers) throw new KitError(KIT_ERROR_CODES.ALREADY_STARTED, 'transport already started');
    this.handlers = handlers;
    const queued = this.queue;
    this.queue = [];
    for (const item of queued) this.deliver(item);
  }

  message(frame: string): void {
    if (this.closed) return;
    this.push({ kind: 'message', frame });
  }

  error(error: KitError): void {
    if (this.closed) return;
    this.push({ kind: 'error', error });
  }

  close(info: CloseInfo): void {
    if (this.closed) return;
    this.closed = true;
    this.push({ kind: 'close', info });
  }

  private push(item: Item): void {
    if (this.handlers) this.deliver(item);
    else this.queue.push(item);
  }

  private deliver(item: Item): void {
    const h = this.handlers!;
    // A throwing handler must not break the transport or lose later frames (bad input never
    // crashes the process); surface it asynchronously like an uncaught listener error would.
    try {
      if (item.kind === 'message') h.message(item.frame);
      else if (item.kind === 'error') h.error(item.error);
      else h.close(item.info);
    } catch (err) {
      queueMicrotask(() => {
        throw err;
      });
    }
  }
}
