// §9.6: an exhausted budget refuses every operation with BUDGET_EXHAUSTED, either as a
// tool_result error or as a fatal job.error; the spec asks runtimes to prefer the first, so the
// agent can decide whether to go on. Judged from the job's own frames: its tool_result
// errors and its terminal, never from the spender's report.
import { field } from '../driver/wire.js';
import { AGENTS, scenario } from './define.js';
import { require_, Violation } from './outcomes.js';
import type { CheckDef } from './types.js';
import { opsOnWire } from './wire-probes.js';

export const budgetRefusalFormChecks: CheckDef[] = [
  scenario({
    id: '9.6/budget/exhaustion-as-tool-result',
    statements: ['S9.6-06'],
    spec: '§9.6',
    level: 'SHOULD',
    title: 'budget exhaustion surfaces as a tool_result error BUDGET_EXHAUSTED and the job goes on (USD:1.00, costs 1.00 then 0.01: both ops refused on the wire, then job.result)',
    feature: 'cost.budget',
    agents: [AGENTS.spender],
    async run(ctx) {
      const s = await ctx.open('A');
      const jobId = await ctx.submit(
        s,
        AGENTS.spender,
        { costs: [{ amount: 1, currency: 'USD' }, { amount: 0.01, currency: 'USD' }], op: { capability: 'tool.call', target: 'search' } },
        { lease_request: { 'cost.budget': ['USD:1.00'], 'tool.call': ['search'] } },
      );
      const term = await ctx.terminal(s, jobId);
      if (term.type === 'job.error') {
        const code = String(field(term, 'payload', 'code'));
        throw new Violation(`the runtime ended the job with job.error ${code} (${String(term.id)}) instead of refusing the operation as a tool_result error the agent could handle`, { frame: term });
      }
      const ops = opsOnWire(s.conn.messages(), jobId);
      require_(ops.length === 2, `the wire shows ${ops.length} tool_result(s) for 2 operations after the budget ran out (the agent could not go on)`);
      ops.forEach((o, i) => require_(!o.allowed && o.code === 'BUDGET_EXHAUSTED', `op ${i + 1} after exhaustion was ${o.allowed ? 'allowed' : `refused with ${String(o.code)}`} on the wire (${o.frame}), expected a BUDGET_EXHAUSTED tool_result error`));
    },
  }),
];
