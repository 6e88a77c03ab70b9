// §6.3 resume and §7.7 resumed sessions: exact replay, token rotation/single use, authority.
import { envelope, field, seqOf, type Envelope } from '../driver/wire.js';
import { resume, sendResume, type Session } from '../driver/session.js';
import type { CheckContext, Principal } from '../runner/context.js';
import { sameEvent, SeqOracle } from '../model/seq-oracle.js';
import { AGENTS, requireErrorCode, scenario } from './define.js';
import { require_, Skip, Violation } from './outcomes.js';

import type { CheckDef } from './types.js';

/** Longest resume window the expiry check waits out (it waits twice the window). */
const MAX_RESUME_WINDOW_SEC = 5;


/** Highest event_seq received on a connection so far. */
export function lastSeq(s: Session): number {
  let max = 0;
  for (const m of s.conn.messages()) max = Math.max(max, seqOf(m) ?? 0);
  return max;
}

/** Runs slow, drops after `before` events, waits `awayMs`, resumes from `from` (default: last seen). */
export async function dropAndResume(
  ctx: CheckContext,
  opts: { steps: number; intervalMs: number; before: number; awayMs: number; from?: (last: number) => number },
): Promise<{ first: Session; second: Session; jobId: string; from: number; seenBefore: Envelope[] }> {
  const first = await ctx.open('A');
  const jobId = await ctx.submit(first, AGENTS.slow, { steps: opts.steps, interval_ms: opts.intervalMs });
  // slow's steps are progress events: without `progress` it emits nothing mid-run, so drop at once
  const before = first.features.includes('progress') ? opts.before : 0;
  for (let i = 0; i < before; i++) await first.conn.expectType('job.event', jobId);
  const seenBefore = first.conn.messages().filter((m) => seqOf(m) !== undefined);
  const last = lastSeq(first);
  await first.conn.close('transport drop (harness)');
  ctx.note(`dropped transport after seq ${last}; away ${opts.awayMs} ms`);
  await ctx.sleep(opts.awayMs);
  const from = opts.from ? opts.from(last) : last;
  const conn = await ctx.connect('A');
  const second = await resume(conn, ctx.profile, {
    token: ctx.token('A'),
    sessionId: first.sessionId,
    resumeToken: first.resumeToken,
    lastEventSeq: from,
  });
  return { first, second, jobId, from, seenBefore };
}

/**
 * One resume attempt on a fresh connection as `principal` (default A), presenting `first`'s session
 * id and, unless overridden, its resume token and last_event_seq 0. Resolves with the peer's reply.
 */
function attemptResume(
  ctx: CheckContext,
  first: Session,
  o: { principal?: Principal; resumeToken?: string; lastEventSeq?: number } = {},
): Promise<Envelope> {
  const p = o.principal ?? 'A';
  return ctx.connect(p).then((conn) =>
    sendResume(conn, ctx.profile, {
      token: ctx.token(p),
      sessionId: first.sessionId,
      resumeToken: o.resumeToken ?? first.resumeToken,
      lastEventSeq: o.lastEventSeq ?? 0,
    }),
  );
}

