// §7.1 on the delegation path (found by attacking the harness, issue 8): a delegated child's own
// job.accepted is a job.accepted like any other, so with cost.budget in the child's lease it
// carries the child's initial budget counters (§7.1, §9.6). The submit path was checked; the
// child's accepted was only read for its lease, expiry and trace. Verdict from the child's frame.
import { field } from '../driver/wire.js';
import { AGENTS, scenario } from './define.js';
import { delegate } from './delegation-child.js';
import { require_ } from './outcomes.js';
import type { CheckDef } from './types.js';

export const delegationChildAcceptedChecks: CheckDef[] = [
  scenario({
    id: '10/delegation/child-accepted-budget',
    statements: ['S7.1-02'],
    spec: '§7.1, §9.6, §10',
    level: 'MUST',
    title: 'a child delegated with cost.budget USD:0.40 under a parent budgeted USD:1.00 shows budget USD 0.4 in its own job.accepted',
    feature: 'cost.budget',
    agents: [AGENTS.delegator, AGENTS.echo],
    async run(ctx) {
      const s = await ctx.open('A');
      const d = await delegate(ctx, s, { agent: AGENTS.echo, input: { b: 2 }, lease_request: { 'cost.budget': ['USD:0.40'] } }, { lease_request: { 'agent.delegate': ['conformance.*'], 'cost.budget': ['USD:1.00'] } });
      const usd = field(d.childAccepted, 'payload', 'budget', 'USD');
      require_(typeof usd === 'number' && Math.abs(usd - 0.4) < 1e-9, `the child's ${String(d.childAccepted.type)} carries budget ${JSON.stringify(field(d.childAccepted, 'payload', 'budget'))} for a lease with cost.budget USD:0.40 (§7.1: initial budget counters)`, d.childAccepted);
    },
  }),
];
