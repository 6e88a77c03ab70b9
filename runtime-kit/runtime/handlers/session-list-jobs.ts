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

export const sessionListJobsHandler: MessageHandler = {
  types: ['session.list_jobs'],
  phase: 'session',
  handle(msg: ArcpMessage, ctx: HandlerContext) {
    const session = ctx.session!;
    let payload;
    try {
      const services = authorityServicesOf(ctx.core);
      const query = parseListQuery(msg.payload);
      const scope = { retentionMs: services.options.listRetentionMs, ...(services.options.subscribePolicy ? { policy: services.options.subscribePolicy } : {}) };
      payload = listJobs(ctx.core, session, query, scope, msg.id);
    } catch (err) {
      return session.sendError(toARCPError(err), { request_id: msg.id });
    }
    session.sendControl(envelope<SessionJobs>('session.jobs', { session_id: session.id }, payload));
  },
};
