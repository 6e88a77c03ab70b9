// §9.3 and §9.6 as properties, judged by the harness's own oracle (model/lease-oracle.ts,
// model/budget-oracle.ts): random leases x random operations, random budgets x random costs.
import fc from 'fast-check';
import { AGENTS, property } from '../checks/define.js';
import { Violation } from '../checks/outcomes.js';
import type { CheckDef } from '../checks/types.js';
import { runOps } from '../checks/authority.js';
import { leaseAllows, type Lease } from '../model/lease-oracle.js';
import { BudgetModel } from '../model/budget-oracle.js';
import { runProperty } from './run-property.js';

const CAPS = ['fs.read', 'fs.write', 'net.fetch', 'tool.call'] as const;
const PATTERNS: Record<(typeof CAPS)[number], string[]> = {
  'fs.read': ['/w/**', '/w/*', '/w/a/*', '/w/a/b', '/**', '/w/*/c'],
  'fs.write': ['/w/**', '/w/*', '/tmp/*', '/w/a/**'],
  'net.fetch': ['https://api.example.com/**', 'https://api.example.com/*', 'https://*.example.com/v1/*'],
  'tool.call': ['search', 'search*', 'mcp/*', 'mcp/**'],
};
const TARGETS: Record<(typeof CAPS)[number], string[]> = {
  'fs.read': ['/w', '/w/a', '/w/a/b', '/w/a/b/c', '/w/x/c', '/v/a'],
  'fs.write': ['/w/a', '/w/a/b', '/tmp/x', '/tmp/x/y'],
  'net.fetch': ['https://api.example.com/v1', 'https://api.example.com/v1/x', 'https://eu.example.com/v1/x', 'https://evil.test/v1/x'],
  'tool.call': ['search', 'search-web', 'mcp/github', 'mcp/github/issues'],
};

const leaseArb: fc.Arbitrary<Lease> = fc
  .subarray([...CAPS], { minLength: 0 })
  .chain((caps) => fc.record(Object.fromEntries(caps.map((c) => [c, fc.subarray(PATTERNS[c], { minLength: 1 })])) as Record<string, fc.Arbitrary<string[]>>));

const opArb = fc.constantFrom(...CAPS).chain((capability) => fc.constantFrom(...TARGETS[capability]).map((target) => ({ capability, target })));

export const leaseProperties: CheckDef[] = [
  property({
    id: '9.3/lease/random-ops',
    statements: ['S9.1-01', 'S9.2-01', 'S9.3-01', 'S9.3-02'],
    spec: '§9.2, §9.3',
    level: 'MUST',
    title: 'random leases x random operations: each is allowed exactly when the harness\'s glob oracle says so, else PERMISSION_DENIED',
    agents: [AGENTS.tools],
    async run(ctx) {
      const arb = fc.record({ lease: leaseArb, ops: fc.array(opArb, { minLength: 1, maxLength: 6 }) });
      await runProperty(ctx, arb, async ({ lease, ops }) => {
        const s = await ctx.open('A');
        try {
          const { outcomes } = await runOps(ctx, s, AGENTS.tools, { ops }, { lease_request: lease as Record<string, string[]> });
          if (!outcomes || outcomes.length !== ops.length) throw new Violation(`tools reported ${outcomes?.length ?? 'no'} outcomes for ${ops.length} ops`);
          ops.forEach((op, i) => {
            const want = leaseAllows(lease, op.capability, op.target);
            const got = outcomes[i];
            if (got.allowed !== want) throw new Violation(`${op.capability} ${op.target} under ${JSON.stringify(lease)}: ${got.allowed ? 'allowed' : 'denied'}, oracle says ${want ? 'allowed' : 'denied'}`);
            if (!want && got.code !== 'PERMISSION_DENIED') throw new Violation(`${op.capability} ${op.target} denied with ${String(got.code)}, not PERMISSION_DENIED`);
          });
        } finally {
          await s.conn.close('case done');
        }
      });
    },
  }),
  property({
    id: '9.6/budget/random-costs',
    statements: ['S9.6-02', 'S9.6-04', 'S9.6-05'],
    spec: '§9.6',
    level: 'MUST',
    title: 'random budgets x random costs: the op after each cost is refused BUDGET_EXHAUSTED exactly when the decimal counter is <= 0',
    feature: 'cost.budget',
    agents: [AGENTS.spender],
    async run(ctx) {
      const cents = (max: number) => fc.integer({ min: 0, max }).map((c) => (c / 100).toFixed(2));
      const free = fc.record({ budget: cents(300).filter((b) => b !== "0.00"), costs: fc.array(cents(120), { minLength: 1, maxLength: 5 }) });
      // budgets the costs exhaust exactly: binary floats leave residues (1.00 - 10 x 0.10 = 1.4e-16)
      const exact = fc
        .record({ cost: fc.integer({ min: 1, max: 40 }), n: fc.integer({ min: 2, max: 12 }), extra: fc.integer({ min: 0, max: 2 }) })
        .map(({ cost, n, extra }) => ({ budget: ((cost * n) / 100).toFixed(2), costs: Array.from({ length: n + extra }, () => (cost / 100).toFixed(2)) }));
      const arb = fc.oneof(free, exact);
      await runProperty(ctx, arb, async ({ budget, costs }) => {
        const s = await ctx.open('A');
        try {
          const model = new BudgetModel([`USD:${budget}`]);
          const { outcomes, term } = await runOps(
            ctx,
            s,
            AGENTS.spender,
            { costs: costs.map((c) => ({ amount: Number(c), currency: 'USD' })), op: { capability: 'tool.call', target: 'search' } },
            { lease_request: { 'cost.budget': [`USD:${budget}`], 'tool.call': ['search'] } },
          );
          if (term.type === 'job.error') return; // fatal exhaustion is allowed (§9.6 MAY); checked elsewhere
          if (!outcomes) throw new Violation('spender reported no outcomes');
          costs.forEach((c, i) => {
            model.spend(c, 'USD');
            const want = !model.exhausted();
            const got = outcomes[i];
            if (!got) throw new Violation(`no outcome for cost ${i + 1}`);
            if (got.allowed !== want) throw new Violation(`budget ${budget}, after costs ${costs.slice(0, i + 1).join('+')} (remaining ${model.remaining('USD')}): op ${got.allowed ? 'allowed' : `refused ${String(got.code)}`}`);
            if (!want && got.code !== 'BUDGET_EXHAUSTED') throw new Violation(`exhausted budget refused with ${String(got.code)}`);
          });
        } finally {
          await s.conn.close('case done');
        }
      });
    },
  }),
];
