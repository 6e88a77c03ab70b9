// §6.5 acknowledgement frees exactly what was acknowledged: found by attacking the harness with a
// runtime whose ack freed one event too many (off by one in the freed range). Every other check
// either resumes without having acked or acks everything, so that bug went unseen.
import { seqOf } from '../driver/wire.js';
import { resume } from '../driver/session.js';
import { sameEvent } from '../model/seq-oracle.js';
import { ackAllButLastThenDrop } from './acked-drop.js';
import { AGENTS, scenario } from './define.js';
import { Violation } from './outcomes.js';
import type { CheckDef } from './types.js';

export const ackRetentionChecks: CheckDef[] = [
  scenario({
    id: '6.5/ack/frees-only-acknowledged',
    statements: ['S6.5-02'],
    spec: '§6.5, §6.3',
    level: 'MUST',
    title: 'after session.ack of last_processed_seq N, a resume from N still replays every event after N (the ack freed nothing beyond N)',
    feature: 'ack',
    agents: [AGENTS.chatty],
    needs: ['reconnect'],
    async run(ctx) {
      const { first, seen, last, acked } = await ackAllButLastThenDrop(ctx, 3, 2);
      ctx.note(`acked through seq ${acked} of ${last}; resuming from ${acked}`);
      const conn = await ctx.connect('A');
      const second = await resume(conn, ctx.profile, { token: ctx.token('A'), sessionId: first.sessionId, resumeToken: first.resumeToken, lastEventSeq: acked });
      const again = await second.conn.expect((m) => seqOf(m) === last, `replay of seq ${last}`);
      const orig = seen.find((m) => seqOf(m) === last)!;
      const diff = sameEvent(orig, again);
      if (diff) throw new Violation(`replayed seq ${last} differs from the original: ${diff}`, { frame: again });
    },
  }),
];
