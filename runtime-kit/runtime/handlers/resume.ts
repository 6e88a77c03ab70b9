// Resume (§6.3; catalog §6.3, §9 #1/#27-#29, §10 #8-#9), shared by `session.hello.payload.resume`
// and `session.resume`. Every refusal is the same opaque RESUME_WINDOW_EXPIRED and changes
// nothing (a failed attempt does not burn the token, cf. Go #153). On success: re-bind the
// transport to the *same* session object, rotate the token, welcome, then replay verbatim.
import type { Feature } from '../../../generated/index.js';
import { arcpError } from '../../errors/index.js';
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
}

export function performResume(ctx: HandlerContext, req: ResumeRequest): void {
  const { core, connection } = ctx;
  const refuse = (message: string, details: Record<string, unknown> = {}): void => {
    const error = arcpError('RESUME_WINDOW_EXPIRED', message, { details });
    const corr = { request_id: req.requestId };
    if (connection.session) {
      connection.sendError(error, corr); // per-request: the current session goes on
      return;
    }
    // Before any welcome this is fatal (catalog §10 #11): report on the requested id, then close.
    connection.sendError(error, corr, req.sessionId);
    connection.rejectHandshake();
    void connection.close('resume refused');
  };
  const opaque = 'resume refused: unknown session, invalid resume_token, or resume window over';
  if (!req.sessionId) return refuse('resume needs the session_id to resume');
  const session = core.sessions.getResumable(req.sessionId, core.timers.monotonic());
  if (!session) return refuse(opaque);
  if (!tokenAccepted(ctx, session, req.resumeToken)) return refuse(opaque);
  if (req.principal !== undefined && req.principal !== session.principal) return refuse(opaque);
  if (!session.covers(req.lastEventSeq)) {
    return refuse(`the buffer no longer covers last_event_seq ${req.lastEventSeq}`, {
      last_event_seq: req.lastEventSeq,
      latest_event_seq: session.latestSeq,
    });
  }
  if (req.features) session.features = req.features;
  connection.bind(session);
  rotateToken(ctx, session);
  sendWelcome(core, session);
  const from = core.faults.has('resume-off-by-one') ? req.lastEventSeq + 1 : req.lastEventSeq;
  for (const frame of session.framesAfter(from)) connection.sendFrame(frame);
}

// Single use: a successful resume replaces the token. Faults keep old ones alive for the harness.
const usedTokens = new WeakMap<Session, Set<string>>();

function tokenAccepted(ctx: HandlerContext, session: Session, presented: string): boolean {
  if (tokensEqual(presented, session.resumeToken)) return true;
  return ctx.core.faults.has('resume-token-reuse') && (usedTokens.get(session)?.has(presented) ?? false);
}

function rotateToken(ctx: HandlerContext, session: Session): void {
  if (ctx.core.faults.has('resume-token-not-rotated')) return;
  if (ctx.core.faults.has('resume-token-reuse')) {
    const used = usedTokens.get(session) ?? new Set<string>();
    used.add(session.resumeToken);
    usedTokens.set(session, used);
  }
  session.resumeToken = mintResumeToken();
}
