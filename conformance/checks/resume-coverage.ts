// §6.3 coverage at the freed edge (found by attacking the harness, issue 8): after session.ack
// of K frees the prefix through K, a resume from K-1 asks for event K, which may be gone. The
// runtime must either still replay it (replay starts at K) or refuse RESUME_WINDOW_EXPIRED; a
// welcome whose replay starts after K hides a gap from a client that cannot see it. Every other
// resume check resumes from a position the buffer still holds.
import { seqOf } from '../driver/wire.js';
import { sendResume, sessionFromWelcome } from '../driver/session.js';
import { ackAllButLastThenDrop } from './acked-drop.js';
import { AGENTS, requireErrorCode, scenario } from './define.js';
import { Violation } from './outcomes.js';
import type { CheckDef } from './types.js';

export const resumeCoverageChecks: CheckDef[] = [
  scenario({
    id: '6.3/resume/below-freed-prefix',
    statements: ['S6.3-03', 'S6.3-02'],
    spec: '§6.3, §6.5',
    level: 'MUST',
    title: 'after session.ack of K, a resume from K-1 either replays from K or is refused RESUME_WINDOW_EXPIRED; never a welcome whose replay skips K',
    feature: 'ack',
    agents: [AGENTS.chatty],
    needs: ['reconnect'],
    async run(ctx) {
      const { first, last, acked } = await ackAllButLastThenDrop(ctx, 4, 3);
      const from = acked - 1;
      ctx.note(`acked through seq ${acked} of ${last}; resuming from ${from}`);
      const conn = await ctx.connect('A');
      const reply = await sendResume(conn, ctx.profile, { token: ctx.token('A'), sessionId: first.sessionId, resumeToken: first.resumeToken, lastEventSeq: from });
      if (reply.type === 'session.error') return requireErrorCode(reply, ['RESUME_WINDOW_EXPIRED'], `resume from ${from} after an ack of ${acked}`);
      const second = sessionFromWelcome(conn, reply, first.features, ctx.token('A'));
      const firstReplayed = await second.conn.expect((m) => seqOf(m) !== undefined, `the first replayed event after ${from}`);
      if (seqOf(firstReplayed) !== from + 1) throw new Violation(`resume from last_event_seq ${from} was welcomed but the replay starts at seq ${String(seqOf(firstReplayed))}: seq ${from + 1}..${String((seqOf(firstReplayed) ?? 0) - 1)} are missing; the runtime must replay them or refuse RESUME_WINDOW_EXPIRED`, { frame: firstReplayed });
    },
  }),
];
