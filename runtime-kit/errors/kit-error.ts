// Local (never serialised) errors of arcp-kit itself — style.md item 11, second family.
//
// This file is deliberately self-contained (no imports): transport/ may depend on it, and the
// layering test forbids transport/ from importing anything ARCP-specific.
//
// Codes raised by runtime-kit/transport, protocol and machines (stable strings; other areas may
// add their own `ARCP_KIT_*` codes and document them next to where they throw):
//
// | Code                          | Raised when                                                        |
// |-------------------------------|--------------------------------------------------------------------|
// | ARCP_KIT_TRANSPORT_CLOSED     | `send()` on a transport that is closed or closing                  |
// | ARCP_KIT_BINARY_FRAME         | a binary WebSocket frame arrived; it was dropped, transport open    |
// | ARCP_KIT_FRAME_TOO_LARGE      | a frame / stdio line exceeded `maxFrameBytes`; dropped, still open  |
// | ARCP_KIT_TRANSPORT_ERROR      | the socket / stream / child failed; carried in `CloseInfo.error`   |
// | ARCP_KIT_CONNECT_FAILED       | WebSocket connect or child spawn failed                             |
// | ARCP_KIT_LISTEN_FAILED        | the WebSocket server could not bind                                 |
// | ARCP_KIT_INVALID_TRANSITION   | a state-machine event has no entry for the current state           |
// | ARCP_KIT_ENCODE_INVALID       | `encodeMessage` strict validation rejected an outbound message      |
// | ARCP_KIT_ALREADY_STARTED      | `start()` called twice on a transport, or a server attached twice   |
//
// The same table lives in runtime-kit/errors/README.md.

export type KitErrorCode = `ARCP_KIT_${string}`;

/** Codes this part of the kit raises (see the table above). */
export const KIT_ERROR_CODES = {
  TRANSPORT_CLOSED: 'ARCP_KIT_TRANSPORT_CLOSED',
  BINARY_FRAME: 'ARCP_KIT_BINARY_FRAME',
  FRAME_TOO_LARGE: 'ARCP_KIT_FRAME_TOO_LARGE',
  TRANSPORT_ERROR: 'ARCP_KIT_TRANSPORT_ERROR',
  CONNECT_FAILED: 'ARCP_KIT_CONNECT_FAILED',
  LISTEN_FAILED: 'ARCP_KIT_LISTEN_FAILED',
  INVALID_TRANSITION: 'ARCP_KIT_INVALID_TRANSITION',
  ENCODE_INVALID: 'ARCP_KIT_ENCODE_INVALID',
  ALREADY_STARTED: 'ARCP_KIT_ALREADY_STARTED',
} as const satisfies Record<string, KitErrorCode>;

// A global (registry) symbol, so a KitError thrown by one installed copy of arcp-kit is still
// recognised by `instanceof` in another copy (style.md item 11).
const KIT_ERROR_BRAND = Symbol.for('arcp-kit.KitError');

export interface KitErrorOptions {
  cause?: unknown;
  details?: Record<string, unknown>;
  /** Whether repeating the same call can succeed; left unset where the kit cannot tell. */
  retryable?: boolean;
}

export class KitError extends Error {
  readonly code: KitErrorCode;
  readonly details?: Record<string, unknown>;
  readonly retryable?: boolean;

  constructor(code: KitErrorCode, message: string, opts: KitErrorOptions = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'KitError';
    this.code = code;
    if (opts.details !== undefined) this.details = opts.details;
    if (opts.retryable !== undefined) this.retryable = opts.retryable;
    Object.defineProperty(this, KIT_ERROR_BRAND, { value: true });
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    if (typeof value !== 'object' || value === null) return false;
    if ((value as Record<symbol, unknown>)[KIT_ERROR_BRAND] !== true) return false;
    // Subclasses keep normal prototype semantics; the base class matches any branded copy.
    return this === KitError || Function.prototype[Symbol.hasInstance].call(this, value);
  }
}

/** True for any KitError, including one created by another copy of the kit. */
export function isKitError(value: unknown, code?: KitErrorCode): value is KitError {
  return value instanceof KitError && (code === undefined || value.code === code);
}
