// §7.1: job.accepted echoes the effective lease *and* lease_constraints. Every other check that
// submits with an expiry reads the expiry off the job's behaviour, never off job.accepted, so a
// runtime that dropped the echo passed them all.
import { field } from '../driver/wire.js';
import { AGENTS, scenario } from './define.js';
import { require_ } from './outcomes.js';
import type { CheckDef } from './types.js';

export const acceptedEchoChecks: CheckDef[] = [
  scenario({
    id: '7.1/submit/accepted-echoes-constraints',
    statements: ['S7.1-01'],
    spec: '§7.1',
    level: 'MUST',
    title: 'job.accepted carries the job_id, the effective lease and the submitted lease_constraints (an expires_at no later than the one submitted)',
    feature: 'lease_expires_at',
    agents: [AGENTS.echo],
    async run(ctx) {
      const s = await ctx.open('A');
      // whole seconds, ten minutes ahead: nothing for a runtime to round or to refuse
      const expiresAt = new Date((Math.floor(Date.now() / 1000) + 600) * 1000).toISOString().replace('.000Z', 'Z');
      const reply = await ctx.submitRaw(s, AGENTS.echo, { echo: 'constraints' }, { lease_request: { 'fs.read': ['/w/**'] }, lease_constraints: { expires_at: expiresAt } });
      require_(reply.type === 'job.accepted', `submit answered by ${reply.type} ${String(field(reply, 'payload', 'code') ?? '')}`, reply);
      const jobId = field(reply, 'payload', 'job_id');
      require_(typeof jobId === 'string' && jobId !== '', 'job.accepted carries no payload.job_id');
      const lease = field(reply, 'payload', 'lease');
      require_(typeof lease === 'object' && lease !== null, 'job.accepted has no effective lease');
      const at = field(reply, 'payload', 'lease_constraints', 'expires_at');
      require_(typeof at === 'string', `job.accepted does not echo lease_constraints (submitted expires_at ${expiresAt})`);
      require_(Date.parse(at) <= Date.parse(expiresAt), `job.accepted lease_constraints.expires_at ${at} is later than the submitted ${expiresAt}`);
      await ctx.terminal(s, jobId);
    },
  }),
];