export const resumeChecks: CheckDef[] = [
  scenario({
    id: '6.3/resume/replays-missed-events',
    statements: ['S6.3-02'],
    spec: '§6.3, §8.3',
    level: 'MUST',
    title: 'after a drop, resume replays exactly the events with seq > last_event_seq, including those emitted while away, gap-free to the terminal',
    agents: [AGENTS.slow],
    needs: ['reconnect'],
    async run(ctx) {
      const r = await dropAndResume(ctx, { steps: 6, intervalMs: 40, before: 2, awayMs: 150 });
      await ctx.terminal(r.second, r.jobId);
      const oracle = new SeqOracle(r.from).observeAll(r.second.conn.messages());
      require_(oracle.violations.length === 0, oracle.violations.join('; '), oracle.firstOffender);
      const firstSeq = r.second.conn.messages().map(seqOf).find((x) => x !== undefined);
      require_(firstSeq === r.from + 1, `replay starts at seq ${String(firstSeq)}, expected ${r.from + 1}`);
    },
  }),
  scenario({
    id: '6.3/resume/replay-from-earlier-position',
    statements: ['S6.3-02', 'S6.5-02', 'S6.5-05'],
    spec: '§6.3',
    level: 'MUST',
    title: 'resuming from an earlier last_event_seq replays from exactly that point, verbatim (same type, job and payload)',
    agents: [AGENTS.slow],
    needs: ['reconnect'],
    async run(ctx) {
      const r = await dropAndResume(ctx, { steps: 5, intervalMs: 30, before: 3, awayMs: 20, from: (last) => Math.max(0, last - 2) });
      await ctx.terminal(r.second, r.jobId);
      const replayed = r.second.conn.messages().filter((m) => seqOf(m) !== undefined);
      require_(seqOf(replayed[0]) === r.from + 1, `replay starts at seq ${String(seqOf(replayed[0]))}, expected ${r.from + 1}`);
      for (const orig of r.seenBefore) {
        if ((seqOf(orig) ?? 0) <= r.from) continue;
        const again = replayed.find((m) => seqOf(m) === seqOf(orig));
        if (!again) throw new Violation(`seq ${String(seqOf(orig))} was not replayed`);
        const diff = sameEvent(orig, again);
        if (diff) throw new Violation(`replayed seq ${String(seqOf(orig))} differs from the original: ${diff}`);
      }
      const oracle = new SeqOracle(r.from).observeAll(r.second.conn.messages());
      require_(oracle.violations.length === 0, oracle.violations.join('; '), oracle.firstOffender);
    },
  }),
  scenario({
    id: '6.3/resume/token-rotates',
    statements: ['S6.3-01'],
    spec: '§6.3',
    level: 'MUST',
    title: 'every successful welcome, including a resume, issues a new resume_token',
    needs: ['reconnect'],
    async run(ctx) {
      const first = await ctx.open('A');
      await first.conn.close('transport drop (harness)');
      const conn = await ctx.connect('A');
      const second = await resume(conn, ctx.profile, { token: ctx.token('A'), sessionId: first.sessionId, resumeToken: first.resumeToken, lastEventSeq: 0 });
      require_(second.resumeToken !== first.resumeToken, 'the resume welcome re-issued the previous resume_token');
    },
  }),
  scenario({
    id: '6.3/resume/token-single-use',
    statements: ['S6.3-01'],
    spec: '§6.3',
    level: 'MUST',
    title: 'a resume token that was already used (rotated away) is refused with RESUME_WINDOW_EXPIRED',
    needs: ['reconnect'],
    async run(ctx) {
      const first = await ctx.open('A');
      await first.conn.close('transport drop (harness)');
      const c2 = await ctx.connect('A');
      const second = await resume(c2, ctx.profile, { token: ctx.token('A'), sessionId: first.sessionId, resumeToken: first.resumeToken, lastEventSeq: 0 });
      await second.conn.close('transport drop (harness)');
      const reply = await attemptResume(ctx, first);
      if (reply.type === 'session.welcome') throw new Violation('a used resume token was accepted again', { frame: reply });
      requireErrorCode(reply, ['RESUME_WINDOW_EXPIRED'], 'reused resume token');
    },
  }),
  scenario({
    id: '6.3/resume/unknown-token',
    statements: ['S6.3-03'],
    spec: '§6.3, §12',
    level: 'MUST',
    title: 'a resume with a token the peer never issued is refused with RESUME_WINDOW_EXPIRED',
    needs: ['reconnect'],
    async run(ctx) {
      const first = await ctx.open('A');
      await first.conn.close('transport drop (harness)');
      const reply = await attemptResume(ctx, first, { resumeToken: `rt_${'0'.repeat(60)}dead` });
      if (reply.type === 'session.welcome') throw new Violation('a resume token the peer never issued was accepted', { frame: reply });
      requireErrorCode(reply, ['RESUME_WINDOW_EXPIRED'], 'unknown resume token');
    },
  }),
  scenario({
    id: '6.3/resume/keeps-cancel-authority',
    statements: ['S7.7-01'],
    spec: '§7.7, §7.4',
    level: 'MUST',
    title: 'the resumed session keeps cancel authority over jobs submitted before the drop',
    agents: [AGENTS.slow],
    needs: ['reconnect'],
    async run(ctx) {
      const r = await dropAndResume(ctx, { steps: 60, intervalMs: 50, before: 1, awayMs: 20 });
      r.second.conn.send(envelope('job.cancel', { reason: 'conformance' }, { session_id: r.second.sessionId, job_id: r.jobId }));
      const term = await ctx.terminalAfterCancel(r.second, r.jobId);
      require_(field(term, 'payload', 'code') === 'CANCELLED', `cancel after resume ended the job with ${term.type} ${String(field(term, 'payload', 'code'))}`, term);
    },
  }),
  scenario({
    id: '6.3/resume/other-principal-refused',
    statements: ['S6.3-04'],
    spec: '§6.3, §6.6, §14',
    level: 'MUST',
    title: 'another principal presenting a valid resume token is refused (no session takeover); the error code is not graded (RESUME_WINDOW_EXPIRED in the catalog, §9 #29)',
    needs: ['reconnect', 'two-principals'],
    async run(ctx) {
      const first = await ctx.open('A');
      await first.conn.close('transport drop (harness)');
      const reply = await attemptResume(ctx, first, { principal: 'B' });
      if (reply.type === 'session.welcome') {
        throw new Violation(`principal B took over principal A's session ${first.sessionId} with A's resume token (session.welcome instead of a refusal)`, { frame: reply });
      }
      require_(reply.type === 'session.error', `resume by another principal answered by ${reply.type}`, reply);
    },
  }),
  scenario({
    id: '6.3/resume/window-expired',
    statements: ['S6.3-03'],
    spec: '§6.3, §12',
    level: 'MUST',
    title: 'a resume attempted well after resume_window_sec is refused with RESUME_WINDOW_EXPIRED',
    needs: ['reconnect'],
    async run(ctx) {
      const first = await ctx.open('A');
      const windowSec = Number(field(first.welcome.payload, 'resume_window_sec') ?? 600);
      if (windowSec > MAX_RESUME_WINDOW_SEC) {
        throw new Skip(`resume_window_sec ${windowSec} s is too long for this check; run the peer with <= ${MAX_RESUME_WINDOW_SEC} s`);
      }
      await first.conn.close('transport drop (harness)');
      // twice the window plus a second: never fails on a peer that is merely a little late
      ctx.note(`waiting ${2 * windowSec + 1} s (twice the resume window)`);
      await ctx.sleep((2 * windowSec + 1) * 1000);
      const reply = await attemptResume(ctx, first);
      if (reply.type === 'session.welcome') throw new Violation(`resume accepted ${2 * windowSec + 1} s after the drop (window ${windowSec} s)`, { frame: reply });
      requireErrorCode(reply, ['RESUME_WINDOW_EXPIRED'], 'resume after the window');
    },
  }),
  scenario({
    id: '6.3/resume/ahead-of-peer',
    statements: [],
    spec: '§6.3',
    level: 'interop',
    title: 'a resume claiming a last_event_seq beyond what the peer sent is refused with RESUME_WINDOW_EXPIRED (catalog §6.3)',
    needs: ['reconnect'],
    async run(ctx) {
      const first = await ctx.open('A');
      await first.conn.close('transport drop (harness)');
      const reply = await attemptResume(ctx, first, { lastEventSeq: 999_999 });
      if (reply.type === 'session.welcome') throw new Violation('resume from a seq the peer never sent was accepted', { frame: reply });
      requireErrorCode(reply, ['RESUME_WINDOW_EXPIRED'], 'resume ahead of the peer');
    },
  }),
];
