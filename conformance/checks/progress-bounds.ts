// §8.2.1 "If total is present, current SHOULD be <= total": judged on its own, at SHOULD level
// (a warning), so the MUST-level shape check does not claim a statement it cannot fail.
import { field } from '../driver/wire.js';
import { AGENTS, scenario } from './define.js';
import { require_ } from './outcomes.js';
import type { CheckDef } from './types.js';

export const progressBoundChecks: CheckDef[] = [
  scenario({
    id: '8.2.1/progress/within-total',
    statements: ['S8.2.1-02'],
    spec: '§8.2.1',
    level: 'SHOULD',
    title: 'progress events that carry a total have current <= total',
    feature: 'progress',
    agents: [AGENTS.slow],
    async run(ctx) {
      const s = await ctx.open('A');
      const id = await ctx.submit(s, AGENTS.slow, { steps: 3, interval_ms: 5 });
      await ctx.terminal(s, id);
      const ps = s.conn.messages().filter((m) => m.job_id === id && field(m, 'payload', 'kind') === 'progress');
      require_(ps.length > 0, 'no progress events');
      for (const p of ps) {
        const cur = field(p, 'payload', 'body', 'current');
        const total = field(p, 'payload', 'body', 'total');
        if (typeof total !== 'number') continue; // indeterminate: nothing to bound
        require_(typeof cur === 'number' && cur <= total, `progress current ${String(cur)} exceeds total ${total} (event_seq ${String(p.event_seq)})`);
      }
    },
  }),
];
