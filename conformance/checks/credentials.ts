// §9.8 provisioned credentials and §9.6 budget edge cases observable from the wire.
import { field } from '../driver/wire.js';
import { ALLOWED, requireOutcomes, runOps } from './authority.js';
import { AGENTS, scenario } from './define.js';
import { NotApplicable, require_ } from './outcomes.js';
import type { CheckDef } from './types.js';

export const credentialChecks: CheckDef[] = [
  scenario({
    id: '9.8/credentials/unique-per-job',
    statements: ['S9.8.2-03'],
    spec: '§9.8.2',
    level: 'MUST',
    title: 'a credential value is never reused across jobs',
    feature: 'provisioned_credentials',
    agents: [AGENTS.echo],
    async run(ctx) {
      const s = await ctx.open('A');
      const values: string[] = [];
      for (let i = 0; i < 3; i++) {
        const reply = await ctx.submitRaw(s, AGENTS.echo, { i }, { lease_request: { 'model.use': ['tier-fast/*'] } });
        require_(reply.type === 'job.accepted', `submit answered by ${reply.type}`, reply);
        const creds = field(reply, 'payload', 'credentials');
        if (Array.isArray(creds)) for (const c of creds) values.push(String(field(c, 'value')));
      }
      if (values.length === 0) throw new NotApplicable('the peer issued no credentials for these jobs (§9.8 MAY)');
      require_(new Set(values).size === values.length, `a credential value was issued to two jobs (${values.length} values, ${new Set(values).size} distinct)`);
    },
  }),
  scenario({
    id: '9.6/budget/negative-cost-no-decrement',
    statements: ['S9.6-03'],
    spec: '§9.6',
    level: 'MUST',
    title: 'a negative cost is rejected and does not change the counter: USD:1.00, costs -1 then 1.00 leave 0 (BUDGET_EXHAUSTED)',
    feature: 'cost.budget',
    agents: [AGENTS.spender],
    async run(ctx) {
      const s = await ctx.open('A');
      const { outcomes, term } = await runOps(
        ctx,
        s,
        AGENTS.spender,
        { costs: [{ amount: -1, currency: 'USD' }, { amount: 1, currency: 'USD' }], op: { capability: 'tool.call', target: 'search' } },
        { lease_request: { 'cost.budget': ['USD:1.00'], 'tool.call': ['search'] } },
      );
      if (term.type === 'job.error') {
        require_(field(term, 'payload', 'code') === 'BUDGET_EXHAUSTED', `spender ended with ${String(field(term, 'payload', 'code'))}`, term);
        return;
      }
      requireOutcomes(outcomes, [ALLOWED, { allowed: false, code: 'BUDGET_EXHAUSTED' }], 'USD:1.00 after -1 and 1.00');
    },
  }),
];
