// §7.6 edges a fault catalogue written alongside the checks did not reach (found by attacking
// the harness, issue 8): `from_event_seq` without `history: true` must replay nothing; an
// unsubscribe ends only the subscription it names; job.subscribed describes the job as it is
// *now* (a finished job's final status, its current budget counters, its lease_constraints),
// not a snapshot cached at acceptance. Verdicts come from the job.subscribed frame compared
// with what the owner's own wire showed (job.accepted, cost metrics, the terminal). An unknown
// job_id gets JOB_NOT_FOUND on subscribe too (only the cancel path was checked).
import { envelope, field, jobIdOf, type Envelope } from '../driver/wire.js';
import { AGENTS, requireErrorCode, scenario } from './define.js';
import { replayedToLateSubscriber } from './late-subscriber.js';
import { NotApplicable, require_, Violation } from './outcomes.js';
import type { CheckDef } from './types.js';
import { eventsOf, heartbeatBarrier as barrier, subscribe } from './wire-probes.js';


/** Sum of the job's cost metrics in `currency` on this wire (the runtime's own gauge excluded). */
function spentOnWire(frames: readonly Envelope[], jobId: string, currency: string): number {
  let sum = 0;
  for (const m of eventsOf(frames, jobId, 'metric')) {
    const name = String(field(m, 'payload', 'body', 'name') ?? '');
    if (name.startsWith('cost.') && name !== 'cost.budget.remaining' && field(m, 'payload', 'body', 'unit') === currency) sum += Number(field(m, 'payload', 'body', 'value'));
  }
  return sum;
}

export const subscriptionEdgeChecks: CheckDef[] = [
  scenario({
    id: '7.6/subscribe/unknown-job',
    statements: ['S12-03'],
    spec: '§7.6, §12',
    level: 'MUST',
    title: 'job.subscribe for a job_id that was never issued gets JOB_NOT_FOUND (§12: referenced job_id does not exist), as job.cancel does',
    feature: 'subscribe',
    async run(ctx) {
      const s = await ctx.open('A');
      const reply = await subscribe(s, 'job_01JZZZZZZZZZZZZZZZZZZZZZZZ', { history: false });
      requireErrorCode(reply, ['JOB_NOT_FOUND'], 'subscribe to an unknown job');
    },
  }),
  scenario({
    id: '7.6/subscribe/from-seq-without-history',
    statements: ['S7.6-03'],
    spec: '§7.6',
    level: 'MUST',
    title: 'job.subscribe with from_event_seq 0 but history false replays nothing: from_event_seq applies only "along with history: true"',
    feature: 'subscribe',
    agents: [AGENTS.slow],
    needs: ['reconnect'],
    async run(ctx) {
      const replayed = await replayedToLateSubscriber(ctx, { history: false, from_event_seq: 0 });
      if (replayed.length > 0) throw new Violation(`history false with from_event_seq 0 replayed ${replayed.length} progress event(s) emitted before the subscribe was sent (current ${String(field(replayed[0], 'payload', 'body', 'current'))})`, { frame: replayed[0] });
    },
  }),
  scenario({
    id: '7.6/unsubscribe/only-the-named-job',
    statements: ['S7.6-05', 'S7.6-07'],
    spec: '§7.6',
    level: 'MUST',
    title: 'a session subscribed to two jobs that unsubscribes from the second still receives the first job\'s events and terminal',
    feature: 'subscribe',
    agents: [AGENTS.slow],
    needs: ['reconnect'],
    async run(ctx) {
      const owner = await ctx.open('A');
      const first = await ctx.submit(owner, AGENTS.slow, { steps: 10, interval_ms: 50 });
      const second = await ctx.submit(owner, AGENTS.slow, { steps: 10, interval_ms: 50 });
      const watcher = await ctx.open('A');
      for (const jobId of [first, second]) {
        const sub = await subscribe(watcher, jobId, { history: false });
        require_(sub.type === 'job.subscribed', `subscribe to ${jobId} answered by ${sub.type}`, sub);
      }
      watcher.conn.send(envelope('job.unsubscribe', { job_id: second }, { session_id: watcher.sessionId, job_id: second }));
      await barrier(watcher);
      const ownerTerminal = await ctx.terminal(owner, first, Math.max(ctx.timeoutMs, 5000));
      await ctx.sleep(Math.min(200, ctx.timeoutMs / 4));
      const got = watcher.conn.messages().find((m) => m.job_id === first && (m.type === 'job.result' || m.type === 'job.error'));
      if (!got) throw new Violation(`after unsubscribing from ${second}, the subscriber never received the terminal of ${first}, which it is still subscribed to`, { frame: ownerTerminal });
    },
  }),
  scenario({
    id: '7.6/subscribe/descriptor-is-current',
    statements: ['S7.6-01'],
    spec: '§7.6',
    level: 'MUST',
    title: 'job.subscribed of a finished budgeted job shows its final status as current_status, the counters after its costs as budget, and its lease_constraints',
    feature: 'subscribe',
    agents: [AGENTS.spender],
    needs: ['reconnect'],
    async run(ctx) {
      const owner = await ctx.open('A');
      const budgeted = owner.features.includes('cost.budget');
      const expiresAt = new Date(Date.now() + 3600_000).toISOString().replace(/\.\d+Z$/, 'Z');
      const accepted = await ctx.submitRaw(owner, AGENTS.spender, { costs: budgeted ? [{ amount: 0.25, currency: 'USD' }] : [], op: { capability: 'tool.call', target: 'search' } }, {
        lease_request: { 'tool.call': ['search'], ...(budgeted ? { 'cost.budget': ['USD:1.00'] } : {}) },
        lease_constraints: { expires_at: expiresAt },
      });
      require_(accepted.type === 'job.accepted', `submit answered by ${accepted.type} ${String(field(accepted, 'payload', 'code') ?? '')}`, accepted);
      const jobId = String(jobIdOf(accepted));
      const term = await ctx.terminal(owner, jobId);
      const watcher = await ctx.open('A');
      const sub = await subscribe(watcher, jobId, { history: false });
      if (sub.type !== 'job.subscribed') throw new NotApplicable(`the runtime does not describe a finished job to a subscriber (${sub.type} ${String(field(sub, 'payload', 'code') ?? '')})`);
      const finalStatus = field(term, 'payload', 'final_status');
      require_(field(sub, 'payload', 'current_status') === finalStatus, `job.subscribed.current_status is ${String(field(sub, 'payload', 'current_status'))} for a job that ended ${String(finalStatus)} (${String(term.type)} ${String(term.id)})`, sub);
      const echoed = field(accepted, 'payload', 'lease_constraints', 'expires_at');
      if (echoed !== undefined) {
        require_(field(sub, 'payload', 'lease_constraints', 'expires_at') === echoed, `job.subscribed.lease_constraints.expires_at is ${String(field(sub, 'payload', 'lease_constraints', 'expires_at'))}, the job's is ${String(echoed)} (echoed in its job.accepted)`, sub);
      }
      const initial = field(accepted, 'payload', 'budget', 'USD');
      const shown = field(sub, 'payload', 'budget', 'USD');
      if (budgeted && typeof initial === 'number' && shown !== undefined) {
        const spent = spentOnWire(owner.conn.messages(), jobId, 'USD');
        require_(spent > 0, 'the spender reported no USD cost on the wire');
        const want = initial - spent;
        require_(typeof shown === 'number' && Math.abs(shown - want) < 1e-9, `job.subscribed.budget.USD is ${String(shown)}: the job was accepted with ${initial} and reported ${spent} of costs, so the current counter is ${want}`, sub);
      }
    },
  }),
];
