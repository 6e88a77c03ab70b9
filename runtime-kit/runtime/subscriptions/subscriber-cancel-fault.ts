// Fault `subscriber-can-cancel` (test-only): a subscribed session's job.cancel is honoured as if
// it were the submitter's — breaking §7.6/§14 "subscription MUST NOT confer cancel authority".
// Without the fault the wrapped job.cancel handler runs unchanged.
import type { ArcpMessage, JobCancelled } from '../../../generated/index.js';
import type { HandlerContext, MessageHandler } from '../dispatch.js';
import { authorityServicesOf } from '../enforcement/authority-services.js';
import { envelope } from '../envelope.js';

export function withSubscriberCancelFault(inner: MessageHandler): MessageHandler {
  return {
    ...inner,
    handle(msg: ArcpMessage, ctx: HandlerContext) {
      if (!ctx.core.faults.has('subscriber-can-cancel')) return inner.handle(msg, ctx);
      const session = ctx.session!;
      const jobId = (msg as { job_id?: string }).job_id ?? (msg.payload as { job_id?: string } | undefined)?.job_id;
      const job = jobId ? ctx.core.jobs.get(jobId) : undefined;
      if (!job || job.isTerminal || !authorityServicesOf(ctx.core).subscriptions.isSubscribed(session, job.jobId)) return inner.handle(msg, ctx);
      const reason = 'cancelled by a subscriber (fault subscriber-can-cancel)';
      session.sendControl(envelope<JobCancelled>('job.cancelled', { session_id: session.id, job_id: job.jobId, trace_id: job.traceId }, { job_id: job.jobId, reason } as JobCancelled['payload']));
      ctx.core.runner.cancel(job, reason);
    },
  };
}
