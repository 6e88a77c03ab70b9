// §7.2 as a property: random submit sequences over a small pool of keys and inputs. Model: the
// first use of a key fixes (payload, job_id); a repeat with the same payload gets the same
// job_id, any other payload DUPLICATE_KEY.
import fc from 'fast-check';
import { AGENTS, canonicalJson, property, requireErrorCode } from '../checks/define.js';
import { require_ } from '../checks/outcomes.js';
import type { CheckDef } from '../checks/types.js';
import { field } from '../driver/wire.js';
import { runProperty } from './run-property.js';

let caseCounter = 0;

export const idempotencyProperties: CheckDef[] = [
  property({
    id: '7.2/idempotency/random-resubmits',
    statements: ['S7.2-01', 'S7.2-02'],
    spec: '§7.2',
    level: 'MUST',
    title: 'random resubmits: same key + same payload -> same job.accepted (job_id); same key + other payload -> DUPLICATE_KEY',
    agents: [AGENTS.echo],
    async run(ctx) {
      const arb = fc.array(fc.record({ key: fc.integer({ min: 0, max: 2 }), input: fc.integer({ min: 0, max: 2 }) }), { minLength: 1, maxLength: 6 });
      await runProperty(ctx, arb, async (subs) => {
        const run = `${Date.now().toString(36)}-${caseCounter++}`;
        const s = await ctx.open('A');
        try {
          const model = new Map<number, { input: number; jobId: string; payload: string }>();
          for (const sub of subs) {
            const key = `idem-${run}-${sub.key}`;
            const reply = await ctx.submitRaw(s, AGENTS.echo, { v: sub.input }, { idempotency_key: key });
            const known = model.get(sub.key);
            if (!known) {
              require_(reply.type === 'job.accepted', `first use of a key answered by ${reply.type}`, reply);
              const jobId = String(reply.job_id ?? field(reply, 'payload', 'job_id'));
              model.set(sub.key, { input: sub.input, jobId, payload: canonicalJson({ ...(reply.payload as object), request_id: undefined }) });
            } else if (known.input === sub.input) {
              require_(reply.type === 'job.accepted', `identical resubmit answered by ${reply.type}`, reply);
              require_(field(reply, 'payload', 'job_id') === known.jobId, 'identical resubmit got a different job_id', reply);
              require_(canonicalJson({ ...(reply.payload as object), request_id: undefined }) === known.payload, 'identical resubmit got a different job.accepted payload', reply);
            } else {
              requireErrorCode(reply, ['DUPLICATE_KEY'], 'conflicting resubmit');
            }
          }
        } finally {
          await s.conn.close('case done');
        }
      });
    },
  }),
];
