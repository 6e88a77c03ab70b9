// The error family that crosses the wire (spec §12, catalog §4, style.md item 11).
// `code` is one of the generated ErrorCode values; `retryable` defaults come from the generated
// ERROR_CODES table, and pinned codes cannot be overridden: LEASE_EXPIRED and BUDGET_EXHAUSTED
// are always false (§12 MUST), INTERNAL_ERROR always true (§12 "Always retryable").
import { ERROR_CODES } from '../../generated/registry.js';
import type { ErrorCode, ErrorPayload } from '../../generated/types.js';

export interface ARCPErrorOptions {
  /** Ignored for pinned codes (see resolveRetryable). */
  retryable?: boolean;
  details?: Record<string, unknown>;
  cause?: unknown;
}

// Global-registry symbol: errors from a second installed copy of arcp-kit still pass instanceof.
const ARCP_ERROR_BRAND = Symbol.for('arcp-kit.ARCPError');

/** The retryable flag a code must carry: the pinned value, else the request, else the default. */
export function resolveRetryable(code: ErrorCode, requested?: boolean): boolean {
  const info = ERROR_CODES[code];
  if (info.pinned || requested === undefined) return info.retryable;
  return requested;
}

export class ARCPError extends Error {
  readonly code: ErrorCode;
  readonly retryable: boolean;
  readonly details?: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, opts: ARCPErrorOptions = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'ARCPError';
    this.code = code;
    this.retryable = resolveRetryable(code, opts.retryable);
    if (opts.details !== undefined) this.details = opts.details;
    Object.defineProperty(this, ARCP_ERROR_BRAND, { value: true });
  }

  /** The wire form (catalog §4.1): `message` is never empty, `details` only when present. */
  toPayload(): ErrorPayload {
    const payload: ErrorPayload = { code: this.code, message: this.message || this.code, retryable: this.retryable };
    if (this.details !== undefined) payload.details = this.details;
    return payload;
  }

  /**
   * Brand-based: any branded error is an ARCPError; a per-code subclass (one declaring a static
   * `code`) matches branded errors with that code; further user subclasses use the prototype chain.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (typeof value !== 'object' || value === null) return false;
    if ((value as Record<symbol, unknown>)[ARCP_ERROR_BRAND] !== true) return false;
    if (this === ARCPError) return true;
    if (Object.prototype.hasOwnProperty.call(this, 'code')) {
      return (value as ARCPError).code === (this as unknown as { code: ErrorCode }).code;
    }
    return Function.prototype[Symbol.hasInstance].call(this, value);
  }
}

export function isARCPError(value: unknown, code?: ErrorCode): value is ARCPError {
  return value instanceof ARCPError && (code === undefined || value.code === code);
}
