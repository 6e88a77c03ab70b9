// Wraps one open `ws` socket (client or server side) as a Transport.
// Framing (catalog §1.4): one JSON object per *text* message. Binary and oversized frames are
// reported through handlers.error and dropped; the connection keeps working. We never rely on
// ws `maxPayload` for the cap because ws closes the socket (1009) when it is exceeded; it is set
// to a larger hard ceiling instead (see hardCeilingBytes) purely as memory protection.
import { KitError, KIT_ERROR_CODES } from '../errors/kit-error.js';
import { InFlightCounter, MAX_HEADER_BYTES, type RawByteSource } from './in-flight-counter.js';
import { InboundDispatcher } from './inbound.js';
import { DEFAULT_MAX_FRAME_BYTES, type Transport, type TransportHandlers } from './types.js';

export interface WebSocketFrameOptions {
  /** Largest accepted inbound frame in bytes; bigger ones are reported and dropped. Default 1 MiB. */
  maxFrameBytes?: number;
  /**
   * Frames above this size make ws close the connection (1009) instead of buffering them.
   * Default max(16 × maxFrameBytes, 16 MiB).
   */
  hardMaxFrameBytes?: number;
  /** How long close() waits for the peer's close handshake before terminating. Default 2000 ms. */
  closeTimeoutMs?: number;
}

export type { RawByteSource };

/** What a `ws` message event carries (ws's RawData), declared here so no ws types are public. */
export type WebSocketData = Buffer | ArrayBuffer | Buffer[];

/**
 * The part of a `ws` WebSocket this transport uses. Structural, so the public declarations do
 * not reference ws's types: an embedder compiles against arcp-kit without installing @types/ws.
 */
export interface WebSocketLike {
  readonly readyState: number;
  readonly bufferedAmount: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  terminate(): void;
  pause?(): void;
  resume?(): void;
  on(event: 'message', listener: (data: WebSocketData, isBinary: boolean) => void): unknown;
  on(event: 'error', listener: (err: Error) => void): unknown;
  once(event: 'close', listener: (code: number, reason: Buffer) => void): unknown;
}

/** Per-connection facts the server knows (not options a user sets). */
export interface WebSocketPeerInfo {
  remoteAddress?: string;
  /** The upgraded socket: lets `capInFlightBytes` / `watchInFlightBytes` count a frame while it arrives. */
  rawSocket?: RawByteSource;
  /** The stream ws writes to (server side: the upgraded socket), so frames sent in one tick go out in one write. */
  stream?: Corkable;
}

/** What batching needs of a net.Socket. */
export interface Corkable {
  cork(): void;
  uncork(): void;
}

export function hardCeilingBytes(opts: WebSocketFrameOptions): number {
  const max = opts.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
  return Math.max(opts.hardMaxFrameBytes ?? Math.max(16 * max, 16 * 1024 * 1024), max);
}

const OPEN = 1; // WebSocket.OPEN, without importing the value into this type-level module
// Close reasons are limited to 123 bytes by RFC 6455 §5.5.
const MAX_REASON_BYTES = 123;

export class WebSocketTransport implements Transport {
  readonly kind = 'websocket' as const;
  private readonly inbound = new InboundDispatcher();
  private readonly maxFrameBytes: number;
  private readonly closeTimeoutMs: number;
  private closing = false;
  private failure: Error | undefined;
  private readonly closed: Promise<void>;
  private readonly stream: Corkable | undefined;
  private corked = false;

  readonly remoteAddress: string | undefined;
  private readonly rawSocket: RawByteSource | undefined;
  private readonly inFlight: InFlightCounter | undefined;

  constructor(
    private readonly socket: WebSocketLike,
    opts: WebSocketFrameOptions = {},
    peer: WebSocketPeerInfo = {},
  ) {
    this.remoteAddress = peer.remoteAddress;
    this.rawSocket = peer.rawSocket;
    this.inFlight = peer.rawSocket && new InFlightCounter(peer.rawSocket);
    this.stream = peer.stream;
    this.maxFrameBytes = opts.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
    this.closeTimeoutMs = opts.closeTimeoutMs ?? 2000;
    socket.on('message', (data, isBinary) => this.onMessage(data, isBinary));
    socket.on('error', (err) => {
      this.failure = new KitError(KIT_ERROR_CODES.TRANSPORT_ERROR, `websocket error: ${err.message}`, {
        cause: err,
      });
    });
    this.closed = new Promise((resolve) => {
      socket.once('close', (code: number, reason: Buffer) => {
        const text = reason.toString('utf8');
        this.inbound.close({
          code,
          ...(text ? { reason: text } : {}),
          ...(this.failure ? { error: this.failure } : {}),
        });
        resolve();
      });
    });
  }

