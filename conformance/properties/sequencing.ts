// §8.3 / §7.3 as a property: random mixes of concurrent jobs over chatty, echo, slow and
// streamer, with pings and acks interleaved. Oracle: model/seq-oracle.ts.
import fc from 'fast-check';
import { AGENTS, property } from '../checks/define.js';
import { require_ } from '../checks/outcomes.js';
import type { CheckDef } from '../checks/types.js';
import { envelope, isoNow } from '../driver/wire.js';
import { SeqOracle } from '../model/seq-oracle.js';
import type { CheckContext } from '../runner/context.js';
import { runProperty } from './run-property.js';

type Step =
  | { kind: 'job'; agent: string; input: unknown }
  | { kind: 'ping' }
  | { kind: 'ack' };

function stepArb(ctx: CheckContext): fc.Arbitrary<Step> {
  const jobs: fc.Arbitrary<Step>[] = [
    fc.record({ v: fc.integer({ min: 0, max: 99 }) }).map((input) => ({ kind: 'job' as const, agent: AGENTS.echo, input })),
    fc.integer({ min: 0, max: 8 }).map((n) => ({ kind: 'job' as const, agent: AGENTS.chatty, input: { n } })),
    fc
      .record({ steps: fc.integer({ min: 0, max: 3 }), interval_ms: fc.integer({ min: 0, max: 8 }) })
      .map((input) => ({ kind: 'job' as const, agent: AGENTS.slow, input })),
  ];
  if (ctx.hasFeature('result_chunk')) {
    jobs.push(
      fc
        .record({ chunks: fc.integer({ min: 1, max: 3 }), chunk_size: fc.integer({ min: 1, max: 12 }), encoding: fc.constantFrom('utf8', 'base64') })
        .map((input) => ({ kind: 'job' as const, agent: AGENTS.streamer, input })),
    );
  }
  return fc.oneof(
    { weight: 4, arbitrary: fc.oneof(...jobs) },
    { weight: 1, arbitrary: fc.constant<Step>({ kind: 'ping' }) },
    { weight: 1, arbitrary: fc.constant<Step>({ kind: 'ack' }) },
  );
}

export const sequencingProperties: CheckDef[] = [
  property({
    id: '8.3/seq/random-concurrent-jobs',
    statements: ['S7.3-01', 'S8.3-01'],
    spec: '§8.3, §7.3, §6.4, §6.5',
    level: 'MUST',
    title: 'random concurrent jobs: seq strictly monotonic and gap-free, one terminal per job, nothing after it, pings/acks outside the seq space',
    agents: [AGENTS.echo, AGENTS.chatty, AGENTS.slow],
    async run(ctx) {
      const arb = fc.array(stepArb(ctx), { minLength: 1, maxLength: 6 });
      await runProperty(ctx, arb, async (steps) => {
        const s = await ctx.open('A');
        try {
          const submits: Promise<string>[] = [];
          for (const step of steps) {
            if (step.kind === 'job') {
              const submitted = ctx.submit(s, step.agent, step.input);
              // a send below may throw (peer gone) before Promise.all listens: never leave a rejection unheard
              submitted.catch(() => undefined);
              submits.push(submitted);
            }
            else if (step.kind === 'ping') s.conn.send(envelope('session.ping', { nonce: `p_${submits.length}`, sent_at: isoNow() }, { session_id: s.sessionId }));
            else if (s.features.includes('ack')) s.conn.send(envelope('session.ack', { last_processed_seq: 0 }, { session_id: s.sessionId }));
          }
          const ids = await Promise.all(submits);
          for (const id of ids) await ctx.terminal(s, id);
          await ctx.sleep(20); // a duplicate terminal would follow its original closely
          const oracle = new SeqOracle().observeAll(s.conn.messages());
          oracle.requireTerminals(ids);
          require_(oracle.violations.length === 0, oracle.violations.join('; '), oracle.firstOffender);
        } finally {
          await s.conn.close('case done');
        }
      });
    },
  }),
];
