// Resume (§6.3; catalog §6.3, §9 #1/#27-#29, §10 #8-#9), shared by `session.hello.payload.resume`
// and `session.resume`. Every refusal is the same opaque RESUME_WINDOW_EXPIRED, burns nothing
// (cf. Go #153), counts as a failed authentication and closes the transport (4401), also on an
// established session (issue 13: otherwise a resume is a free, unlimited oracle). A connection's
// principal never changes: a resume on an authenticated connection must name a session of the
// same principal, with or without `auth`. On success: re-bind the transport to the *same*
// session object, rotate the token, welcome, then replay verbatim.
import type { Feature } from '../../../generated/index.js';
import { arcpError } from '../../errors/index.js';
import { CLOSE_CODES } from '../limits/close-codes.js';
import type { HandlerContext } from '../dispatch.js';
import { mintResumeToken, tokensEqual } from '../session-registry.js';
import type { Session } from '../session.js';
import { sendWelcome } from './welcome.js';

export interface ResumeRequest {
  sessionId: string | undefined;
  resumeToken: string;
  lastEventSeq: number;
  /** Authenticated principal of this attempt, when it carried auth (must match, catalog §9 #29). */
  principal?: string;
  /** Re-negotiated features (hello form); the session keeps its own set otherwise. */
  features?: ReadonlySet<Feature>;
  requestId: string;
  /** The attempt carried `auth` that was not accepted: refused like an unknown session. */
  authFailed?: boolean;
  /** The durable store was already asked for this session (persistence/, issue 12). */
  prepared?: boolean;
}

export function performResume(ctx: HandlerContext, req: ResumeRequest): void {
  const { core, connection } = ctx;
  const refuse = (message: string, details: Record<string, unknown> = {}, authFailure = true): void => {
    if (authFailure) connection.guard.authFailed();
    // Fatal on every path (catalog §10 #11 before a welcome; issue 13 after one): on an
    // established session the error carries that session's id, else the requested one.
    const error = arcpError('RESUME_WINDOW_EXPIRED', message, { details });
    connection.refuseHandshake(error, req.requestId, CLOSE_CODES.AUTH_FAILED, connection.session ? undefined : req.sessionId);
  };
  const opaque = 'resume refused: unknown session, invalid resume_token or credentials, or resume window over';
  if (!req.sessionId) return refuse('resume needs the session_id to resume');
  // The principal this connection already proved, if any: it can never change.
  const pinned = connection.session?.principal;
  if (req.authFailed || (pinned !== undefined && req.principal !== undefined && req.principal !== pinned)) return refuse(opaque);
  const principal = req.principal ?? pinned;
  const preparing = req.prepared ? undefined : core.persistence?.prepareResume(req.sessionId, req.resumeToken, core.sessions.get(req.sessionId), principal);
  if (preparing) {
    return void preparing.then(() => connection.isOpen && performResume(ctx, { ...req, prepared: true }));
  }
  const session = core.sessions.getResumable(req.sessionId, core.timers.monotonic());
  if (!session) return refuse(opaque);
  if (!tokenAccepted(ctx, session, req.resumeToken)) return refuse(opaque);
  if (principal !== undefined && principal !== session.principal) return refuse(opaque);
  if (!session.covers(req.lastEventSeq)) {
    return refuse(`the buffer no longer covers last_event_seq ${req.lastEventSeq}`, {
      last_event_seq: req.lastEventSeq,
      latest_event_seq: session.latestSeq,
    }, false);
  }
  if (req.features) session.features = req.features;
  connection.bind(session);
  rotateToken(ctx, session);
  sendWelcome(core, session);
  // Taken now: events emitted from here on are sent live (after their own durability wait).
  const frames = session.framesAfter(req.lastEventSeq);
  session.whenDurable(() => {
    connection.guard.replaying(true);
    for (const frame of frames) connection.sendFrame(frame);
    connection.guard.replaying(false);
  });
}

// Single use: a successful resume replaces the token, so only the current one is accepted.
function tokenAccepted(_ctx: HandlerContext, session: Session, presented: string): boolean {
  return tokensEqual(presented, session.resumeToken);
}

function rotateToken(_ctx: HandlerContext, session: Session): void {
  session.resumeToken = mintResumeToken();
}
