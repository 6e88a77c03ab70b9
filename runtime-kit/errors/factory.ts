// Building ARCPErrors from a code or from a received wire payload.
import { ERROR_CODES } from '../../generated/registry.js';
import type { ErrorCode } from '../../generated/types.js';
import type { ARCPError, ARCPErrorOptions } from './arcp-error.js';
import { ERROR_CLASSES, InternalError } from './classes.js';

/** The subclass instance for `code` (e.g. arcpError('TIMEOUT', ...) is a JobTimeoutError). */
export function arcpError(code: ErrorCode, message: string, opts?: ARCPErrorOptions): ARCPError {
  const cls = isErrorCode(code) ? ERROR_CLASSES[code] : undefined;
  if (!cls) {
    return new InternalError(message, { ...opts, details: { ...opts?.details, original_code: code } });
  }
  return new cls(message, opts);
}

export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && Object.prototype.hasOwnProperty.call(ERROR_CODES, code);
}

/**
 * Lenient decode of a received error payload (catalog §4.1, App. A "accept"):
 * - an unknown or missing code becomes INTERNAL_ERROR with `details.original_code` (catalog §9 #22);
 * - an empty or missing message falls back to the code;
 * - a `retryable` that breaks a pinned rule (e.g. INTERNAL_ERROR false, catalog §9 #23) is accepted,
 *   but the error keeps the pinned value and records the peer's in `details.received_retryable`.
 * Never throws.
 */
export function errorFromPayload(p: unknown): ARCPError {
  if (typeof p !== 'object' || p === null || Array.isArray(p)) {
    return new InternalError('malformed error payload', { details: { received_type: describe(p) } });
  }
  const raw = p as Record<string, unknown>;
  const details: Record<string, unknown> =
    typeof raw.details === 'object' && raw.details !== null && !Array.isArray(raw.details)
      ? { ...(raw.details as Record<string, unknown>) }
      : {};
  const message =
    typeof raw.message === 'string' && raw.message !== ''
      ? raw.message
      : typeof raw.code === 'string' && raw.code !== ''
        ? raw.code
        : 'error without message';
  const requested = typeof raw.retryable === 'boolean' ? raw.retryable : undefined;

  if (!isErrorCode(raw.code)) {
    details.original_code = raw.code ?? null;
    if (requested !== undefined && requested !== ERROR_CODES.INTERNAL_ERROR.retryable) {
      details.received_retryable = requested;
    }
    return new InternalError(message, { details });
  }
  const code = raw.code;
  const info = ERROR_CODES[code];
  if (info.pinned && requested !== undefined && requested !== info.retryable) {
    details.received_retryable = requested;
  }
  const hasDetails = Object.keys(details).length > 0;
  return arcpError(code, message, {
    ...(requested === undefined ? {} : { retryable: requested }),
    ...(hasDetails ? { details } : {}),
  });
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}
