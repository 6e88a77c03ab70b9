// job.subscribe / job.unsubscribe (§7.6; flag subscribe; catalog §6.8). Subscribe answers
// job.subscribed (then replay, then live events) or session.error {request_id, job_id} with
// JOB_NOT_FOUND / PERMISSION_DENIED. Unsubscribe removes the link silently (no reply) and is
// ignored when `subscribe` was not negotiated (catalog §6.8).
import type { ArcpMessage, JobSubscribe, JobUnsubscribe } from '../../../generated/index.js';
import { arcpError } from '../../errors/index.js';
import type { HandlerContext, MessageHandler } from '../dispatch.js';
import { authorityServicesOf } from '../enforcement/authority-services.js';
import { subscribe } from '../subscriptions/subscribe.js';

export const jobSubscribeHandler: MessageHandler = {
  types: ['job.subscribe'],
  phase: 'session',
  handle(msg: ArcpMessage, ctx: HandlerContext) {
    const session = ctx.session!;
    const p = (msg as JobSubscribe).payload as Partial<JobSubscribe['payload']>;
    const jobId = typeof p?.job_id === 'string' && p.job_id !== '' ? p.job_id : (msg as { job_id?: string }).job_id;
    if (!jobId) return session.sendError(arcpError('INVALID_REQUEST', 'job.subscribe needs payload.job_id'), { request_id: msg.id });
    const from = p.from_event_seq;
    if (from !== undefined && (typeof from !== 'number' || !Number.isInteger(from) || from < 0)) {
      return session.sendError(arcpError('INVALID_REQUEST', 'from_event_seq must be an integer >= 0'), { request_id: msg.id, job_id: jobId });
    }
    // Cluster (issue 12): a job of another node is materialised from its record first.
    const cluster = ctx.core.persistence?.cluster;
    if (cluster && !ctx.core.jobs.get(jobId)) return cluster.prepareRemoteJob(jobId).then(() => subscribeTo(msg, ctx, jobId, p, from));
    subscribeTo(msg, ctx, jobId, p, from);
  },
};

function subscribeTo(msg: ArcpMessage, ctx: HandlerContext, jobId: string, p: Partial<JobSubscribe['payload']>, from: number | undefined): void {
  const session = ctx.session!;
  const services = authorityServicesOf(ctx.core);
  subscribe(
    session,
    { requestId: msg.id, jobId, history: p.history === true, ...(from !== undefined ? { fromEventSeq: from } : {}) },
    {
      core: ctx.core,
      registry: services.subscriptions,
      audit: services.audit,
      ...(services.options.subscribePolicy ? { policy: services.options.subscribePolicy } : {}),
      credentialsOf: (job) => services.credentialsOf(job),
      history: services.history,
      replays: services.replays,
    },
  );
}

export const jobUnsubscribeHandler: MessageHandler = {
  types: ['job.unsubscribe'],
  phase: 'session',
  whenNotNegotiated: 'ignore',
  handle(msg: ArcpMessage, ctx: HandlerContext) {
    const jobId = (msg as JobUnsubscribe).payload?.job_id ?? (msg as { job_id?: string }).job_id;
    if (typeof jobId !== 'string') return;
    const services = authorityServicesOf(ctx.core);
    services.subscriptions.removeLink(ctx.session!, jobId);
    // A history replay still being written (a finished job has no live link to remove) ends too.
    services.replays.stop(ctx.session!, jobId);
  },
};
