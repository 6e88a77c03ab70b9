// Every job the runtime knows, live or terminal. Terminal jobs stay for a retention window so
// cancel of a finished job is a no-op (not JOB_NOT_FOUND) and listings can include them
// (catalog §9 #32). Memory budgets (issue 13, limits/): live jobs and their input bytes are
// admitted per principal and overall; a finished job drops its input (nothing reads it after
// the terminal), and at most `maxFinishedJobs*` finished jobs are kept, the oldest forgotten
// first (then cancel answers JOB_NOT_FOUND and listings omit it).
import type { ARCPError } from '../errors/index.js';
import type { Job } from './job.js';
import { limitError } from './limits/limit-errors.js';
import { DEFAULT_LIMITS, type RuntimeLimits } from './limits/limits-options.js';

type JobLimits = Pick<
  RuntimeLimits,
  'maxFinishedJobs' | 'maxFinishedJobsPerPrincipal' | 'maxJobInputBytes' | 'maxLiveJobsPerPrincipal' | 'maxRetainedInputBytes' | 'maxRetainedInputBytesPerPrincipal'
>;

interface PrincipalJobs {
  live: number;
  inputBytes: number;
  /** Finished job ids, oldest first (insertion order). */
  finished: Set<string>;
  /** Every job of the principal, live or finished: what its listing reads (not the whole registry). */
  all: Set<Job>;
}

/** Told when a job is added, ends or is forgotten (persistence/store-binding.ts). */
export interface JobRegistryObserver {
  jobAdded(job: Job): void;
  jobEnded(job: Job): void;
  /** The job's budget counters moved (a cost, a delegation's reservation or its refund). */
  jobBudgetChanged(job: Job): void;
  jobForgotten(jobId: string): void;
}

export class JobRegistry {
  private readonly jobs = new Map<string, Job>();
  /** Finished job id -> when (monotonic ms), oldest first. */
  private readonly finishedAt = new Map<string, number>();
  private readonly byPrincipal = new Map<string, PrincipalJobs>();
  private liveInputBytes = 0;

  /** Called when a terminal job is forgotten (per-job state kept elsewhere, e.g. job history). */
  onForget: ((jobId: string) => void) | undefined;

  observer: JobRegistryObserver | undefined;

  /** Called when a job becomes terminal (its idempotency key becomes evictable, idempotency.ts). */
  onEnd: ((job: Job) => void) | undefined;

  constructor(
    private readonly retentionMs: number = 60 * 60 * 1000,
    private readonly limits: Readonly<JobLimits> = DEFAULT_LIMITS,
  ) {}

  /**
   * Before a job is created (submit or delegation): its input size, the principal's live jobs
   * and the input bytes live jobs hold. Input over the per-job cap is INVALID_REQUEST; a full
   * budget is PERMISSION_DENIED, retryable (room frees as jobs end).
   */
  admit(principal: string, inputBytes: number): ARCPError | undefined {
    const l = this.limits;
    const tooLarge = this.admitInputSize(inputBytes);
    if (tooLarge) return tooLarge;
    const p = this.byPrincipal.get(principal);
    if (p && p.live >= l.maxLiveJobsPerPrincipal) {
      return limitError('PERMISSION_DENIED', 'maxLiveJobsPerPrincipal', l.maxLiveJobsPerPrincipal, `${p.live} jobs of this principal are still running`, { retryable: true });
    }
    if ((p?.inputBytes ?? 0) + inputBytes > l.maxRetainedInputBytesPerPrincipal) {
      return limitError('PERMISSION_DENIED', 'maxRetainedInputBytesPerPrincipal', l.maxRetainedInputBytesPerPrincipal, 'running jobs of this principal hold too much input', {
        retryable: true,
      });
    }
    if (this.liveInputBytes + inputBytes > l.maxRetainedInputBytes) {
      return limitError('PERMISSION_DENIED', 'maxRetainedInputBytes', l.maxRetainedInputBytes, 'running jobs hold too much input', { retryable: true });
    }
    return undefined;
  }

