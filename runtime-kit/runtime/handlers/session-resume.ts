// session.resume (§6.3 spec form; catalog §10 #8): first message on a new transport or after a
// hello. session_id from the payload or the envelope; bearer auth optional (must match if given).
// A bearer token that is not accepted is refused exactly like an unknown session (the opaque
// RESUME_WINDOW_EXPIRED, then close): no reply tells a wrong token from a wrong session, so a
// session.resume is no bearer-token oracle (issue 13).
import type { ArcpMessage, SessionResume, SessionResumePayload } from '../../../generated/index.js';
import type { Authenticated } from '../authenticator.js';
import type { HandlerContext, MessageHandler } from '../dispatch.js';
import { performResume } from './resume.js';

/** The payload as the lenient form accepts it: `session_id` may sit on the envelope instead. */
type ResumeFields = Omit<SessionResumePayload, 'session_id'> & Partial<Pick<SessionResumePayload, 'session_id'>>;

export const sessionResumeHandler: MessageHandler = {
  types: ['session.resume'],
  phase: 'any',
  handle(msg: ArcpMessage, ctx: HandlerContext) {
    const resume = msg as SessionResume;
    const limited = ctx.connection.guard.admitAuthAttempt();
    if (limited) return ctx.connection.refuseHandshake(limited.error, msg.id, limited.closeCode);
    const p = resume.payload as unknown as ResumeFields;
    const sessionId = p.session_id ?? (resume as { session_id?: string }).session_id;
    const request = { sessionId, resumeToken: p.resume_token, lastEventSeq: p.last_event_seq, requestId: msg.id };
    if (!p.auth) return performResume(ctx, request);
    const result = ctx.core.authenticator.authenticate(p.auth);
    const proceed = (who: Authenticated | undefined): void => {
      if (!ctx.connection.isOpen) return;
      performResume(ctx, who ? { ...request, principal: who.principal } : { ...request, authFailed: true });
    };
    if (result instanceof Promise) return result.then(proceed);
    proceed(result);
  },
};
