// An agent's event body that the strict emit schema refuses (§8.2.1) becomes INVALID_REQUEST for
// the agent, not a local encoder error: the agent (or, uncaught, the job's terminal) sees the ARCP
// code, `retryable: false` and the offending JSON pointer — and nothing reached the wire.
import { arcpError, isKitError, KIT_ERROR_CODES } from '../errors/index.js';

export function asAgentError(err: unknown, kind: string): unknown {
  if (!isKitError(err, KIT_ERROR_CODES.ENCODE_INVALID)) return err;
  const details = (err.details ?? {}) as { field?: string; issues?: unknown };
  return arcpError('INVALID_REQUEST', `${kind} event refused by the emit schema: ${err.message}`, {
    details: { kind, field: details.field ?? '', ...(details.issues !== undefined ? { issues: details.issues } : {}) },
  });
}