  /** The per-job input cap alone: checked first, before the idempotency lookup hashes the payload. */
  admitInputSize(inputBytes: number): ARCPError | undefined {
    const max = this.limits.maxJobInputBytes;
    if (inputBytes <= max) return undefined;
    return limitError('INVALID_REQUEST', 'maxJobInputBytes', max, `job input of ${inputBytes} bytes exceeds the ${max}-byte cap`, {
      details: { field: '/payload/input', input_bytes: inputBytes },
    });
  }

  add(job: Job): void {
    const replaced = this.jobs.get(job.jobId);
    if (replaced !== undefined && replaced !== job) this.byPrincipal.get(replaced.principal)?.all.delete(replaced);
    this.jobs.set(job.jobId, job);
    this.observer?.jobAdded(job);
    const p = this.principal(job.principal);
    p.all.add(job);
    if (job.isTerminal) return;
    p.live++;
    p.inputBytes += job.inputBytes;
    this.liveInputBytes += job.inputBytes;
  }

  get(jobId: string): Job | undefined {
    return this.jobs.get(jobId);
  }

  values(): IterableIterator<Job> {
    return this.jobs.values();
  }

  /**
   * The jobs of one principal. A listing without a subscribePolicy can only show these: walking
   * every principal's jobs instead made each 100-byte list_jobs cost time in what everyone else
   * made the runtime hold (issue 13: 18,000 jobs of others, 0.6 ms a list).
   */
  ofPrincipal(principal: string): IterableIterator<Job> {
    return (this.byPrincipal.get(principal)?.all ?? new Set<Job>()).values();
  }

  get size(): number {
    return this.jobs.size;
  }

  /** Input bytes held by live jobs: of one principal, or of all. */
  retainedInputBytes(principal?: string): number {
    return principal === undefined ? this.liveInputBytes : (this.byPrincipal.get(principal)?.inputBytes ?? 0);
  }

  /** The job's budget counters moved: its record is written again (store-binding.ts). */
  budgetChanged(job: Job): void {
    if (this.jobs.get(job.jobId) === job) this.observer?.jobBudgetChanged(job);
  }

  markTerminal(job: Job, nowMs: number): void {
    if (!this.jobs.has(job.jobId) || this.finishedAt.has(job.jobId)) return;
    this.finishedAt.set(job.jobId, nowMs);
    this.observer?.jobEnded(job);
    this.onEnd?.(job);
    const p = this.principal(job.principal);
    p.live = Math.max(0, p.live - 1);
    p.inputBytes -= job.inputBytes;
    this.liveInputBytes -= job.inputBytes;
    job.releaseInput();
    p.finished.add(job.jobId);
    // Oldest first: the principal's own cap, then the global one.
    while (p.finished.size > this.limits.maxFinishedJobsPerPrincipal) this.forget(p.finished.values().next().value as string);
    while (this.finishedAt.size > this.limits.maxFinishedJobs) this.forget(this.finishedAt.keys().next().value as string);
  }

  /** Forgets terminal jobs older than the retention window. */
  sweep(nowMs: number): void {
    for (const [id, at] of this.finishedAt) {
      if (nowMs - at < this.retentionMs) break; // oldest first: the rest are younger
      this.forget(id);
    }
  }

  private forget(jobId: string): void {
    const job = this.jobs.get(jobId);
    this.finishedAt.delete(jobId);
    this.jobs.delete(jobId);
    if (job) {
      const p = this.byPrincipal.get(job.principal);
      p?.finished.delete(jobId);
      p?.all.delete(job);
      if (p && p.live === 0 && p.all.size === 0) this.byPrincipal.delete(job.principal);
    }
    this.onForget?.(jobId);
    this.observer?.jobForgotten(jobId);
  }

  private principal(name: string): PrincipalJobs {
    let p = this.byPrincipal.get(name);
    if (!p) {
      p = { live: 0, inputBytes: 0, finished: new Set(), all: new Set() };
      this.byPrincipal.set(name, p);
    }
    return p;
  }
}
