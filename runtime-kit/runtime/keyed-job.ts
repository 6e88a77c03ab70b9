// What an idempotency key names (§7.2): the Job while it runs (a retry from another session
// streams on from it), and once it has ended only what a replay sends again: job.accepted and
// the terminal (catalog §9 #30). Keeping the whole Job for a key's 24 h would hold its authority,
// abort controller, observation and owner session: measured 6.3 KB per key with echo jobs.
import type { JobAcceptedPayload } from '../../generated/index.js';
import { Job } from './job.js';

export interface EndedJobView {
  readonly jobId: string;
  readonly traceId: string;
  readonly acceptedPayload: JobAcceptedPayload;
  readonly terminal: NonNullable<Job['terminal']>;
}

export type KeyedJob = Job | EndedJobView;

/** The key's job has ended (a view is ended by construction). */
export function keyedJobEnded(job: KeyedJob): boolean {
  return job instanceof Job ? job.isTerminal && job.terminal !== undefined : true;
}

/** What the key keeps of an ended job. */
export function endedJobView(job: KeyedJob): KeyedJob {
  if (!(job instanceof Job) || !job.terminal) return job;
  return { jobId: job.jobId, traceId: job.traceId, acceptedPayload: job.acceptedPayload, terminal: job.terminal };
}
