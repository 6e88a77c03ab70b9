// Every job the runtime knows, live or terminal. Terminal jobs stay for a retention window so
// cancel of a finished job is a no-op (not JOB_NOT_FOUND) and listings can include them
// (catalog §9 #32).
import type { Job } from './job.js';

export class JobRegistry {
  private readonly jobs = new Map<string, Job>();
  private readonly finishedAt = new Map<string, number>();

  /** Called when a terminal job is forgotten (per-job state kept elsewhere, e.g. job history). */
  onForget: ((jobId: string) => void) | undefined;

  constructor(private readonly retentionMs: number = 60 * 60 * 1000) {}

  add(job: Job): void {
    this.jobs.set(job.jobId, job);
  }

  get(jobId: string): Job | undefined {
    return this.jobs.get(jobId);
  }

  values(): IterableIterator<Job> {
    return this.jobs.values();
  }

  get size(): number {
    return this.jobs.size;
  }

  markTerminal(job: Job, nowMs: number): void {
    this.finishedAt.set(job.jobId, nowMs);
  }

  /** Forgets terminal jobs older than the retention window. */
  sweep(nowMs: number): void {
    for (const [id, at] of this.finishedAt) {
      if (nowMs - at >= this.retentionMs) {
        this.finishedAt.delete(id);
        this.jobs.delete(id);
        this.onForget?.(id);
      }
    }
  }
}
