// session.hello (§6.1-§6.2): bearer auth, then a fresh session or a hello-form resume (catalog §2.1).
// Auth failure: session.error UNAUTHENTICATED on a minted session_id, then close (catalog §9 #26).
import type { ArcpMessage, SessionHello } from '../../../generated/index.js';
import { arcpError } from '../../errors/index.js';
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
    connection.sendError(arcpError('UNAUTHENTICATED', 'bearer token not accepted'), { request_id: hello.id });
    connection.rejectHandshake();
    void connection.close('unauthenticated');
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
  const session = core.createSession(who.principal, features, connection.provisionalSessionId, connection.handshake);
  connection.bind(session);
  sendWelcome(core, session);
}
