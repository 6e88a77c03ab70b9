// session.list_jobs -> session.jobs (§6.6). Scope: jobs the principal may observe (its own;
// others only through the subscribePolicy).
// Terminal jobs stay listable for the retention window (catalog §9 #32). Entries carry the
// observable, non-secret view only — never credentials (catalog §10 #28).
import type { JobListEntry, SessionJobsPayload } from '../../../generated/index.js';
import type { RuntimeCore } from '../core.js';
import type { Job } from '../job.js';
import type { Session } from '../session.js';
import { decideObserve, type SubscribePolicy } from '../subscriptions/subscribe-policy.js';
import { isoTime } from '../timers.js';
import { comparePosition, encodeCursor, type ListPosition } from './list-cursor.js';
import type { ListQuery } from './list-query.js';

export interface ListScope {
  policy?: SubscribePolicy;
  retentionMs: number;
}

export function listJobs(core: RuntimeCore, session: Session, query: ListQuery, scope: ListScope, requestId: string, jobs: Iterable<Job> = core.jobs.values()): SessionJobsPayload {
  const now = core.timers.now();
  const matches: Job[] = [];
  for (const job of jobs) {
    if (!job.acceptedPayload) continue; // not accepted yet (credentials being issued)
    if (!decideObserve(scope.policy, { principal: session.principal, sessionId: session.id, job, action: 'list' }).allowed) continue;
    if (job.isTerminal && now - completedAtMs(job) > scope.retentionMs) continue;
    if (!matchesQuery(job, query)) continue;
    matches.push(job);
  }
  matches.sort((a, b) => comparePosition(position(a), position(b)));
  const page = matches.slice(0, query.limit);
  const more = matches.length > query.limit;
  return {
    request_id: requestId,
    jobs: page.map(listEntry),
    next_cursor: more && page.length > 0 ? encodeCursor(position(page[page.length - 1]!)) : null,
  };
}

function position(job: Job): ListPosition {
  return { createdAtMs: job.createdAtMs, jobId: job.jobId };
}

function completedAtMs(job: Job): number {
  const at = (job.terminal?.payload as { completed_at?: string } | undefined)?.completed_at;
  const ms = at === undefined ? NaN : Date.parse(at);
  return Number.isFinite(ms) ? ms : job.createdAtMs;
}

function matchesQuery(job: Job, q: ListQuery): boolean {
  if (q.statuses && !q.statuses.has(job.state)) return false;
  if (q.agent) {
    if (job.agent.name !== q.agent.name) return false;
    if (q.agent.version !== undefined && job.agent.version !== q.agent.version) return false;
  }
  if (q.createdAfterMs !== undefined && !(job.createdAtMs > q.createdAfterMs)) return false;
  if (q.createdBeforeMs !== undefined && !(job.createdAtMs < q.createdBeforeMs)) return false;
  if (q.after && comparePosition(position(job), q.after) <= 0) return false;
  return true;
}

/** The §6.6 entry; `last_event_seq` is in the owner session's seq space (catalog §2.9). */
export function listEntry(job: Job): JobListEntry {
  return {
    job_id: job.jobId,
    agent: job.agentRef,
    status: job.state,
    lease: job.lease,
    parent_job_id: job.parentJobId ?? null,
    created_at: isoTime(job.createdAtMs),
    trace_id: job.traceId,
    last_event_seq: job.lastEventSeq,
  };
}
