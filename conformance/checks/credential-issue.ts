// §9.8.1/§9.8.2: what a provisioned credential must carry and when it must exist. A credential
// first seen after job.accepted (in job.subscribed, a listing or an event) was issued late; one
// without id, scheme, value or endpoint cannot be used or revoked by the client.
import { field, jobIdOf } from '../driver/wire.js';
import { AGENTS, scenario } from './define.js';
import { NotApplicable, require_ } from './outcomes.js';
import type { CheckDef } from './types.js';
import { subscribe } from './wire-probes.js';

const REQUIRED_FIELDS = ['id', 'scheme', 'value', 'endpoint'];

export const credentialIssueChecks: CheckDef[] = [
  scenario({
    id: '9.8/credentials/issued-at-acceptance',
    statements: ['S9.8.1-01', 'S9.8.2-01'],
    spec: '§9.8.1, §9.8.2',
    level: 'MUST',
    title: 'every provisioned credential is in job.accepted with id, scheme, value and endpoint; the submitter\'s job.subscribed names no credential job.accepted did not',
    feature: 'provisioned_credentials',
    agents: [AGENTS.slow],
    needs: ['reconnect'],
    async run(ctx) {
      const s = await ctx.open('A');
      const reply = await ctx.submitRaw(s, AGENTS.slow, { steps: 10, interval_ms: 50 }, { lease_request: { 'model.use': ['tier-fast/*'] } });
      require_(reply.type === 'job.accepted', `submit answered by ${reply.type} ${String(field(reply, 'payload', 'code') ?? '')}`, reply);
      const jobId = String(jobIdOf(reply));
      const accepted = field(reply, 'payload', 'credentials');
      const list = Array.isArray(accepted) ? accepted : [];
      for (const [i, c] of list.entries()) {
        const missing = REQUIRED_FIELDS.filter((k) => typeof field(c, k) !== 'string' || field(c, k) === '');
        require_(missing.length === 0, `credential ${i + 1} of job.accepted ${String(reply.id)} lacks ${missing.join(', ')}`);
      }
      const ids = new Set(list.map((c) => String(field(c, 'id'))));
      if (!s.features.includes('subscribe')) {
        if (list.length === 0) throw new NotApplicable('the peer issued no credentials and subscribe is not negotiated');
        return;
      }
      const watcher = await ctx.open('A');
      const sub = await subscribe(watcher, jobId, { history: false });
      require_(sub.type === 'job.subscribed', `the submitter's own subscribe answered by ${sub.type}`, sub);
      const later = field(sub, 'payload', 'credentials');
      const late = (Array.isArray(later) ? later : []).map((c) => String(field(c, 'id'))).filter((id) => !ids.has(id));
      require_(late.length === 0, `job.subscribed ${String(sub.id)} names credential(s) ${late.join(', ')} that job.accepted ${String(reply.id)} did not carry (issued after acceptance)`);
      if (list.length === 0 && (Array.isArray(later) ? later.length : 0) === 0) throw new NotApplicable('the peer issued no credentials for this job (§9.8 MAY)');
    },
  }),
];
