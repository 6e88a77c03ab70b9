// §9.6 budget arithmetic on sums that do not cancel in binary floating point: 1.00 minus ten
// 0.10 leaves 1.4e-16 in binary64, so a float runtime lets the op after the last cost through.
// The verdict is read from the wire (the metric and tool_result frames of the job) and judged
// by the decimal oracle, not from what the spender agent reports.
import { field } from '../driver/wire.js';
import { BudgetModel } from '../model/budget-oracle.js';
import { AGENTS, scenario } from './define.js';
import { require_, Violation } from './outcomes.js';
import type { CheckDef } from './types.js';
import { opsOnWire } from './wire-probes.js';

/** Budgets that binary64 (running remainder or running sum) and binary32 all get wrong. */
const CASES: readonly { budget: string; cost: string; times: number }[] = [
  { budget: '1.00', cost: '0.10', times: 10 }, // remainder 1.4e-16 > 0 in binary64
  { budget: '0.70', cost: '0.10', times: 7 }, // remainder 2.8e-17 > 0
  { budget: '0.90', cost: '0.10', times: 9 }, // running sum 0.8999999999999999 < 0.90
];

export const budgetBinarySumChecks: CheckDef[] = [
  scenario({
    id: '9.6/budget/binary-inexact-sums',
    statements: ['S9.6-02', 'S9.6-04', 'S9.6-05'],
    spec: '§9.6',
    level: 'MUST',
    title: 'USD:1.00 minus ten costs of 0.10 (and 0.70 - 7 x 0.10, 0.90 - 9 x 0.10) is exactly 0: every op before the last cost is allowed, the op after it is BUDGET_EXHAUSTED (judged from the wire)',
    feature: 'cost.budget',
    agents: [AGENTS.spender],
    async run(ctx) {
      const s = await ctx.open('A');
      for (const c of CASES) {
        const what = `USD:${c.budget} - ${c.times} x ${c.cost}`;
        const costs = Array.from({ length: c.times }, () => ({ amount: Number(c.cost), currency: 'USD' }));
        const jobId = await ctx.submit(s, AGENTS.spender, { costs, op: { capability: 'tool.call', target: 'search' } }, { lease_request: { 'cost.budget': [`USD:${c.budget}`], 'tool.call': ['search'] } });
        const term = await ctx.terminal(s, jobId);
        const frames = s.conn.messages();
        // the oracle replays the cost metrics the wire carried, in order, against each op after them
        const oracle = new BudgetModel([`USD:${c.budget}`]);
        const ops = opsOnWire(frames, jobId);
        let op = 0;
        for (const m of frames) {
          if (m.job_id !== jobId || m.type !== 'job.event') continue;
          const kind = field(m, 'payload', 'kind');
          const name = String(field(m, 'payload', 'body', 'name'));
          // cost.budget.remaining is the runtime's own gauge, not a cost (§8.2)
          if (kind === 'metric' && name.startsWith('cost.') && !name.startsWith('cost.budget')) {
            oracle.spend(String(field(m, 'payload', 'body', 'value')), String(field(m, 'payload', 'body', 'unit')));
          } else if (kind === 'tool_result') {
            const got = ops[op++];
            const exhausted = oracle.exhausted();
            if (exhausted && got.allowed) throw new Violation(`${what}: op ${op} was allowed (${got.frame}) with the decimal counter at ${oracle.remaining('USD')} (float arithmetic?)`);
            if (!exhausted && !got.allowed) throw new Violation(`${what}: op ${op} was denied ${String(got.code)} (${got.frame}) with USD ${oracle.remaining('USD')} left`);
            if (exhausted) require_(got.code === 'BUDGET_EXHAUSTED', `${what}: op ${op} denied with ${String(got.code)}, expected BUDGET_EXHAUSTED`);
          }
        }
        if (term.type === 'job.error') {
          // the fatal form (§9.6 MAY) must come exactly when the counter reaches 0
          require_(field(term, 'payload', 'code') === 'BUDGET_EXHAUSTED', `${what}: spender ended with ${String(field(term, 'payload', 'code'))}`, term);
          require_(oracle.exhausted(), `${what}: job.error BUDGET_EXHAUSTED with USD ${oracle.remaining('USD')} left`);
          continue;
        }
        require_(op === c.times, `${what}: the wire shows ${op} operations, expected ${c.times}`);
        require_(ops[c.times - 1]?.allowed === false, `${what}: the op after the last cost was allowed (the counter is exactly 0)`);
      }
    },
  }),
];
