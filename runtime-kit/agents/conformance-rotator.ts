// `conformance.rotator`, an optional conformance agent (docs/conformance-agents.md): it asks the
// runtime to rotate every provisioned credential of its own job once, so the harness can watch
// the §9.8.2 rotation announcement (`status credential_rotated` with the id and the new value)
// on the wire. A job holding no credential rotates nothing and says so in its result.
import { authorityServicesOf } from '../runtime/enforcement/authority-services.js';
import type { AgentHandler } from '../runtime/job-context.js';
import type { ARCPRuntime } from '../runtime/runtime.js';

/** `conformance.rotator` -> `{rotated: [credential id]}` in the order they were rotated. */
export function rotator(runtime: ARCPRuntime): AgentHandler {
  return async (_input, ctx) => {
    const services = authorityServicesOf(runtime);
    const held = services.credentials?.credentialsOf(ctx.jobId) ?? [];
    const rotated: string[] = [];
    for (const c of held) {
      await services.rotateCredential(ctx.jobId, c.id);
      rotated.push(c.id);
    }
    return { rotated };
  };
}
