// §5/§12 as a property: valid client messages generated from the schemas, each mutated into an
// invalid one. Whatever the mutation, the peer keeps the session working (a later echo job runs
// end to end) and never sends an invalid frame back.
import fc from 'fast-check';
import { AGENTS, property } from '../checks/define.js';
import type { CheckDef } from '../checks/types.js';
import { requireSessionWorks } from '../checks/robustness.js';
import { invalidMessageArb } from '../arbitraries/messages.js';
import { runProperty } from './run-property.js';

/** The session id placeholder the arbitrary binds to; replaced with the live one when sent. */
const SESSION_PLACEHOLDER = 'sess_01JCONFORMANCEPLACEHOLDER0';

export const robustnessProperties: CheckDef[] = [
  property({
    id: '5/robustness/mutated-messages',
    statements: ['S12-01'],
    spec: '§5, §12',
    level: 'MUST',
    title: 'schema-generated client messages mutated into invalid ones: the session keeps working after each',
    agents: [AGENTS.echo],
    async run(ctx) {
      const arb = fc.array(invalidMessageArb(SESSION_PLACEHOLDER), { minLength: 1, maxLength: 4 });
      await runProperty(ctx, arb, async (cases) => {
        const s = await ctx.open('A');
        try {
          for (const c of cases) {
            const text = JSON.stringify(c.frame).split(SESSION_PLACEHOLDER).join(s.sessionId);
            s.conn.sendText(text);
          }
          const what = cases.map((c) => `${c.type} ${c.mutation.op} /${c.mutation.path.join('/')}`).join(', ');
          await requireSessionWorks(ctx, s, what);
        } finally {
          await s.conn.close('case done');
        }
      }, { runsFactor: 2 });
    },
  }),
];
