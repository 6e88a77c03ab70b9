// §6.4 heartbeats, §6.5 acks, §6.6 listing, §7.4 cancel, §7.6 subscribe from the client's side:
// what it sends (pongs, coalesced acks never above what it received, a cancel aimed at the job)
// and that it correlates the answers.
import fc from 'fast-check';
import { field } from '../../driver/wire.js';
import { runProperty } from '../../properties/run-property.js';
import { clientProperty, clientScenario } from '../check-types.js';
import type { Session } from '../context.js';
import * as F from '../frames.js';
import type { Frame, RuntimeConn } from '../scripted-runtime.js';
import { require_, Violation } from './expect.js';

/** Checks every ack against the highest seq the runtime had sent when the ack arrived. */
function watchAcks(s: Session, conn: RuntimeConn): { problems: string[]; count: () => number; stop: () => void } {
  const problems: string[] = [];
  let count = 0;
  let last = -1;
  let stopped = false;
  const seen = new Set<Frame>();
  const tick = setInterval(() => {
    if (stopped) return;
    for (const f of conn.frames) {
      if (seen.has(f) || f.type !== 'session.ack') continue;
      seen.add(f);
      count += 1;
      const v = field(f, 'payload', 'last_processed_seq');
      if (typeof v !== 'number') problems.push(`ack without a numeric last_processed_seq`);
      else if (v > s.seq) problems.push(`ack of ${v} while the runtime had sent only up to ${s.seq}`);
      else if (v < last) problems.push(`ack went backwards: ${last} then ${v}`);
      else last = v;
    }
  }, 1);
  return { problems, count: () => count, stop: () => ((stopped = true), clearInterval(tick)) };
}

