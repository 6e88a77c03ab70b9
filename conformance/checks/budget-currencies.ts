// §9.6 "the runtime MUST check all budget counters before authorizing any operation": a lease
// budgeting two currencies, one of them spent to exactly 0, must refuse the next operation
// BUDGET_EXHAUSTED whichever position the exhausted currency has in the lease. Every other
// budget check budgets USD alone, so a runtime that only looks at its first counter passed them.
// The verdict is read from the wire (the job's tool_result frames).
import { field } from '../driver/wire.js';
import { AGENTS, scenario } from './define.js';
import { require_, Violation } from './outcomes.js';
import type { CheckDef } from './types.js';
import { opsOnWire } from './wire-probes.js';

const CASES: readonly { budget: string[]; spend: { amount: number; currency: string }; exhausted: boolean }[] = [
  { budget: ['USD:1.00', 'credits:5'], spend: { amount: 5, currency: 'credits' }, exhausted: true }, // the second counter at 0
  { budget: ['credits:5', 'USD:1.00'], spend: { amount: 1, currency: 'USD' }, exhausted: true }, // the second counter at 0, other order
  { budget: ['USD:1.00', 'credits:5'], spend: { amount: 4, currency: 'credits' }, exhausted: false }, // both above 0: allowed
];

export const budgetCurrencyChecks: CheckDef[] = [
  scenario({
    id: '9.6/budget/every-counter-checked',
    statements: ['S9.6-04', 'S9.6-05'],
    spec: '§9.6',
    level: 'MUST',
    title: 'with two budgeted currencies, the op after one of them reaches 0 is BUDGET_EXHAUSTED whichever comes first in the lease; with both above 0 it is allowed (judged from the wire)',
    feature: 'cost.budget',
    agents: [AGENTS.spender],
    async run(ctx) {
      const s = await ctx.open('A');
      for (const c of CASES) {
        const what = `cost.budget ${JSON.stringify(c.budget)} after a cost of ${c.spend.amount} ${c.spend.currency}`;
        const jobId = await ctx.submit(s, AGENTS.spender, { costs: [c.spend], op: { capability: 'tool.call', target: 'search' } }, { lease_request: { 'cost.budget': c.budget, 'tool.call': ['search'] } });
        const term = await ctx.terminal(s, jobId);
        const ops = opsOnWire(s.conn.messages(), jobId);
        if (ops.length === 0) {
          // the fatal form (§9.6 MAY): job.error BUDGET_EXHAUSTED instead of a tool_result
          const code = field(term, 'payload', 'code');
          require_(c.exhausted && term.type === 'job.error' && code === 'BUDGET_EXHAUSTED', `${what}: the wire shows no tool_result for the op (terminal ${term.type} ${String(code ?? '')})`, term);
          continue;
        }
        const got = ops[0];
        if (c.exhausted && got.allowed) throw new Violation(`${what}: the op was allowed (${got.frame}) with a counter at 0`);
        if (!c.exhausted && !got.allowed) throw new Violation(`${what}: the op was denied ${String(got.code)} (${got.frame}) with every counter above 0`);
        if (c.exhausted) require_(got.code === 'BUDGET_EXHAUSTED', `${what}: the op was denied with ${String(got.code)}, expected BUDGET_EXHAUSTED`);
      }
    },
  }),
];
