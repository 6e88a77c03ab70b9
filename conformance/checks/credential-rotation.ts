// §9.8.2: a runtime that rotates a credential mid-job MUST announce it with `status
// credential_rotated` carrying the credential id and the new value. The conformance agents can
// ask for a rotation through the optional conformance.rotator (docs/conformance-agents.md); the
// announcement is read from the job's own status events, before its terminal. Where id and value
// sit in the body the spec does not say (catalog §10 #27): `details` (the catalog's position),
// the body itself, or the id as `message` are all accepted.
import { field, jobIdOf, type Envelope } from '../driver/wire.js';
import { AGENTS, inlineResult, scenario } from './define.js';
import { credentialsOf } from './credential-constraints.js';
import { NotApplicable, require_, Skip } from './outcomes.js';
import type { CheckDef } from './types.js';
import { eventsOf } from './wire-probes.js';

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** The credential id and new value a `credential_rotated` status body carries, wherever they sit. */
export function rotationOf(event: Envelope): { id?: string; value?: string } {
  const body = field(event, 'payload', 'body');
  return {
    id: str(field(body, 'details', 'id')) ?? str(field(body, 'id')) ?? str(field(body, 'credential_id')) ?? str(field(body, 'message')),
    value: str(field(body, 'details', 'value')) ?? str(field(body, 'value')),
  };
}

export const credentialRotationChecks: CheckDef[] = [
  scenario({
    id: '9.8/credentials/rotation-announced',
    statements: ['S9.8.2-05'],
    spec: '§9.8.2',
    level: 'MUST',
    title: 'every mid-job rotation is announced before the terminal by status credential_rotated naming the credential id and a new value',
    feature: 'provisioned_credentials',
    agents: [AGENTS.rotator],
    async run(ctx) {
      const s = await ctx.open('A');
      const lease: Record<string, string[]> = s.features.includes('model.use') ? { 'model.use': ['tier-fast/*'] } : {};
      const accepted = await ctx.submitRaw(s, AGENTS.rotator, {}, { lease_request: lease });
      require_(accepted.type === 'job.accepted', `submit answered by ${accepted.type} ${String(field(accepted, 'payload', 'code') ?? '')}`, accepted);
      const jobId = String(jobIdOf(accepted));
      const issued = new Map(credentialsOf(accepted).map((c) => [String(field(c, 'id')), String(field(c, 'value'))]));
      if (issued.size === 0) throw new NotApplicable('the peer issued no credentials for this job (§9.8 MAY), so nothing can rotate');
      const term = await ctx.terminal(s, jobId);
      require_(term.type === 'job.result', `the rotator ended with ${term.type} ${String(field(term, 'payload', 'code') ?? '')}`, term);
      const reported = field(inlineResult(term), 'rotated');
      if (!Array.isArray(reported) || reported.length === 0) throw new Skip(`the peer's ${AGENTS.rotator} reported no rotation (docs/conformance-agents.md: it rotates every credential of its job once)`);
      const before = (e: Envelope) => typeof e.event_seq !== 'number' || typeof term.event_seq !== 'number' || e.event_seq < term.event_seq;
      const announced = eventsOf(s.conn.messages(), jobId, 'status').filter((e) => field(e, 'payload', 'body', 'phase') === 'credential_rotated' && before(e));
      for (const id of reported.map(String)) {
        const a = announced.find((e) => rotationOf(e).id === id);
        require_(a !== undefined, `credential ${id} was rotated (the agent says so in ${String(term.id)}) but no status credential_rotated naming it came before the terminal`);
        const { value } = rotationOf(a);
        require_(value !== undefined, `status credential_rotated ${String(a.id)} for ${id} carries no new value`);
        require_(value !== issued.get(id), `status credential_rotated ${String(a.id)} for ${id} carries the old value from job.accepted`);
      }
      const unknown = announced.map((e) => rotationOf(e).id).filter((id) => id === undefined || !issued.has(id));
      require_(unknown.length === 0, `status credential_rotated names credential(s) ${unknown.map(String).join(', ')} that job.accepted ${String(accepted.id)} did not issue`);
    },
  }),
];
