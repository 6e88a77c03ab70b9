// Every job the runtime knows, live or terminal. Terminal jobs stay for a retention window so
// cancel of a finished job is a no-op (not JOB_NOT_FOUND) and listings can include them
// (catalog §9 #32).
import type { Job } from './job.js';

/** Told when a job is added, ends or is forgotten (persistence/store-binding.ts). */
export interface JobRegistryObserver {
  jobAdded(job: Job): void;
  jobEnded(job: Job): void;
  jobForgotten(jobId: string): void;
}

export class JobRegistry {
  private readonly jobs = new Map<string, Job>();
  private readonly finishedAt = new Map<string, number>();

  /** Called when a terminal job is forgotten (per-job state kept elsewhere, e.g. job history). */
  onForget: ((jobId: string) => void) | undefined;

  observer: JobRegistryObserver | undefined;

  constructor(private readonly retentionMs: number = 60 * 60 * 1000) {}

  add(job: Job): void {
    this.jobs.set(job.jobId, job);
    this.observer?.jobAdded(job);
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
    this.observer?.jobEnded(job);
  }

  /** Forgets terminal jobs older than the retention window. */
  sweep(nowMs: number): void {
    for (const [id, at] of this.finishedAt) {
      if (nowMs - at >= this.retentionMs) {
        this.finishedAt.delete(id);
        this.jobs.delete(id);
        this.onForget?.(id);
        this.observer?.jobForgotten(id);
      }
    }
  }
}
