// Typed ARCP errors for limit hits. ARCP v1.1 has no dedicated "limit" code, so each limit maps
// to the closest registered code and says which limit in `details` ({reason: 'limit_exceeded',
// limit, max}), so clients and operators can tell a limit from a policy decision.
import type { ErrorCode } from '../../../generated/index.js';
import { arcpError, type ARCPError } from '../../errors/index.js';
import type { RuntimeLimits } from './limits-options.js';

export function limitError(
  code: ErrorCode,
  limit: keyof RuntimeLimits,
  max: number,
  message: string,
  opts: { retryable?: boolean; details?: Record<string, unknown> } = {},
): ARCPError {
  return arcpError(code, message, {
    ...(opts.retryable !== undefined ? { retryable: opts.retryable } : {}),
    details: { reason: 'limit_exceeded', limit, max, ...opts.details },
  });
}