export const controlChecks = [
  clientScenario({
    id: '6.4/client/pong-echoes-nonce',
    statements: ["S6.4-02"],
    spec: '§6.4',
    level: 'MUST',
    feature: 'heartbeat',
    title: 'a session.ping is answered within the interval by a session.pong whose ping_nonce is the ping nonce',
    async run(ctx) {
      await ctx.start();
      const s = await ctx.open({ heartbeatSec: 2 });
      const nonce = `p_${F.ids.message().slice(4)}`;
      s.conn.send(F.ping(s.sessionId, nonce));
      const pong = await s.conn.nextType('session.pong', Math.max(2000, ctx.timeoutMs));
      require_(field(pong, 'payload', 'ping_nonce') === nonce, `pong carries ping_nonce ${JSON.stringify(field(pong, 'payload', 'ping_nonce'))}, the ping nonce was ${nonce}`, pong);
    },
  }),

  clientScenario({
    id: '6.4/client/pong-without-heartbeat',
    statements: ["S6.4-02"],
    spec: '§6.4',
    level: 'interop',
    gradeReason: 'S6.4-02 binds once heartbeat is negotiated; answering a ping without it is the catalog position (every SDK pongs always)',
    title: 'a ping is answered even when heartbeat was not negotiated (catalog §6.5: every SDK pongs always)',
    async run(ctx) {
      await ctx.start();
      const s = await ctx.open({ runtimeFeatures: [] });
      s.conn.send(F.ping(s.sessionId, 'p_plain'));
      const pong = await s.conn.nextType('session.pong');
      require_(field(pong, 'payload', 'ping_nonce') === 'p_plain', 'pong does not echo the nonce', pong);
    },
  }),

  clientScenario({
    id: '6.4/client/idle-client-sends',
    statements: ["S2.2-01", "S6.4-01"],
    spec: '§6.4',
    level: 'SHOULD',
    feature: 'heartbeat',
    title: 'with a 1 s heartbeat and an idle session, the client sends something (a ping) within two intervals',
    async run(ctx) {
      await ctx.start();
      const s = await ctx.open({ heartbeatSec: 1 });
      const before = s.conn.frames.length;
      await ctx.sleep(2300);
      if (s.conn.frames.length === before && !s.conn.isClosed) throw new Violation('the client sent nothing for 2.3 s with a 1 s heartbeat interval');
    },
  }),

  clientScenario({
    id: '6.5/client/acks-never-above-received',
    statements: [],
    spec: '§6.5',
    level: 'MUST',
    feature: 'ack',
    title: 'every session.ack (automatic or asked for with a seq beyond the stream) names a seq the client received, never more, never going backwards',
    async run(ctx) {
      await ctx.start();
      const s = await ctx.open({ autoAck: true });
      const acks = watchAcks(s, s.conn);
      const { jobId } = await ctx.submit(s);
      for (let i = 0; i < 50; i++) s.log(jobId, `e${i}`);
      await ctx.client.eventsAtLeast(jobId, 50);
      await ctx.client.do({ op: 'ack', seq: s.seq + 25 });
      await ctx.client.do({ op: 'ack' });
      await ctx.sleep(400);
      acks.stop();
      if (acks.problems.length) throw new Violation(acks.problems.slice(0, 3).join('; '));
    },
  }),

  clientScenario({
    id: '6.5/client/acks-coalesced',
    statements: ["S6.5-03"],
    spec: '§6.5',
    level: 'SHOULD',
    feature: 'ack',
    title: 'under a burst of 300 events the client acks at most every event or every few hundred ms, whichever is less frequent (no ack flood)',
    async run(ctx) {
      await ctx.start();
      const s = await ctx.open({ autoAck: true });
      const { jobId } = await ctx.submit(s);
      const t0 = performance.now();
      for (let i = 0; i < 300; i++) s.log(jobId, `e${i}`);
      await ctx.client.eventsAtLeast(jobId, 300);
      await ctx.sleep(500);
      const ms = performance.now() - t0;
      const acks = s.conn.sentOfType('session.ack').length;
      const allowed = Math.floor(ms / 100) + 2;
      if (acks > allowed) throw new Violation(`${acks} acks for 300 events in ${Math.round(ms)} ms (at most ${allowed}: one per ~100-300 ms)`);
    },
  }),

  clientProperty({
    id: '6.5/client/random-ack-streams',
    statements: ["S6.5-03"],
    spec: '§6.5',
    level: 'MUST',
    gradeReason: 'the property asserts that acks never exceed the highest seq sent nor go backwards (what last_processed_seq means, a MUST in effect); S6.5-03 is only the coalescing SHOULD it also exercises',
    feature: 'ack',
    title: 'random bursts and pauses: no ack ever exceeds the highest seq the runtime had sent, and acks never go backwards',
    async run(ctx) {
      const arb = fc.array(fc.record({ burst: fc.integer({ min: 1, max: 60 }), pauseMs: fc.integer({ min: 0, max: 300 }) }), { minLength: 1, maxLength: 4 });
      await runProperty(ctx, arb, async (bursts) => {
        await ctx.start();
        const s = await ctx.open({ autoAck: true });
        const acks = watchAcks(s, s.conn);
        const { jobId } = await ctx.submit(s);
        for (const b of bursts) {
          for (let i = 0; i < b.burst; i++) s.log(jobId, 'x');
          await ctx.sleep(b.pauseMs);
        }
        await ctx.client.eventsAtLeast(jobId, s.seq);
        await ctx.sleep(350);
        acks.stop();
        if (acks.problems.length) throw new Violation(acks.problems.slice(0, 3).join('; '));
      });
    },
  }),

  clientScenario({
    id: '7.4/client/cancel-targets-job',
    statements: ["S7.4-01"],
    spec: '§7.4, §12',
    level: 'MUST',
    title: 'cancel sends job.cancel carrying the job in the envelope job_id and the session id; job.cancelled then job.error CANCELLED reach the application as CANCELLED, not retryable',
    async run(ctx) {
      await ctx.start();
      const s = await ctx.open();
      const { jobId } = await ctx.submit(s);
      s.log(jobId, 'running');
      const cancel = ctx.client.do({ op: 'cancel', job_id: jobId, reason: 'user' });
      const frame = await s.conn.nextType('job.cancel');
      require_(frame.job_id === jobId, `job.cancel carries envelope job_id ${JSON.stringify(frame.job_id)}, not ${jobId} (catalog §2.12: the target is the envelope job_id)`);
      require_(frame.session_id === s.sessionId, `job.cancel carries session_id ${JSON.stringify(frame.session_id)}`);
      s.conn.send(F.cancelled(s.sessionId, jobId, 'user'));
      s.error(jobId, 'CANCELLED');
      const r = await cancel;
      require_(r.ok, `cancel failed with ${!r.ok ? r.error.code : ''}`);
      const t = await ctx.client.terminal(jobId);
      if (t.obs !== 'job_error' || t.code !== 'CANCELLED') throw new Violation(`the application was shown ${t.obs}${'code' in t ? ` ${t.code}` : ''}, not CANCELLED`);
      require_(t.retryable === false, 'CANCELLED reached the application as retryable');
    },
  }),

  clientScenario({
    id: '6.6/client/list-correlated-by-request-id',
    statements: [],
    spec: '§6.6',
    level: 'MUST',
    feature: 'list_jobs',
    title: 'two concurrent list_jobs answered in reverse order each get their own page (session.jobs.request_id = the list_jobs envelope id)',
    async run(ctx) {
      await ctx.start();
      const s = await ctx.open();
      const a = ctx.client.do({ op: 'list', limit: 1 });
      const la = await s.conn.nextType('session.list_jobs');
      const b = ctx.client.do({ op: 'list', limit: 2 });
      const lb = await s.conn.nextType('session.list_jobs');
      const ja = F.ids.job();
      const jb = F.ids.job();
      s.conn.send(F.jobsPage(s.sessionId, String(lb.id), [F.listEntry(jb, 7)], null));
      s.conn.send(F.jobsPage(s.sessionId, String(la.id), [F.listEntry(ja, 3)], 'cursor-2'));
      const [ra, rb] = await Promise.all([a, b]);
      if (!ra.ok || !rb.ok) throw new Violation('a list failed');
      const ida = (ra.jobs as { job_id: string }[] | undefined)?.map((j) => j.job_id);
      const idb = (rb.jobs as { job_id: string }[] | undefined)?.map((j) => j.job_id);
      require_(ida?.[0] === ja && idb?.[0] === jb, `pages crossed: first list got ${JSON.stringify(ida)}, second got ${JSON.stringify(idb)}`);
      require_(ra.next_cursor === 'cursor-2' && rb.next_cursor === null, `next_cursor crossed or lost: ${JSON.stringify(ra.next_cursor)}, ${JSON.stringify(rb.next_cursor)}`);
    },
  }),

  clientScenario({
    id: '7.6/client/subscribe-history-either-order',
    statements: [],
    spec: '§7.6',
    level: 'interop',
    feature: 'subscribe',
    title: 'subscribe with history: replayed events before job.subscribed (TS) or after it (arcp-kit, Go) all reach the application (catalog §10 #29: replay order is a gap)',
    async run(ctx) {
      for (const before of [true, false]) {
        await ctx.start();
        const s = await ctx.open();
        const jobId = F.ids.job();
        const p = ctx.client.do({ op: 'subscribe', job_id: jobId, history: true });
        const sub = await s.conn.nextType('job.subscribe');
        const send = () => {
          s.log(jobId, 'h1');
          s.log(jobId, 'h2');
        };
        if (before) send();
        s.conn.send(F.subscribed(s.sessionId, jobId, sub, before ? s.seq : 0, true));
        if (!before) send();
        const r = await p;
        require_(r.ok, 'subscribe failed');
        s.log(jobId, 'live');
        await ctx.client.eventsAtLeast(jobId, 3);
        const n = ctx.client.events(jobId).length;
        require_(n === 3, `history ${before ? 'before' : 'after'} job.subscribed: the application saw ${n} of 3 events`);
      }
    },
  }),
];
