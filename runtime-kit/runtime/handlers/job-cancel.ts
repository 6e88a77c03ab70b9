// job.cancel (§7.4; catalog §6.9, §9 #3/#35, §10 #18). Target: envelope job_id. Only the
// submitting *session* may cancel (it keeps that authority across resume because jobs are bound
// to the session object). Owner: job.cancelled{job_id, reason} (no seq), then the runner ends
// the job with job.error CANCELLED. Already terminal: no-op. Another session: PERMISSION_DENIED.
// Unknown, or owned by another principal (no leak of existence, §6.6): JOB_NOT_FOUND.
import type { ArcpMessage, JobCancel, JobCancelled } from '../../../generated/index.js';
import { arcpError } from '../../errors/index.js';
import type { HandlerContext, MessageHandler } from '../dispatch.js';
import { envelope } from '../envelope.js';

export const jobCancelHandler: MessageHandler = {
  types: ['job.cancel'],
  phase: 'session',
  handle(msg: ArcpMessage, ctx: HandlerContext) {
    const session = ctx.session!;
    const cancel = msg as JobCancel;
    const jobId = (cancel as { job_id?: string }).job_id ?? (cancel.payload as { job_id?: string }).job_id;
    if (!jobId) {
      return session.sendError(arcpError('INVALID_REQUEST', 'job.cancel needs the target job_id on the envelope'), { request_id: msg.id });
    }
    const corr = { request_id: msg.id, job_id: jobId };
    const job = ctx.core.jobs.get(jobId);
    const given = (cancel.payload as { reason?: unknown } | undefined)?.reason;
    const reason = typeof given === 'string' && given !== '' ? given : 'cancelled by client';
    // A job running on another node of a shared store (persistence/cluster/remote-jobs.ts, issue 12).
    if (!job && ctx.core.persistence?.cluster) return ctx.core.persistence.cluster.cancelRemote(session, jobId, reason, corr);
    if (!job || job.principal !== session.principal) {
      return session.sendError(arcpError('JOB_NOT_FOUND', `no job ${jobId}`), corr);
    }
    if (job.owner !== session) {
      return session.sendError(arcpError('PERMISSION_DENIED', `job ${jobId} was submitted by another session; only it may cancel`), corr);
    }
    if (job.isTerminal || job.cancelRequested) return;
    session.sendControl(envelope<JobCancelled>('job.cancelled', { session_id: session.id, job_id: jobId, trace_id: job.traceId }, { job_id: jobId, reason } as JobCancelled['payload']));
    ctx.core.runner.cancel(job, reason);
  },
};
