// Normalises whatever an agent, hook or authority throws into a wire ARCPError: branded errors
// pass through; error-like objects with a wire payload (e.g. from a stand-in or another copy)
// are re-read leniently; anything else is INTERNAL_ERROR (always retryable, §12).
import { arcpError, errorFromPayload, isARCPError, type ARCPError } from '../errors/index.js';

export function toARCPError(err: unknown, context = 'internal error'): ARCPError {
  if (isARCPError(err)) return err;
  if (typeof err === 'object' && err !== null && typeof (err as { toPayload?: unknown }).toPayload === 'function') {
    return errorFromPayload((err as { toPayload(): unknown }).toPayload());
  }
  const why = err instanceof Error ? err.message : String(err);
  return arcpError('INTERNAL_ERROR', `${context}: ${why}`, { retryable: true });
}
