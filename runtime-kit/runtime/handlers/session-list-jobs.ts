// session.list_jobs (§6.6; flag list_jobs): answers session.jobs {request_id, jobs, next_cursor}
// (next_cursor always present, null on the last page, catalog §9 #21). A bad filter, limit or
// cursor is a session.error INVALID_REQUEST carrying request_id.
import type { ArcpMessage, SessionJobs } from '../../../generated/index.js';
import { toARCPError } from '../arcp-errors.js';
import type { HandlerContext, MessageHandler } from '../dispatch.js';
import { authorityServicesOf } from '../enforcement/authority-services.js';
import { envelope } from '../envelope.js';
import { listJobs } from '../listing/list-jobs.js';
import { parseListQuery } from '../listing/list-query.js';
import type { Job } from '../job.js';

export const sessionListJobsHandler: MessageHandler = {
  types: ['session.list_jobs'],
  phase: 'session',
  handle(msg: ArcpMessage, ctx: HandlerContext) {
    // Cluster (issue 12): jobs of every node sharing the store, read from their records.
    const cluster = ctx.core.persistence?.cluster;
    if (cluster) return cluster.remoteJobs().then((remote) => answer(msg, ctx, [...ctx.core.jobs.values(), ...remote]));
    // Only a subscribePolicy can show other principals' jobs: without one, read the caller's alone.
    const policy = authorityServicesOf(ctx.core).options.subscribePolicy;
    const jobs = policy ? ctx.core.jobs.values() : ctx.core.jobs.ofPrincipal(ctx.session!.principal);
    answer(msg, ctx, jobs);
  },
};

function answer(msg: ArcpMessage, ctx: HandlerContext, jobs: Iterable<Job>): void {
  const session = ctx.session!;
  let payload;
  try {
    const services = authorityServicesOf(ctx.core);
    const query = parseListQuery(msg.payload);
    const scope = { retentionMs: services.options.listRetentionMs, ...(services.options.subscribePolicy ? { policy: services.options.subscribePolicy } : {}) };
    payload = listJobs(ctx.core, session, query, scope, msg.id, jobs);
  } catch (err) {
    return session.sendError(toARCPError(err), { request_id: msg.id });
  }
  session.sendControl(envelope<SessionJobs>('session.jobs', { session_id: session.id }, payload));
}
