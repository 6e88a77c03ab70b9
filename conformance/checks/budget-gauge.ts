// §9.6 / §8.2 `cost.budget.remaining` (found by attacking the harness, issue 8): emitting the
// gauge is a MAY, but a gauge the runtime does emit reports its counter, and the counter MUST
// be decremented by every cost. A gauge that shows the value before the charge that triggered
// it (or any value other than the budget minus the costs so far) means the counter a client
// renders is not the one the runtime enforces. Judged from the wire: job.accepted's budget,
// the job's cost metrics and the gauges, in emission order. No gauge at all passes (MAY).
import { field, jobIdOf } from '../driver/wire.js';
import { AGENTS, scenario } from './define.js';
import { require_, Violation } from './outcomes.js';
import type { CheckDef } from './types.js';
import { eventsOf } from './wire-probes.js';

const COSTS = [0.25, 0.125, 0.5];

export const budgetGaugeChecks: CheckDef[] = [
  scenario({
    id: '9.6/budget/remaining-gauge-tracks-costs',
    statements: ['S9.6-02'],
    spec: '§9.6, §8.2',
    level: 'MUST',
    title: 'every cost.budget.remaining gauge the runtime emits equals the budget in job.accepted minus the costs reported before it (USD:1.00, costs 0.25, 0.125, 0.5)',
    feature: 'cost.budget',
    agents: [AGENTS.spender],
    async run(ctx) {
      const s = await ctx.open('A');
      const accepted = await ctx.submitRaw(s, AGENTS.spender, { costs: COSTS.map((amount) => ({ amount, currency: 'USD' })), op: { capability: 'tool.call', target: 'search' } }, { lease_request: { 'cost.budget': ['USD:1.00'], 'tool.call': ['search'] } });
      require_(accepted.type === 'job.accepted', `submit answered by ${accepted.type} ${String(field(accepted, 'payload', 'code') ?? '')}`, accepted);
      const jobId = String(jobIdOf(accepted));
      const initial = field(accepted, 'payload', 'budget', 'USD');
      require_(typeof initial === 'number', `job.accepted carries budget.USD ${String(initial)}`, accepted);
      await ctx.terminal(s, jobId);
      let spent = 0;
      let gauges = 0;
      let costMetricsSeen = 0;
      for (const m of eventsOf(s.conn.messages(), jobId, 'metric')) {
        const name = String(field(m, 'payload', 'body', 'name') ?? '');
        if (field(m, 'payload', 'body', 'unit') !== 'USD' || !name.startsWith('cost.')) continue;
        const value = Number(field(m, 'payload', 'body', 'value'));
        if (name !== 'cost.budget.remaining') {
          spent += value;
          costMetricsSeen++;
          continue;
        }
        gauges++;
        // A runtime that charges the agent's costs without forwarding them as metric events (the
        // TS reference runtime) shows only the gauges: then the n-th gauge follows the n-th of the
        // agent's known costs. Reading 0 costs there would be a false failure.
        const charged = costMetricsSeen > 0 ? spent : COSTS.slice(0, gauges).reduce((a, b) => a + b, 0);
        const want = (initial as number) - charged;
        if (Math.abs(value - want) > 1e-9) throw new Violation(`cost.budget.remaining says ${value} USD after ${charged} of costs on a budget of ${String(initial)}: the counter is ${want}`, { frame: m });
      }
      ctx.note(gauges === 0 ? 'the runtime emits no cost.budget.remaining gauge (MAY): nothing to compare' : `${gauges} gauge(s) compared`);
    },
  }),
];
