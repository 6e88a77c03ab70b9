// §6.3 and §8.3 from the client's side: what it presents when it resumes (the session, its last
// contiguous seq, the rotated token) and what the application sees across drops, replays that
// overlap what it already has, duplicate and out-of-order frames, and gaps.
import fc from 'fast-check';
import { runProperty } from '../../properties/run-property.js';
import { clientProperty, clientScenario } from '../check-types.js';
import type { ClientCheckContext, Session } from '../context.js';
import * as F from '../frames.js';
import { requireResult, requireSeqs, require_, Violation } from './expect.js';

/** Resumes after a runtime-side drop and requires the presented fields; returns the presented seq. */
async function resumeAndCheck(ctx: ClientCheckContext, s: Session, o: { expectSeq?: number; maxSeq?: number; instruct?: boolean } = {}): Promise<number> {
  const token = s.token;
  const r = await ctx.acceptResume(s, { instruct: o.instruct });
  require_(r.sessionId === s.sessionId, `the resume names session ${String(r.sessionId)}, not ${s.sessionId}`);
  if (r.token !== token) {
    throw new Violation(`the resume presents resume_token ${String(r.token).slice(0, 12)}..., not the one of the latest welcome (${token.slice(0, 12)}...): tokens rotate on every welcome (§6.3)`);
  }
  if (!Number.isInteger(r.lastEventSeq)) throw new Violation(`the resume carries no integer last_event_seq (${String(r.lastEventSeq)})`);
  if (o.expectSeq !== undefined && r.lastEventSeq !== o.expectSeq) {
    throw new Violation(`the resume presents last_event_seq ${r.lastEventSeq}; the client had received every event up to ${o.expectSeq} and nothing after`);
  }
  if (o.maxSeq !== undefined && r.lastEventSeq > o.maxSeq) {
    throw new Violation(`the resume presents last_event_seq ${r.lastEventSeq}, but the client never received seq ${o.maxSeq + 1}: every event after ${o.maxSeq} would be lost`);
  }
  return r.lastEventSeq;
}

/** Re-sends events `from..to` of one job with their original seqs (a verbatim replay). */
function replay(s: Session, jobId: string, sent: Map<number, string>, from: number, to: number): void {
  for (let q = from; q <= to; q++) {
    const msg = sent.get(q);
    if (msg !== undefined) s.conn.send(F.event(s.sessionId, jobId, q, 'log', { level: 'info', message: msg }));
  }
}

