// session.ack (§6.5): record, free acknowledged events, re-arm back-pressure. No reply; ignored
// when `ack` was not negotiated (catalog §10 #13).
import type { ArcpMessage, SessionAck } from '../../../generated/index.js';
import type { HandlerContext, MessageHandler } from '../dispatch.js';

export const sessionAckHandler: MessageHandler = {
  types: ['session.ack'],
  phase: 'session',
  whenNotNegotiated: 'ignore',
  handle(msg: ArcpMessage, ctx: HandlerContext) {
    ctx.session!.ack((msg as SessionAck).payload.last_processed_seq);
  },
};
