// Finished jobs are still jobs: an idempotent hit on one must reach its outcome (§7.2), and
// another principal must learn nothing about it (§6.6, §14) — not from a listing, a subscribe,
// a cancel or a resubmit with the same key. Most isolation bugs live on these "after" paths.
import { envelope, field, jobIdOf } from '../driver/wire.js';
import { AGENTS, canonicalJson, inlineResult, scenario } from './define.js';
import { require_, Violation } from './outcomes.js';
import type { CheckDef } from './types.js';
import { barrier, listedJobIds, resubmit, subscribe } from './wire-probes.js';

/** Codes a runtime may use to refuse a job the caller may not know about (§6.6: no leak). */
const HIDDEN = ['JOB_NOT_FOUND', 'PERMISSION_DENIED'];

export const finishedJobChecks: CheckDef[] = [
  scenario({
    id: '7.2/idempotency/finished-job-reaches-outcome',
    statements: ['S7.2-03'],
    spec: '§7.2',
    level: 'MUST',
    title: 'resubmitting a finished job\'s idempotency key from a new session returns the same job.accepted and that session then receives the job\'s terminal',
    agents: [AGENTS.echo],
    needs: ['reconnect'],
    async run(ctx) {
      const first = await ctx.open('A');
      const key = `conf-finished-${Date.now()}-${ctx.config.seed}`;
      const input = { finished: true, seed: ctx.config.seed };
      const jobId = await ctx.submit(first, AGENTS.echo, input, { idempotency_key: key });
      const term = await ctx.terminal(first, jobId);
      require_(term.type === 'job.result', `echo ended with ${term.type}`, term);
      const again = await ctx.open('A');
      const reply = await resubmit(again, AGENTS.echo, input, key, jobId);
      require_(reply.type === 'job.accepted', `idempotent resubmit answered by ${reply.type} ${String(field(reply, 'payload', 'code') ?? '')}`, reply);
      require_(String(jobIdOf(reply)) === jobId, 'the resubmit started another job', reply);
      const outcome = await again.conn.expect((m) => (m.type === 'job.result' || m.type === 'job.error') && m.job_id === jobId, `terminal of the finished job after job.accepted ${String(reply.id)} on the resubmitting session`);
      require_(outcome.type === 'job.result' && canonicalJson(inlineResult(outcome)) === canonicalJson(input), `the resubmitting session got ${outcome.type} with another result`, outcome);
    },
  }),
  scenario({
    id: '6.6/isolation/finished-job-invisible',
    statements: ['S6.6-04', 'S7.6-06', 'S7.4-02', 'S12-03'],
    spec: '§6.6, §7.4, §7.6, §14',
    level: 'MUST',
    title: 'a finished job of principal A is invisible to principal B: not listed, subscribe refused (PERMISSION_DENIED or JOB_NOT_FOUND), cancel refused without job.cancelled',
    agents: [AGENTS.echo],
    needs: ['two-principals'],
    async run(ctx) {
      const a = await ctx.open('A');
      const jobId = await ctx.submit(a, AGENTS.echo, { secret: 'a' });
      await ctx.terminal(a, jobId);
      const b = await ctx.open('B');
      if (b.features.includes('list_jobs')) require_(!(await listedJobIds(b, { limit: 1000 })).includes(jobId), 'principal B\'s listing shows A\'s finished job');
      if (b.features.includes('subscribe')) {
        const sub = await subscribe(b, jobId, { history: true, from_event_seq: 0 });
        require_(sub.type !== 'job.subscribed', 'principal B subscribed to A\'s finished job', sub);
        require_(HIDDEN.includes(String(field(sub, 'payload', 'code'))), `subscribe refused with ${String(field(sub, 'payload', 'code'))}, expected ${HIDDEN.join(' or ')}`, sub);
        require_(!b.conn.messages().some((m) => m.job_id === jobId && m.type === 'job.event'), 'principal B received events of A\'s finished job');
      }
      const answer = await b.conn.request(envelope('job.cancel', { job_id: jobId, reason: 'conformance' }, { session_id: b.sessionId, job_id: jobId }), { what: 'job.cancel of A\'s finished job' });
      if (answer.type === 'job.cancelled') throw new Violation('principal B\'s job.cancel of A\'s finished job was acknowledged', { frame: answer });
      require_(HIDDEN.includes(String(field(answer, 'payload', 'code'))), `cancel refused with ${String(field(answer, 'payload', 'code'))}, expected ${HIDDEN.join(' or ')}`, answer);
    },
  }),
  scenario({
    id: '7.2/idempotency/key-scoped-to-principal',
    statements: ['S7.2-04', 'S6.6-04'],
    spec: '§7.2, §6.6, §14',
    level: 'MUST',
    title: 'principal B resubmitting A\'s idempotency key gets its own job (same payload) or a fresh one (other payload), never A\'s job_id or DUPLICATE_KEY',
    agents: [AGENTS.echo],
    needs: ['two-principals'],
    async run(ctx) {
      const a = await ctx.open('A');
      const base = `conf-shared-key-${Date.now()}-${ctx.config.seed}`;
      // key 1: B sends A's exact payload; key 2: B sends another payload (DUPLICATE_KEY would reveal A's key)
      const cases = [
        { key: `${base}-1`, inputA: { owner: 'a', n: 1 }, inputB: { owner: 'a', n: 1 } },
        { key: `${base}-2`, inputA: { owner: 'a', n: 2 }, inputB: { owner: 'b', n: 2 } },
      ];
      const jobsA: string[] = [];
      for (const c of cases) {
        const jobA = await ctx.submit(a, AGENTS.echo, c.inputA, { idempotency_key: c.key });
        await ctx.terminal(a, jobA);
        jobsA.push(jobA);
      }
      const b = await ctx.open('B');
      for (const [i, c] of cases.entries()) {
        const reply = await ctx.submitRaw(b, AGENTS.echo, c.inputB, { idempotency_key: c.key });
        if (reply.type !== 'job.accepted') throw new Violation(`B's submit with A's key ${i + 1} answered by ${reply.type} ${String(field(reply, 'payload', 'code') ?? '')} (reveals A's key)`, { frame: reply });
        const jobB = String(jobIdOf(reply));
        require_(!jobsA.includes(jobB), `B's submit with A's idempotency key ${i + 1} returned A's job ${jobB}`);
        const term = await ctx.terminal(b, jobB);
        require_(canonicalJson(inlineResult(term)) === canonicalJson(c.inputB), `B's job for key ${i + 1} returned a result that is not its own input`, term);
      }
    },
  }),
  scenario({
    id: '7.3/terminal/once-for-a-late-subscriber',
    statements: ['S7.3-01'],
    spec: '§7.3, §7.6',
    level: 'MUST',
    title: 'a session that subscribes to a finished job (history true or false) receives its terminal at most once, and nothing of the job after it',
    feature: 'subscribe',
    agents: [AGENTS.echo],
    needs: ['reconnect'],
    async run(ctx) {
      const a = await ctx.open('A');
      const jobId = await ctx.submit(a, AGENTS.echo, { n: 1 });
      await ctx.terminal(a, jobId);
      for (const history of [true, false]) {
        const watcher = await ctx.open('A');
        const sub = await subscribe(watcher, jobId, history ? { history: true, from_event_seq: 0 } : {});
        if (sub.type !== 'job.subscribed') continue; // refusing a finished job is another check's concern
        // the replay (and any re-sent outcome) follows job.subscribed; a ping round trip or a pause lets it arrive
        if (watcher.features.includes('heartbeat')) await barrier(watcher);
        await ctx.sleep(Math.min(200, ctx.timeoutMs / 4));
        const mine = watcher.conn.messages().filter((m) => m.job_id === jobId && (m.type === 'job.event' || m.type === 'job.result' || m.type === 'job.error'));
        const terminals = mine.filter((m) => m.type !== 'job.event');
        if (terminals.length > 1) throw new Violation(`history ${history}: the subscriber received ${terminals.length} terminals of finished job ${jobId} (${terminals.map((m) => `${m.type} event_seq ${String(m.event_seq)}`).join(', ')})`, { frame: terminals[1] });
        const after = terminals.length === 1 ? mine.slice(mine.indexOf(terminals[0]) + 1) : [];
        require_(after.length === 0, `history ${history}: ${after.length} frame(s) of job ${jobId} followed its terminal on the subscriber's stream`, after[0]);
      }
    },
  }),
];