export const resumeChecks = [
  clientScenario({
    id: '6.3/client/resume-presents-last-seq',
    statements: ["S6.3-05"],
    spec: '§6.3, §8.3',
    level: 'MUST',
    title: 'after a drop the client resumes its session with last_event_seq = the last event it received and the latest resume_token',
    async run(ctx) {
      await ctx.start();
      const s = await ctx.open({ autoResume: true });
      const { jobId } = await ctx.submit(s);
      for (let i = 0; i < 5; i++) s.log(jobId, `e${i}`);
      await ctx.client.eventsAtLeast(jobId, 5);
      s.conn.drop();
      await resumeAndCheck(ctx, s, { expectSeq: 5 });
      s.log(jobId, 'after resume');
      s.result(jobId, { result: { done: true } });
      requireResult(await ctx.client.terminal(jobId), { json: { done: true } }, 'after resume');
      requireSeqs(ctx.client, jobId, [1, 2, 3, 4, 5, 6], 'across the resume');
    },
  }),

  clientScenario({
    id: '6.3/client/resume-uses-rotated-token',
    statements: ["S6.3-05"],
    spec: '§6.3',
    level: 'MUST',
    title: 'a second resume presents the token of the resume welcome, never the first session token (tokens rotate on every welcome)',
    async run(ctx) {
      await ctx.start();
      const s = await ctx.open({ autoResume: true });
      const { jobId } = await ctx.submit(s);
      s.log(jobId, 'one');
      await ctx.client.eventsAtLeast(jobId, 1);
      s.conn.drop('runtime drops the transport (1st)');
      await resumeAndCheck(ctx, s, { expectSeq: 1 });
      s.log(jobId, 'two');
      await ctx.client.eventsAtLeast(jobId, 2);
      s.conn.drop('runtime drops the transport (2nd)');
      await resumeAndCheck(ctx, s, { expectSeq: 2 });
      s.result(jobId, { result: 2 });
      requireResult(await ctx.client.terminal(jobId), { json: 2 }, 'after two resumes');
    },
  }),

  clientScenario({
    id: '6.3/client/overlapping-replay-no-duplicates',
    statements: ["S6.3-05"],
    spec: '§6.3, §8.3',
    level: 'MUST',
    title: 'a replay that repeats seqs the client already has (duplicate seqs after a resume) shows no event twice and loses none',
    async run(ctx) {
      await ctx.start();
      const s = await ctx.open({ autoResume: true });
      const { jobId } = await ctx.submit(s);
      const sent = new Map<number, string>();
      for (let i = 0; i < 4; i++) sent.set(s.log(jobId, `e${i}`), `e${i}`);
      await ctx.client.eventsAtLeast(jobId, 4);
      s.conn.drop();
      await resumeAndCheck(ctx, s, { expectSeq: 4 });
      replay(s, jobId, sent, 2, 4); // a runtime replaying from an earlier point than asked
      for (let i = 4; i < 6; i++) sent.set(s.log(jobId, `e${i}`), `e${i}`);
      s.result(jobId, { result: 'ok' });
      await ctx.client.terminal(jobId);
      requireSeqs(ctx.client, jobId, [1, 2, 3, 4, 5, 6], 'overlapping replay');
    },
  }),

  clientScenario({
    id: '8.3/client/gap-not-skipped',
    statements: ["S8.3-02", "S6.3-05"],
    spec: '§8.3, §6.3',
    level: 'MUST',
    title: 'after seqs 1, 2, 4 (3 withheld) the client never resumes past 2, and the replayed 3 is shown before 4: no event lost to a gap',
    async run(ctx) {
      await ctx.start();
      const s = await ctx.open({ autoResume: true });
      const { jobId } = await ctx.submit(s);
      const sent = new Map<number, string>();
      for (let i = 1; i <= 4; i++) {
        s.seq = i;
        sent.set(i, `e${i}`);
        if (i !== 3) s.conn.send(F.event(s.sessionId, jobId, i, 'log', { level: 'info', message: `e${i}` }));
      }
      await ctx.sleep(400);
      if (!s.conn.isClosed) s.conn.drop();
      const from = await resumeAndCheck(ctx, s, { maxSeq: 2 });
      replay(s, jobId, sent, from + 1, 4);
      s.result(jobId, { result: 'ok' });
      await ctx.client.terminal(jobId);
      requireSeqs(ctx.client, jobId, [1, 2, 3, 4], 'after the gap');
    },
  }),

  clientScenario({
    id: '8.3/client/gap-detected',
    statements: ["S8.3-02"],
    spec: '§8.3',
    level: 'SHOULD',
    title: 'an unexpected gap (1 then 3) makes the client treat the session as broken: it reports the gap, drops or resumes within 1.5 s',
    async run(ctx) {
      await ctx.start();
      const s = await ctx.open({ autoResume: true });
      const { jobId } = await ctx.submit(s);
      s.conn.send(F.event(s.sessionId, jobId, 1, 'log', { level: 'info', message: 'one' }));
      s.conn.send(F.event(s.sessionId, jobId, 3, 'log', { level: 'info', message: 'three' }));
      s.seq = 3;
      const noticed = await Promise.race([
        ctx.client.waitFor((o) => o.obs === 'gap', 'a gap report', 1500).then(() => true, () => false),
        s.conn.closed(1500),
        ctx.runtime.accept(1500).then(() => true, () => false),
      ]);
      if (!noticed) throw new Violation('the client accepted seq 3 after seq 1 without reporting a gap, dropping or resuming');
    },
  }),

  clientScenario({
    id: '8.3/client/duplicate-frames-not-shown-twice',
    statements: ["S8.3-01"],
    spec: '§8.3',
    level: 'MUST',
    title: 'a frame repeated verbatim, and an event re-sent under a new id with an old seq, are not shown to the application twice',
    async run(ctx) {
      await ctx.start();
      const s = await ctx.open();
      const { jobId } = await ctx.submit(s);
      const e1 = F.event(s.sessionId, jobId, 1, 'log', { level: 'info', message: 'one' });
      const e2 = F.event(s.sessionId, jobId, 2, 'log', { level: 'info', message: 'two' });
      s.conn.send(e1);
      s.conn.send(e2);
      s.conn.send(e2); // verbatim duplicate
      s.conn.send({ ...e1, id: F.ids.message() }); // same seq, fresh id
      s.conn.send(F.event(s.sessionId, jobId, 3, 'log', { level: 'info', message: 'three' }));
      s.seq = 3;
      s.result(jobId, { result: 3 });
      await ctx.client.terminal(jobId);
      requireSeqs(ctx.client, jobId, [1, 2, 3], 'duplicates');
    },
  }),

  clientScenario({
    id: '8.3/client/identical-distinct-events-kept',
    statements: ["S8.3-01"],
    spec: '§8.3',
    level: 'MUST',
    title: 'distinct events with identical kind, ts and body (different seqs) are all shown: identity is the seq, not the content',
    async run(ctx) {
      await ctx.start();
      const s = await ctx.open();
      const { jobId } = await ctx.submit(s);
      const ts = new Date().toISOString();
      for (let q = 1; q <= 3; q++) {
        const ev = F.event(s.sessionId, jobId, q, 'progress', { current: 1, total: 2 });
        (ev.payload as Record<string, unknown>).ts = ts;
        s.conn.send(ev);
      }
      s.seq = 3;
      s.result(jobId, { result: null });
      await ctx.client.terminal(jobId);
      requireSeqs(ctx.client, jobId, [1, 2, 3], 'identical-looking events');
    },
  }),

  clientProperty({
    id: '8.3/client/random-drops-and-hostile-order',
    statements: ["S6.3-05", "S8.3-02"],
    spec: '§8.3, §6.3',
    level: 'MUST',
    title: 'random streams with duplicated, swapped and withheld frames, transport drops at random points and overlapping replays: the application sees every seq once, in order, then the result',
    async run(ctx) {
      const step = fc.constantFrom('next', 'next', 'next', 'dup', 'swap', 'drop');
      const arb = fc.record({ n: fc.integer({ min: 2, max: 10 }), steps: fc.array(step, { minLength: 2, maxLength: 14 }), overlap: fc.integer({ min: 0, max: 3 }) });
      await runProperty(ctx, arb, async ({ n, steps, overlap }) => {
        await ctx.start();
        const s = await ctx.open({ autoResume: true });
        const { jobId } = await ctx.submit(s);
        const sent = new Map<number, string>();
        for (let q = 1; q <= n; q++) sent.set(q, `e${q}`);
        s.seq = n;
        let next = 1;
        let drops = 0;
        const ev = (q: number) => F.event(s.sessionId, jobId, q, 'log', { level: 'info', message: `e${q}` });
        for (const st of steps) {
          if (next > n) break;
          if (st === 'next') s.conn.send(ev(next++));
          else if (st === 'dup' && next > 1) s.conn.send(ev(next - 1));
          else if (st === 'swap' && next + 1 <= n) {
            s.conn.send(ev(next + 1));
            s.conn.send(ev(next));
            next += 2;
          } else if (st === 'drop' && drops < 2) {
            drops += 1;
            await ctx.sleep(60);
            s.conn.drop(`runtime drops the transport (drop ${drops})`);
            const from = await resumeAndCheck(ctx, s, { maxSeq: next - 1 });
            replay(s, jobId, sent, Math.max(1, from + 1 - overlap), next - 1);
          }
        }
        await ctx.sleep(80);
        if (!s.conn.isClosed) s.conn.drop('runtime drops the transport (final)');
        const from = await resumeAndCheck(ctx, s, { maxSeq: Math.min(n, next - 1) });
        replay(s, jobId, sent, Math.max(1, from + 1 - overlap), n);
        s.seq = n;
        s.result(jobId, { result: n });
        requireResult(await ctx.client.terminal(jobId), { json: n }, 'final result');
        requireSeqs(ctx.client, jobId, [...sent.keys()], 'the whole stream');
      });
    },
  }),
];
