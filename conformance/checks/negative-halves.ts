// The negative half of each feature: a filter must exclude, `history: false` must replay
// nothing, an unsubscribe must stop delivery, a listing must not subscribe, and a job inside its
// limits must succeed. A runtime that over-delivers or over-refuses passes every positive check.
import { envelope, field } from '../driver/wire.js';
import { AGENTS, scenario } from './define.js';
import { replayedToLateSubscriber } from './late-subscriber.js';
import { require_ } from './outcomes.js';
import type { CheckDef } from './types.js';
import { eventsOf, heartbeatBarrier as barrier, listedJobIds, listing, opsOnWire, progressCurrents, subscribe } from './wire-probes.js';


export const negativeHalfChecks: CheckDef[] = [
  scenario({
    id: '7.6/subscribe/no-history-no-replay',
    statements: ['S7.6-03'],
    spec: '§7.6',
    level: 'MUST',
    title: 'job.subscribe with history false replays nothing: events emitted before the subscribe was sent never reach the subscriber, later ones do',
    feature: 'subscribe',
    agents: [AGENTS.slow],
    needs: ['reconnect'],
    async run(ctx) {
      const replayed = (await replayedToLateSubscriber(ctx, { history: false })).map((m) => Number(field(m, 'payload', 'body', 'current')));
      require_(replayed.length === 0, `history false replayed progress ${JSON.stringify(replayed)} emitted before the subscribe was sent`);
    },
  }),
  scenario({
    id: '7.6/subscribe/history-from-position',
    statements: ['S7.6-02'],
    spec: '§7.6',
    level: 'MUST',
    title: 'subscribe with history from the owner\'s event_seq of progress 2 replays exactly progress 3.. (nothing at or before the position, nothing skipped after it)',
    feature: 'subscribe',
    agents: [AGENTS.slow],
    needs: ['reconnect'],
    async run(ctx) {
      const owner = await ctx.open('A');
      require_(owner.features.includes('progress'), 'the owner did not negotiate progress');
      const steps = 6;
      const jobId = await ctx.submit(owner, AGENTS.slow, { steps, interval_ms: 40 });
      const at = (n: number) => (m: { job_id?: unknown; payload?: unknown }) => m.job_id === jobId && field(m, 'payload', 'kind') === 'progress' && Number(field(m, 'payload', 'body', 'current')) === n;
      const second = await owner.conn.expect(at(2), 'progress 2 (owner)');
      await owner.conn.expect(at(3), 'progress 3 (owner)');
      const watcher = await ctx.open('A');
      const sub = await subscribe(watcher, jobId, { history: true, from_event_seq: Number(second.event_seq) });
      require_(sub.type === 'job.subscribed', `subscribe answered by ${sub.type} ${String(field(sub, 'payload', 'code') ?? '')}`, sub);
      await ctx.terminal(watcher, jobId);
      const got = progressCurrents(watcher.conn.messages(), jobId);
      const want = Array.from({ length: steps - 2 }, (_, i) => i + 3);
      require_(JSON.stringify(got) === JSON.stringify(want), `history from event_seq ${String(second.event_seq)} (progress 2) delivered progress ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`);
    },
  }),
  scenario({
    id: '7.6/unsubscribe/stops-delivery',
    statements: ['S7.6-07'],
    spec: '§7.6',
    level: 'MUST',
    gradeReason: 'the MAY is the subscriber\'s permission to unsubscribe; a runtime that honours the message but keeps delivering makes it meaningless, so delivery after the reply is graded as a broken message contract',
    title: 'after job.unsubscribe (and a ping/pong round trip behind it) no further frame of that job reaches the subscriber',
    feature: 'subscribe',
    agents: [AGENTS.slow],
    needs: ['reconnect'],
    async run(ctx) {
      const owner = await ctx.open('A');
      const jobId = await ctx.submit(owner, AGENTS.slow, { steps: 10, interval_ms: 50 });
      const watcher = await ctx.open('A');
      const sub = await subscribe(watcher, jobId, { history: false });
      require_(sub.type === 'job.subscribed', `subscribe answered by ${sub.type}`, sub);
      await watcher.conn.expect((m) => m.job_id === jobId && field(m, 'payload', 'kind') === 'progress', 'a live progress event (subscriber)');
      watcher.conn.send(envelope('job.unsubscribe', { job_id: jobId }, { session_id: watcher.sessionId, job_id: jobId }));
      await barrier(watcher);
      const cut = watcher.conn.messages().length;
      await ctx.terminal(owner, jobId, Math.max(ctx.timeoutMs, 5000));
      await ctx.sleep(Math.min(200, ctx.timeoutMs / 4));
      const after = watcher.conn.messages().slice(cut).filter((m) => m.job_id === jobId);
      require_(after.length === 0, `${after.length} frame(s) of the job (${after.map((m) => m.type).join(', ')}) reached the subscriber after unsubscribe`);
    },
  }),
  scenario({
    id: '6.6/list/finished-listed-filters-narrow',
    statements: ['S6.6-02'],
    spec: '§6.6',
    level: 'MUST',
    title: 'session.list_jobs lists finished jobs too; filter.status ["running"] excludes the finished job, filter.agent excludes other agents\' jobs',
    feature: 'list_jobs',
    agents: [AGENTS.echo, AGENTS.slow],
    async run(ctx) {
      const s = await ctx.open('A');
      const done = await ctx.submit(s, AGENTS.echo, { listed: true });
      await ctx.terminal(s, done);
      const running = await ctx.submit(s, AGENTS.slow, { steps: 40, interval_ms: 50 });
      await s.conn.expect((m) => m.job_id === running && m.type === 'job.event', 'the slow job running');
      const { ids: all, frame } = await listing(s, { limit: 1000 });
      require_(all.includes(done), `${frame} lists ${all.length} job(s) without the finished job ${done} (§6.6: finished jobs are listed too)`);
      require_(all.includes(running), 'the running job is missing from the listing');
      const live = await listedJobIds(s, { filter: { status: ['running'] }, limit: 1000 });
      require_(live.includes(running), 'filter status ["running"] dropped the running job');
      require_(!live.includes(done), 'filter status ["running"] still lists the finished job');
      const echoes = await listedJobIds(s, { filter: { agent: AGENTS.echo }, limit: 1000 });
      require_(echoes.includes(done), `filter agent ${AGENTS.echo} dropped the echo job`);
      require_(!echoes.includes(running), `filter agent ${AGENTS.echo} still lists the ${AGENTS.slow} job`);
    },
  }),
  scenario({
    id: '6.6/list/does-not-subscribe',
    statements: ['S6.6-05'],
    spec: '§6.6',
    level: 'MUST',
    title: 'listing a running job from another session of the same principal delivers none of its events to the listing session',
    feature: 'list_jobs',
    agents: [AGENTS.slow],
    needs: ['reconnect'],
    async run(ctx) {
      const owner = await ctx.open('A');
      const jobId = await ctx.submit(owner, AGENTS.slow, { steps: 6, interval_ms: 50 });
      const lister = await ctx.open('A');
      require_((await listedJobIds(lister, { limit: 1000 })).includes(jobId), 'the running job is missing from the same principal\'s listing');
      await ctx.terminal(owner, jobId, Math.max(ctx.timeoutMs, 5000));
      await ctx.sleep(Math.min(200, ctx.timeoutMs / 4));
      const leaked = lister.conn.messages().filter((m) => m.job_id === jobId && m.type !== 'session.jobs');
      require_(leaked.length === 0, `the listing session received ${leaked.length} frame(s) of the listed job (${leaked[0]?.type})`);
    },
  }),
  scenario({
    id: '7.1/limits/inside-limits-succeed',
    statements: ['S7.1-03', 'S7.3-03'],
    spec: '§7.1, §7.3, §9.5, §9.6',
    level: 'MUST',
    title: 'a job well inside max_runtime_sec succeeds; without lease_constraints a late op is allowed; without cost.budget costs never exhaust anything (judged from the wire)',
    agents: [AGENTS.slow, AGENTS.tools, AGENTS.spender],
    async run(ctx) {
      const s = await ctx.open('A');
      const quick = await ctx.submit(s, AGENTS.slow, { steps: 2, interval_ms: 50 }, { max_runtime_sec: 60 });
      const qt = await ctx.terminal(s, quick);
      require_(qt.type === 'job.result' && field(qt, 'payload', 'final_status') === 'success', `a 0.1 s job under max_runtime_sec 60 ended with ${qt.type} ${String(field(qt, 'payload', 'code') ?? field(qt, 'payload', 'final_status'))}`, qt);
      const late = await ctx.submit(s, AGENTS.tools, { ops: [{ capability: 'fs.read', target: '/w/a' }], delay_ms: 1500 }, { lease_request: { 'fs.read': ['/w/**'] } });
      const lt = await ctx.terminal(s, late, Math.max(ctx.timeoutMs, 6000));
      require_(lt.type === 'job.result', `a lease without expires_at ended with ${lt.type} ${String(field(lt, 'payload', 'code') ?? '')}`, lt);
      const lateOps = opsOnWire(s.conn.messages(), late);
      require_(lateOps.length === 1 && lateOps[0].allowed, `an op 1.5 s into a lease without expires_at was ${lateOps[0]?.allowed ? 'allowed' : `denied (${String(lateOps[0]?.code)})`}`);
      const costs = [{ amount: 1000, currency: 'USD' }, { amount: 1000, currency: 'EUR' }];
      const spend = await ctx.submit(s, AGENTS.spender, { costs, op: { capability: 'tool.call', target: 'search' } }, { lease_request: { 'tool.call': ['search'] } });
      const st = await ctx.terminal(s, spend);
      require_(st.type === 'job.result', `costs under a lease without cost.budget ended the job with ${st.type} ${String(field(st, 'payload', 'code') ?? '')}`, st);
      const spendOps = opsOnWire(s.conn.messages(), spend);
      require_(spendOps.length === costs.length && spendOps.every((o) => o.allowed), `without cost.budget, ops after costs were ${JSON.stringify(spendOps.map((o) => o.code ?? 'allowed'))}`);
    },
  }),
  scenario({
    id: '7.6/subscribe/descriptor',
    statements: ['S7.6-01'],
    spec: '§7.6',
    level: 'MUST',
    title: 'job.subscribed carries the authority descriptor: job_id, current_status, agent, lease, subscribed_from and replayed',
    feature: 'subscribe',
    agents: [AGENTS.slow],
    needs: ['reconnect'],
    async run(ctx) {
      const owner = await ctx.open('A');
      const lease = { 'fs.read': ['/w/**'] };
      const jobId = await ctx.submit(owner, AGENTS.slow, { steps: 6, interval_ms: 50 }, { lease_request: lease });
      const watcher = await ctx.open('A');
      const sub = await subscribe(watcher, jobId, { history: true, from_event_seq: 0 });
      require_(sub.type === 'job.subscribed', `subscribe answered by ${sub.type}`, sub);
      const p = sub.payload;
      require_(field(p, 'job_id') === jobId, `job.subscribed names job ${String(field(p, 'job_id'))}`);
      require_(typeof field(p, 'current_status') === 'string', 'job.subscribed has no current_status');
      require_(String(field(p, 'agent')).split('@')[0] === AGENTS.slow, `job.subscribed agent is ${String(field(p, 'agent'))}`);
      const got = field(p, 'lease', 'fs.read');
      require_(Array.isArray(got) && got.includes('/w/**'), `job.subscribed lease is ${JSON.stringify(field(p, 'lease'))}`);
      require_(typeof field(p, 'subscribed_from') === 'number', 'job.subscribed has no numeric subscribed_from');
      require_(typeof field(p, 'replayed') === 'boolean', 'job.subscribed has no boolean replayed');
    },
  }),
];
