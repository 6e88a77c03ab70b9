// §14: credentials are issued over authenticated, encrypted transports only. The harness knows its
// own transport: over a plain ws:// URL every frame is readable on the path, so a credential
// arriving there was issued over an unencrypted transport, whatever the runtime's reasons (a
// loopback development opt-in included). Over TLS, stdio or in-process there is nothing to see.
import { field } from '../driver/wire.js';
import { AGENTS, scenario } from './define.js';
import { credentialsOf } from './credential-constraints.js';
import { NotApplicable, require_ } from './outcomes.js';
import type { CheckDef } from './types.js';

export const credentialTransportChecks: CheckDef[] = [
  scenario({
    id: '14/credentials/never-over-plaintext',
    statements: ['S14-06'],
    spec: '§14, §9.8.2',
    level: 'MUST',
    title: 'over an unencrypted transport (ws://) no credential is issued: job.accepted carries none (and provisioned_credentials is best not negotiated)',
    agents: [AGENTS.echo],
    async run(ctx) {
      if (!ctx.config.target.plaintextNetwork) throw new NotApplicable('the harness reaches the peer over TLS, stdio or in-process: no plaintext hop to observe');
      const s = await ctx.open('A');
      const lease: Record<string, string[]> = s.features.includes('model.use') ? { 'model.use': ['tier-fast/*'] } : {};
      const accepted = await ctx.submitRaw(s, AGENTS.echo, { plaintext: true }, { lease_request: lease });
      require_(accepted.type === 'job.accepted', `submit answered by ${accepted.type} ${String(field(accepted, 'payload', 'code') ?? '')}`, accepted);
      const creds = credentialsOf(accepted);
      require_(creds.length === 0, `job.accepted ${String(accepted.id)} carries ${creds.length} credential(s) over plain ${ctx.config.target.describe}: issued over an unencrypted transport`);
    },
  }),
];
