// session.close -> session.closed{reason} then close the transport (§6.7); legacy session.bye ->
// no reply, close (catalog §9 #2). Jobs keep running; the session stays resumable in its window.
import type { ArcpMessage, SessionClosed } from '../../../generated/index.js';
import type { HandlerContext, MessageHandler } from '../dispatch.js';
import { envelope } from '../envelope.js';

export const sessionCloseHandler: MessageHandler = {
  types: ['session.close', 'session.bye'],
  phase: 'session',
  handle(msg: ArcpMessage, ctx: HandlerContext) {
    const session = ctx.session!;
    const reason = (msg.payload as { reason?: unknown }).reason;
    session.beginClose(msg.type === 'session.close' ? 'close' : 'bye');
    if (msg.type === 'session.close') {
      const payload = typeof reason === 'string' ? { reason } : {};
      session.sendControl(envelope<SessionClosed>('session.closed', { session_id: session.id }, payload as SessionClosed['payload']));
    }
    if (msg.type === 'session.close') session.completeClose();
    ctx.connection.unbind();
    void ctx.connection.close(msg.type === 'session.close' ? 'session closed' : 'session bye');
  },
};
