// session.ping / session.pong (§6.4). Always pong, even without the `heartbeat` flag (catalog
// §6.1). Any inbound frame already counted as liveness in Connection, so a pong needs no work.
import type { ArcpMessage, SessionPing, SessionPong } from '../../../generated/index.js';
import type { HandlerContext, MessageHandler } from '../dispatch.js';
import { envelope } from '../envelope.js';
import { isoTime } from '../timers.js';

export const sessionHeartbeatHandler: MessageHandler = {
  types: ['session.ping', 'session.pong'],
  phase: 'session',
  whenNotNegotiated: 'handle',
  handle(msg: ArcpMessage, ctx: HandlerContext) {
    if (msg.type !== 'session.ping') return;
    const session = ctx.session!;
    const ping = msg as SessionPing;
    session.sendControl(
      envelope<SessionPong>('session.pong', { session_id: session.id }, {
        ping_nonce: ping.payload.nonce,
        received_at: isoTime(ctx.core.timers.now()),
      }),
    );
  },
};
