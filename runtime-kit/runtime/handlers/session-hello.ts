// session.hello (§6.1-§6.2): bearer auth, then a fresh session or a hello-form resume (catalog §2.1).
// Auth failure: session.error UNAUTHENTICATED on a minted session_id, then close 4401 (catalog §9 #26);
// it counts against the source's failed-attempt budget, and an exhausted budget (or too many
// attempts on one connection) is refused before the token is even looked at (close 4429).
import type { ArcpMessage, SessionHello } from '../../../generated/index.js';
import { arcpError } from '../../errors/index.js';
import { CLOSE_CODES } from '../limits/close-codes.js';
import { makeRoomForSession } from '../limits/session-budget.js';
import type { Authenticated } from '../authenticator.js';
import type { HandlerContext, MessageHandler } from '../dispatch.js';
import { featuresForTransport } from '../transport-trust.js';
import { performResume } from './resume.js';
import { negotiateFeatures, sendWelcome } from './welcome.js';

export const sessionHelloHandler: MessageHandler = {
  types: ['session.hello'],
  phase: 'handshake',
  handle(msg: ArcpMessage, ctx: HandlerContext) {
    const hello = msg as SessionHello;
    const limited = ctx.connection.guard.admitAuthAttempt();
    if (limited) return ctx.connection.refuseHandshake(limited.error, hello.id, limited.closeCode);
    const auth = hello.payload.auth as { scheme: string; token?: string };
    const result = ctx.core.authenticator.authenticate(auth);
    if (result instanceof Promise) return result.then((who) => afterAuth(hello, who, ctx));
    afterAuth(hello, result, ctx);
  },
};

function afterAuth(hello: SessionHello, who: Authenticated | undefined, ctx: HandlerContext): void {
  const { core, connection } = ctx;
  if (!connection.isOpen) return;
  if (!who) {
    connection.guard.authFailed();
    connection.refuseHandshake(arcpError('UNAUTHENTICATED', 'bearer token not accepted'), hello.id, CLOSE_CODES.AUTH_FAILED);
    return;
  }
  if (core.persistence?.cluster?.fenced) {
    // Taken for dead by its cluster (persistence/cluster/fenced.ts): nothing it sent would be stored.
    const err = arcpError('INTERNAL_ERROR', 'this runtime node was taken for dead by its cluster; connect to another node', { retryable: true, details: { reason: 'node_fenced' } });
    connection.refuseHandshake(err, hello.id, CLOSE_CODES.UNAVAILABLE);
    return;
  }
  const features = negotiateFeatures(featuresForTransport(core.advertisedFeatures(), connection.transport), hello.payload.capabilities?.features as string[] | undefined);
  const resume = hello.payload.resume as { session_id: string; resume_token: string; last_event_seq: number } | undefined;
  if (resume) {
    performResume(ctx, {
      sessionId: resume.session_id,
      resumeToken: resume.resume_token,
      lastEventSeq: resume.last_event_seq,
      principal: who.principal,
      features,
      requestId: hello.id,
    });
    return;
  }
  const full = makeRoomForSession(core.sessions, who.principal, core.options.limits, core.options.logger);
  if (full) return connection.refuseHandshake(full.error, hello.id, full.closeCode);
  const session = core.createSession(who.principal, features, connection.provisionalSessionId, connection.handshake);
  connection.bind(session);
  sendWelcome(core, session);
}
