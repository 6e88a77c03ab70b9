// §6.3 as a property: random drop points, time away and resume positions. The replay must be
// exactly seq > last_event_seq (events emitted while away included), verbatim, gap-free to the
// terminal; the token must rotate and the used token must be refused.
import fc from 'fast-check';
import { AGENTS, property, requireErrorCode } from '../checks/define.js';
import { require_, Violation } from '../checks/outcomes.js';
import type { CheckDef } from '../checks/types.js';
import { resume, sendResume } from '../driver/session.js';
import { sameEvent, SeqOracle } from '../model/seq-oracle.js';
import { runProperty } from './run-property.js';

export const resumeProperties: CheckDef[] = [
  property({
    id: '6.3/resume/random-drops',
    statements: ['S6.3-02', 'S8.3-01'],
    spec: '§6.3, §8.3, §7.7',
    level: 'MUST',
    title: 'random drop points and resume positions: exact replay of seq > last_event_seq incl. events emitted while away; token rotates and is single-use',
    agents: [AGENTS.chatty, AGENTS.slow],
    needs: ['reconnect'],
    async run(ctx) {
      const arb = fc.record({
        steps: fc.integer({ min: 2, max: 6 }),
        intervalMs: fc.integer({ min: 5, max: 25 }),
        chatty: fc.integer({ min: 0, max: 5 }),
        dropAfter: fc.integer({ min: 0, max: 4 }),
        back: fc.integer({ min: 0, max: 3 }),
        awayMs: fc.integer({ min: 0, max: 80 }),
      });
      await runProperty(ctx, arb, async (c) => {
        const first = await ctx.open('A');
        const slow = await ctx.submit(first, AGENTS.slow, { steps: c.steps, interval_ms: c.intervalMs });
        const chatty = await ctx.submit(first, AGENTS.chatty, { n: c.chatty });
        // slow's steps are progress events; without `progress` nothing comes mid-run
        const dropAfter = first.features.includes('progress') ? c.dropAfter : 0;
        for (let i = 0; i < dropAfter; i++) {
          if (!(await first.conn.arrives((m) => m.type === 'job.event' && m.job_id === slow, ctx.timeoutMs))) break;
        }
        const before = first.conn.messages().filter((m) => typeof m.event_seq === 'number');
        const last = before.reduce((mx, m) => Math.max(mx, Number(m.event_seq)), 0);
        const from = Math.max(0, last - c.back);
        await first.conn.close('transport drop (harness)');
        ctx.note(`dropped after seq ${last}; away ${c.awayMs} ms; resuming from ${from}`);
        await ctx.sleep(c.awayMs);
        const conn = await ctx.connect('A');
        const second = await resume(conn, ctx.profile, { token: ctx.token('A'), sessionId: first.sessionId, resumeToken: first.resumeToken, lastEventSeq: from });
        require_(second.resumeToken !== first.resumeToken, 'resume welcome re-issued the old resume_token');
        // a terminal at or before the resume point is not replayed: wait only for the others
        const pending = [slow, chatty].filter((j) => !before.some((m) => m.job_id === j && (m.type === 'job.result' || m.type === 'job.error') && Number(m.event_seq) <= from));
        for (const j of pending) await ctx.terminal(second, j);
        const got = second.conn.messages().filter((m) => typeof m.event_seq === 'number');
        if (got.length > 0) require_(got[0].event_seq === from + 1, `replay starts at seq ${String(got[0].event_seq)}, expected ${from + 1}`);
        for (const orig of before) {
          if (Number(orig.event_seq) <= from) continue;
          const again = got.find((m) => m.event_seq === orig.event_seq);
          if (!again) throw new Violation(`seq ${String(orig.event_seq)} not replayed`);
          const diff = sameEvent(orig, again);
          if (diff) throw new Violation(`replayed seq ${String(orig.event_seq)}: ${diff}`);
        }
        const oracle = new SeqOracle(from).observeAll(second.conn.messages());
        oracle.requireTerminals(pending);
        require_(oracle.violations.length === 0, oracle.violations.join('; '), oracle.firstOffender);
        await second.conn.close('case done');
        // the token used above is spent
        const c3 = await ctx.connect('A');
        const reply = await sendResume(c3, ctx.profile, { token: ctx.token('A'), sessionId: first.sessionId, resumeToken: first.resumeToken, lastEventSeq: 0 });
        if (reply.type === 'session.welcome') throw new Violation('a used resume token was accepted again', { frame: reply });
        requireErrorCode(reply, ['RESUME_WINDOW_EXPIRED'], 'reused resume token');
        await c3.close('case done');
      });
    },
  }),
];