  get isOpen(): boolean {
    return !this.closing && this.socket.readyState === OPEN;
  }

  get bufferedAmount(): number {
    return this.socket.bufferedAmount;
  }

  start(handlers: TransportHandlers): void {
    this.inbound.start(handlers);
  }

  capInFlightBytes(maxBytes: number | undefined, onExceeded: () => void = () => {}): void {
    this.inFlight?.setCap(maxBytes === undefined ? undefined : maxBytes + MAX_HEADER_BYTES, onExceeded);
  }

  watchInFlightBytes(listener: (bytes: number) => void): void {
    this.inFlight?.watch(listener);
  }

  pauseInbound(paused: boolean): void {
    // A socket being closed stays paused (dropMidFrame); ws itself ignores both once closed.
    if (this.closing) return;
    if (paused) this.socket.pause?.();
    else this.socket.resume?.();
  }

  send(frame: string): void {
    if (!this.isOpen) {
      throw new KitError(KIT_ERROR_CODES.TRANSPORT_CLOSED, 'websocket transport is closed');
    }
    // Frames sent in one tick (a flush chunk, an agent's burst) leave in one writev, not one
    // syscall each: corked until the tick ends (issue 13, the runtime's per-turn chunks).
    if (this.stream && !this.corked) {
      this.corked = true;
      this.stream.cork();
      process.nextTick(() => {
        this.corked = false;
        this.stream!.uncork();
      });
    }
    // ws queues internally when the socket is not writable; bufferedAmount exposes that queue.
    this.socket.send(frame);
  }

  close(reason?: string, code = 1000): Promise<void> {
    if (!this.closing) {
      this.closing = true;
      const state = this.socket.readyState;
      if (state === OPEN || state === 0 /* CONNECTING */) {
        // ws throws on codes RFC 6455 forbids an endpoint to send; fall back to a normal close.
        const valid = code === 1000 || (code >= 3000 && code <= 4999);
        this.socket.close(valid ? code : 1000, truncateReason(reason));
        if ((this.inFlight?.inFlightBytes ?? 0) > 0) this.dropMidFrame();
        const timer = setTimeout(() => this.socket.terminate(), this.closeTimeoutMs);
        timer.unref();
        void this.closed.then(() => clearTimeout(timer));
      }
    }
    return this.closed;
  }

  // Mid-frame, nothing more of it will be read: the rest stays in the kernel, and since the peer's
  // close frame could only come after it there is no handshake to wait for. The socket goes as
  // soon as the error and the close frame are flushed, and with it what ws held of the frame.
  private dropMidFrame(): void {
    const raw = this.rawSocket!;
    raw.pause();
    raw.once('finish', () => this.socket.terminate());
    raw.end();
  }

  private onMessage(data: WebSocketData, isBinary: boolean): void {
    if (this.closing) return;
    const size = rawSize(data);
    if (isBinary) {
      this.inbound.error(
        new KitError(KIT_ERROR_CODES.BINARY_FRAME, 'binary websocket frame dropped: ARCP frames are JSON text', {
          details: { bytes: size },
        }),
      );
      return;
    }
    if (size > this.maxFrameBytes) {
      this.inbound.error(
        new KitError(KIT_ERROR_CODES.FRAME_TOO_LARGE, `frame of ${size} bytes exceeds the ${this.maxFrameBytes}-byte cap`, {
          details: { bytes: size, maxFrameBytes: this.maxFrameBytes },
        }),
      );
      return;
    }
    this.inbound.message(rawToString(data));
  }
}

function rawSize(data: WebSocketData): number {
  if (Array.isArray(data)) return data.reduce((n, b) => n + b.length, 0);
  return data.byteLength;
}

function rawToString(data: WebSocketData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}

function truncateReason(reason: string | undefined): string | undefined {
  if (reason === undefined) return undefined;
  const buf = Buffer.from(reason, 'utf8');
  if (buf.length <= MAX_REASON_BYTES) return reason;
  // Cut on a character boundary: decoding a truncated buffer may end in U+FFFD, so drop it.
  return buf.subarray(0, MAX_REASON_BYTES).toString('utf8').replace(/\uFFFD+$/, '');
}
