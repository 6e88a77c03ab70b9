// §6.2 as a property: random feature subsets in the hello. The welcome lists nothing the client
// did not offer (catalog §10 #14) and the peer never uses a feature outside the intersection.
import fc from 'fast-check';
import { AGENTS, property } from '../checks/define.js';
import { require_ } from '../checks/outcomes.js';
import type { CheckDef } from '../checks/types.js';
import { hello } from '../driver/session.js';
import { ALL_FEATURES, envelope, field } from '../driver/wire.js';
import { runProperty } from './run-property.js';

export const negotiationProperties: CheckDef[] = [
  property({
    id: '6.2/negotiation/random-subsets',
    statements: ['S6.2-01'],
    spec: '§6.2',
    level: 'MUST',
    title: 'random hello feature subsets: only the intersection is used (no progress/result_chunk events, no list_jobs answer outside it)',
    agents: [AGENTS.slow, AGENTS.streamer],
    async run(ctx) {
      await runProperty(ctx, fc.subarray([...ALL_FEATURES]), async (asked) => {
        const conn = await ctx.connect('A');
        try {
          const s = await hello(conn, { token: ctx.token('A'), features: asked });
          const listed = field(s.welcome.payload, 'capabilities', 'features');
          const effective = Array.isArray(listed) ? asked.filter((f) => (listed as unknown[]).includes(f)) : [];
          const slow = await ctx.submit(s, AGENTS.slow, { steps: 2, interval_ms: 1 });
          const stream = await ctx.submitRaw(s, AGENTS.streamer, { chunks: 2, chunk_size: 3, encoding: 'utf8' });
          await ctx.terminal(s, slow);
          if (stream.type === 'job.accepted') await ctx.terminal(s, String(stream.job_id));
          const kinds = new Set(s.conn.messages().filter((m) => m.type === 'job.event').map((m) => field(m, 'payload', 'kind')));
          for (const gated of ['progress', 'result_chunk'] as const) {
            require_(effective.includes(gated) || !kinds.has(gated), `${gated} events sent although ${gated} is outside the intersection [${effective.join(', ')}]`);
          }
          if (!effective.includes('list_jobs')) {
            const reply = await s.conn.request(envelope('session.list_jobs', {}, { session_id: s.sessionId }));
            require_(reply.type === 'session.error', 'session.list_jobs answered although list_jobs is outside the intersection', reply);
          }
        } finally {
          await conn.close('case done');
        }
      });
    },
  }),
];
