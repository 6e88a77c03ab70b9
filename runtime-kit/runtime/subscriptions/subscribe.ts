// job.subscribe (§7.6; catalog §6.8, §9 #6-#9, §10 #29). Order of the reply: `job.subscribed`
// FIRST (Spec §13.3, catalog §9 #6), then the optional history replay, then live events — all
// in the subscriber's own seq space. `subscribed_from` is the subscriber's latest seq just
// before the first replayed or live event of this job (catalog §9 #7). `from_event_seq` is in
// the OWNER session's seq space (the space of session.jobs.last_event_seq); `history: true`
// without it replays the job's whole recorded history (catalog §9 #9), which acks never free.
import type { JobSubscribed, JobSubscribedPayload } from '../../../generated/index.js';
import { arcpError } from '../../errors/index.js';
import { limitError } from '../limits/limit-errors.js';
import type { AuditSink } from '../audit/audit-log.js';
import type { RuntimeCore } from '../core.js';
import { envelope } from '../envelope.js';
import type { Job } from '../job.js';
import type { Session } from '../session.js';
import { isoTime } from '../timers.js';
import { maySeeCredentials, redactForwardedPayload } from './redaction.js';
import { decideObserve, type SubscribePolicy } from './subscribe-policy.js';
import type { HistoryReplays } from './history-replay.js';
import type { JobHistory } from './job-history.js';
import type { SubscriptionRegistry } from './subscription-registry.js';

export interface SubscribeRequest {
  requestId: string;
  jobId: string;
  fromEventSeq?: number;
  history: boolean;
}

export interface SubscribeDeps {
  core: RuntimeCore;
  registry: SubscriptionRegistry;
  audit: AuditSink;
  policy?: SubscribePolicy;
  /** Current credentials of a job (after rotations), if any were issued. */
  credentialsOf(job: Job): JobSubscribedPayload['credentials'];
  /** The job's recorded output (not the owner's resume buffer, which acks free). */
  history: JobHistory;
  /** Writes `history: true` replays at the loop's fair share, a few per session at once. */
  replays: HistoryReplays;
}

export function subscribe(session: Session, req: SubscribeRequest, deps: SubscribeDeps): void {
  const { core } = deps;
  const corr = { request_id: req.requestId, job_id: req.jobId };
  const job = core.jobs.get(req.jobId) ?? core.persistence?.cluster?.remoteJob(req.jobId);
  const audit = (decision: 'allowed' | 'denied' | 'not_found', reason: string): void =>
    deps.audit.write({
      ts: isoTime(core.timers.now()),
      event: 'job.subscribe',
      subscriber_principal: session.principal,
      subscriber_session_id: session.id,
      job_id: req.jobId,
      ...(job ? { target_principal: job.principal } : {}),
      decision,
      reason,
    });

  if (!job) {
    audit('not_found', 'unknown job');
    return session.sendError(arcpError('JOB_NOT_FOUND', `no job ${req.jobId}`), corr);
  }
  const decision = decideObserve(deps.policy, { principal: session.principal, sessionId: session.id, job, action: 'subscribe' });
  audit(decision.allowed ? 'allowed' : 'denied', decision.reason);
  if (!decision.allowed) {
    // §6.6: another principal's job must look exactly like an unknown one (no existence oracle).
    if (job.principal !== session.principal) return session.sendError(arcpError('JOB_NOT_FOUND', `no job ${req.jobId}`), corr);
    return session.sendError(arcpError('PERMISSION_DENIED', `principal may not observe job ${req.jobId}`, { details: { reason: decision.reason } }), corr);
  }

  const showCredentials = maySeeCredentials(session.principal, job.principal);
  const history = req.history ? deps.history.after(job.jobId, req.fromEventSeq ?? 0) : [];
  if (history.length > 0 && !deps.replays.hasRoom(session)) {
    const max = deps.replays.max;
    return session.sendError(limitError('PERMISSION_DENIED', 'maxHistoryReplaysPerSession', max, `this session already has ${max} history replays being written; subscribe again once one has finished`, { retryable: true }), corr);
  }
  const payload: JobSubscribedPayload = {
    job_id: job.jobId,
    current_status: job.state,
    agent: job.agentRef,
    lease: job.lease,
    parent_job_id: job.parentJobId ?? null,
    trace_id: job.traceId,
    subscribed_from: session.latestSeq,
    replayed: history.length > 0,
    request_id: req.requestId,
  };
  if (job.leaseConstraints !== undefined) payload.lease_constraints = job.leaseConstraints;
  const budget = job.authority?.budget();
  if (budget !== undefined) payload.budget = budget;
  const credentials = showCredentials ? deps.credentialsOf(job) : undefined;
  if (credentials && credentials.length > 0) payload.credentials = credentials;
  session.sendControl(envelope<JobSubscribed>('job.subscribed', { session_id: session.id, job_id: job.jobId, trace_id: job.traceId }, payload));

  const replay = history.length > 0
    ? deps.replays.create(session, job, history.map((h) => ({ type: h.type, traceId: h.traceId, payload: redactForwardedPayload(h.type, h.payload, showCredentials) })))
    : undefined;
  // A job that ended before the subscribe (history false, so nothing was replayed): its terminal
  // alone, so the subscriber still learns the outcome instead of waiting for one that never comes.
  // Nothing emitted before the subscribe is replayed (S7.6-03 concerns the job's events).
  if (!req.history && job.terminalWritten && job.terminal && session.id !== job.sessionId) {
    session.emitSequenced(job.terminal.type, job.jobId, job.traceId, redactForwardedPayload(job.terminal.type, job.terminal.payload, showCredentials));
  }
  // The owner already receives the job's events live: no second copy in its own session. Compared
  // by id, not object: in a cluster the job's owner object may be a stand-in (a job of another
  // node) or the session's object from before it moved away and back (persistence/cluster/).
  if (session.id !== job.sessionId) deps.registry.add(job, session, showCredentials, replay);
  replay?.pump();
}
