// WebSocket client transport (ws:// and wss://) — catalog §1.4: no subprotocol, text frames.
import type { ConnectionOptions } from 'node:tls';
import WebSocket from 'ws';
import { KitError, KIT_ERROR_CODES } from '../errors/kit-error.js';
import { hardCeilingBytes, WebSocketTransport, type WebSocketFrameOptions } from './websocket-transport.js';

export interface ConnectWebSocketOptions extends WebSocketFrameOptions {
  headers?: Record<string, string>;
  /** Give up on the opening handshake after this long. Default 10 000 ms. */
  handshakeTimeoutMs?: number;
  /** TLS settings for wss:// (e.g. a test CA). */
  tls?: Pick<ConnectionOptions, 'ca' | 'cert' | 'key' | 'rejectUnauthorized' | 'servername'>;
}

/** Opens a WebSocket and resolves with a Transport once the handshake completes. */
export function connectWebSocket(url: string, opts: ConnectWebSocketOptions = {}): Promise<WebSocketTransport> {
  return new Promise((resolve, reject) => {
    let socket: WebSocket;
    try {
      socket = new WebSocket(url, {
        ...opts.tls,
        headers: opts.headers,
        handshakeTimeout: opts.handshakeTimeoutMs ?? 10_000,
        maxPayload: hardCeilingBytes(opts),
        perMessageDeflate: false,
      });
    } catch (err) {
      // Invalid URL or scheme: ws throws synchronously.
      reject(connectFailed(url, err));
      return;
    }
    const onError = (err: Error): void => {
      cleanup();
      reject(connectFailed(url, err));
    };
    const onUnexpected = (_req: unknown, res: { statusCode?: number }): void => {
      cleanup();
      socket.terminate();
      reject(
        new KitError(KIT_ERROR_CODES.CONNECT_FAILED, `websocket connect to ${url} refused with HTTP ${res.statusCode}`, {
          details: { url, status: res.statusCode },
        }),
      );
    };
    const onOpen = (): void => {
      cleanup();
      resolve(new WebSocketTransport(socket, opts));
    };
    const cleanup = (): void => {
      socket.off('error', onError);
      socket.off('open', onOpen);
      socket.off('unexpected-response', onUnexpected);
      // Keep a listener so a late error never becomes an uncaught 'error' event.
      socket.on('error', () => {});
    };
    socket.once('error', onError);
    socket.once('open', onOpen);
    socket.once('unexpected-response', onUnexpected);
  });
}

function connectFailed(url: string, err: unknown): KitError {
  const message = err instanceof Error ? err.message : String(err);
  return new KitError(KIT_ERROR_CODES.CONNECT_FAILED, `websocket connect to ${url} failed: ${message}`, {
    cause: err,
    details: { url },
  });
}
