// §14: the grace a runtime allows around expires_at is small and bounded (~1 s). The operation is
// performed at least 1.25 s after expires_at by the runtime's own clock (the agent waits from job
// start, which follows the harness's submit), so a loaded machine only makes it later: a grant
// here means a grace above 1.25 s. (9.5/expiry/ops-after-expiry-fail holds the MUST at 1.5 s.)
import { field, jobIdOf } from '../driver/wire.js';
import { AGENTS, scenario } from './define.js';
import { require_ } from './outcomes.js';
import type { CheckDef } from './types.js';
import { opsOnWire } from './wire-probes.js';

const EXPIRES_IN_MS = 1000;
const PAST_EXPIRY_MS = 1250;

export const expiryGraceChecks: CheckDef[] = [
  scenario({
    id: '14/expiry/grace-bounded',
    statements: ['S14-04'],
    spec: '§14, §9.5',
    level: 'SHOULD',
    title: `the grace around expires_at is bounded (~1 s): an operation ${PAST_EXPIRY_MS} ms after expiry is refused LEASE_EXPIRED on the wire`,
    feature: 'lease_expires_at',
    agents: [AGENTS.tools],
    async run(ctx) {
      const s = await ctx.open('A');
      const ops = [{ capability: 'fs.read', target: '/w/a' }];
      const expiresAt = new Date(Date.now() + EXPIRES_IN_MS).toISOString();
      const accepted = await ctx.submitRaw(s, AGENTS.tools, { ops, delay_ms: EXPIRES_IN_MS + PAST_EXPIRY_MS }, { lease_request: { 'fs.read': ['/w/**'] }, lease_constraints: { expires_at: expiresAt } });
      require_(accepted.type === 'job.accepted', `submit answered by ${accepted.type} ${String(field(accepted, 'payload', 'code') ?? '')}`, accepted);
      const jobId = String(jobIdOf(accepted));
      const term = await ctx.terminal(s, jobId, Math.max(ctx.timeoutMs, 8000));
      const granted = opsOnWire(s.conn.messages(), jobId).filter((o) => o.allowed);
      require_(granted.length === 0, `an operation at least ${PAST_EXPIRY_MS} ms after expires_at ${expiresAt} was allowed (${granted[0]?.frame}): the grace is longer than ~1 s`);
      const code = term.type === 'job.error' ? field(term, 'payload', 'code') : undefined;
      const refused = opsOnWire(s.conn.messages(), jobId).filter((o) => !o.allowed && o.code === 'LEASE_EXPIRED');
      require_(refused.length === 1 || code === 'LEASE_EXPIRED', `the late operation was neither refused LEASE_EXPIRED on the wire nor ended the job with it (terminal ${term.type} ${String(code ?? '')})`);
    },
  }),
];
