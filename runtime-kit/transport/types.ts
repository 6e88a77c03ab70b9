// The one transport interface (contracts.md §3 transport/, style.md item 9).
// A transport moves JSON text frames and knows nothing of ARCP: no envelope, no session.
import type { KitError } from '../errors/kit-error.js';

export interface CloseInfo {
  code?: number;
  reason?: string;
  /** Set when the close was caused by a failure (socket error, child spawn failure, ...). */
  error?: Error;
}

export interface TransportHandlers {
  /** One complete JSON text frame, in arrival order. */
  message(frame: string): void;
  /** Called exactly once, when the transport is closed (by either side or by failure). */
  close(info: CloseInfo): void;
  /**
   * Non-fatal, per-frame problems (binary frame, oversized frame). The frame was dropped and
   * the transport stays open. Fatal failures arrive through `close(info.error)` instead.
   */
  error(err: KitError): void;
}

export interface Transport {
  readonly kind: 'memory' | 'websocket' | 'stdio';
  /** Frames (and a close) that arrive before start() are queued and delivered after it. */
  start(handlers: TransportHandlers): void;
  /** Throws KitError ARCP_KIT_TRANSPORT_CLOSED when closed. Never drops an accepted frame. */
  send(frame: string): void;
  /**
   * Closes the transport. `code` is a WebSocket close code (1000, or 3000-4999 for
   * applications; the runtime's are in runtime/limits/close-codes.ts); stdio ignores it.
   */
  close(reason?: string, code?: number): Promise<void>;
  readonly isOpen: boolean;
  /** The peer's network address when the transport has one (ws: the socket's remote address, or the client a trusted proxy names: `trustProxy`). */
  readonly remoteAddress?: string | undefined;
  /**
   * Bytes accepted by send() but not yet handed to the OS (ws bufferedAmount, stream
   * writableLength; 0 for memory). Lets a producer slow down; send() never refuses on it.
   */
  readonly bufferedAmount?: number;
  /**
   * Optional (ws): while set, `onExceeded` runs once as soon as more than `maxBytes` of one
   * inbound frame have arrived, before the frame is complete; `undefined` lifts the cap. Without
   * it a frame is buffered whole (up to the transport's hard ceiling) before anyone sees it.
   */
  capInFlightBytes?(maxBytes: number | undefined, onExceeded?: () => void): void;
  /**
   * Optional (ws): `listener` is told the bytes of the inbound frame still arriving each time more
   * of it arrive, and 0 once it is complete; lets a runtime bound them over all its transports.
   */
  watchInFlightBytes?(listener: (bytes: number) => void): void;
  /**
   * Optional (ws, stdio): stop (true) or restart (false) reading from the peer; what it sends
   * meanwhile waits in the kernel. Frames already read may still be delivered after a pause.
   */
  pauseInbound?(paused: boolean): void;
}

/** Default cap for one inbound frame (contracts.md: 1 MiB). */
export const DEFAULT_MAX_FRAME_BYTES = 1024 * 1024;
