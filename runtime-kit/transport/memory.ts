// In-memory linked transport pair (style.md item 9): used by unit tests, the conformance
// self-run and in-process embedding. Delivery is asynchronous (a macrotask per batch, so
// timers and I/O still run while two peers stream at each other) and strictly in order.
import { KitError, KIT_ERROR_CODES } from '../errors/kit-error.js';
import { InboundDispatcher } from './inbound.js';
import type { CloseInfo, Transport, TransportHandlers } from './types.js';

class MemoryTransport implements Transport {
  readonly kind = 'memory' as const;
  peer!: MemoryTransport;
  // UTF-16 length of frames queued for this side and not yet delivered (cheap byte estimate).
  private pendingChars = 0;
  private readonly inbound = new InboundDispatcher();
  // Items sent to us by the peer, waiting for the next delivery turn.
  private pending: Array<{ frame: string } | { close: CloseInfo }> = [];
  private scheduled = false;
  private open = true;
  private closeWaiters: Array<() => void> = [];
  remoteAddress: string | undefined;

  get isOpen(): boolean {
    return this.open;
  }

  /** What we sent that the peer has not consumed yet. */
  get bufferedAmount(): number {
    return this.peer.pendingChars;
  }

  start(handlers: TransportHandlers): void {
    this.inbound.start(handlers);
  }

  send(frame: string): void {
    if (!this.open) {
      throw new KitError(KIT_ERROR_CODES.TRANSPORT_CLOSED, 'memory transport is closed');
    }
    this.peer.enqueue({ frame });
  }

  close(reason?: string, code = 1000): Promise<void> {
    if (this.open) {
      const info: CloseInfo = reason === undefined ? { code } : { code, reason };
      this.open = false;
      this.peer.open = false;
      // Frames already sent by either side are delivered before the close on that side.
      this.enqueue({ close: info });
      this.peer.enqueue({ close: info });
    }
    if (this.inbound.isClosed) return Promise.resolve();
    return new Promise((resolve) => this.closeWaiters.push(resolve));
  }

  private enqueue(item: { frame: string } | { close: CloseInfo }): void {
    this.pending.push(item);
    if ('frame' in item) this.pendingChars += item.frame.length;
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.drain());
    }
  }

  private drain(): void {
    this.scheduled = false;
    const batch = this.pending;
    this.pending = [];
    this.pendingChars = 0;
    for (const item of batch) {
      if ('frame' in item) this.inbound.message(item.frame);
      else {
        this.inbound.close(item.close);
        for (const resolve of this.closeWaiters.splice(0)) resolve();
      }
    }
  }
}

export interface MemoryPairOptions {
  /**
   * What the second transport (the "server" side) reports as `remoteAddress`, so per-source
   * limits can be exercised in-process. Default none (per-source limits do not apply).
   */
  remoteAddress?: string;
}

/** Two linked transports: what one sends, the other receives. Closing either closes both. */
export function createMemoryTransportPair(opts: MemoryPairOptions = {}): [Transport, Transport] {
  const a = new MemoryTransport();
  const b = new MemoryTransport();
  a.peer = b;
  b.peer = a;
  b.remoteAddress = opts.remoteAddress;
  return [a, b];
}
