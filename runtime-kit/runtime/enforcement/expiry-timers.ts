// §9.5 "MAY proactively terminate": one unref'd timer per job with expires_at, armed when its
// authority is created, that ends a still-running job with job.error LEASE_EXPIRED (retryable
// false). The authority's own check (monotonic clock, bounded grace) stays the source of truth:
// the timer only fires the same decision early instead of waiting for the next operation.
import { arcpError, type ARCPError } from '../../errors/index.js';
import type { RuntimeCore } from '../core.js';
import type { JobAuthorityLike } from '../hooks.js';
import type { Job, JobSink } from '../job.js';
import { schedule, type TimerHandle } from '../timers.js';

interface ExpiringAuthority extends JobAuthorityLike {
  msUntilExpiry?(): number | undefined;
}

export class ExpiryTimers {
  private readonly timers = new Map<Job, TimerHandle>();

  constructor(private readonly core: RuntimeCore) {}

  /**
   * Arms the timer once the job emits its first envelope (status running): a job whose submit is
   * refused after its authority was built (e.g. credential provisioning failed) never arms one.
   */
  arm(job: Job, authority: ExpiringAuthority): void {
    if (authority.expiresAtMs === undefined && authority.msUntilExpiry?.() === undefined) return;
    const once: JobSink = {
      deliver: () => {
        job.sinks.delete(once);
        const ms = authority.msUntilExpiry?.() ?? authority.expiresAtMs! - this.core.timers.now();
        if (!job.isTerminal) this.timers.set(job, schedule(this.core.timers, () => this.fire(job, authority), Math.max(0, ms) + 1));
      },
    };
    job.sinks.add(once);
  }

  cancel(job: Job): void {
    this.timers.get(job)?.cancel();
    this.timers.delete(job);
  }

  private fire(job: Job, authority: ExpiringAuthority): void {
    this.timers.delete(job);
    if (job.isTerminal) return;
    const left = authority.msUntilExpiry?.();
    if (left !== undefined && left > 0) {
      // Woken early (timer granularity): look again when the authority says it expires.
      this.timers.set(job, schedule(this.core.timers, () => this.fire(job, authority), left + 1));
      return;
    }
    // §14 SHOULD log expirations for audit.
    this.core.options.logger('info', 'lease expired; ending job', { job_id: job.jobId, expires_at: job.leaseConstraints?.expires_at });
    const error = arcpError('LEASE_EXPIRED', 'the lease expired while the job was running', {
      retryable: false,
      details: { expires_at: job.leaseConstraints?.expires_at },
    });
    this.core.runner.finishError(job, error);
  }
}
