// The terminal a job gets when the process running it died (issue 12). ARCP leaves persistence
// across restarts to the implementation (§1.2); the job cannot be continued, so it ends like any
// unrecoverable runtime fault: job.error with final_status "error" (§7.3) and INTERNAL_ERROR,
// which §12 defines as "Unrecoverable runtime fault. Always retryable." `details.reason` tells a
// client this from an agent crash, so it can resubmit (with the same idempotency key it gets
// this terminal again; with a new one, a fresh run).
import { arcpError, type ARCPError } from '../../errors/index.js';

export const RUNTIME_RESTARTED = 'runtime_restarted' as const;

export function runtimeRestartedError(details: Record<string, unknown> = {}): ARCPError {
  return arcpError('INTERNAL_ERROR', 'the runtime running this job stopped before the job finished', {
    retryable: true,
    details: { reason: RUNTIME_RESTARTED, ...details },
  });
}
