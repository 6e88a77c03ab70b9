// Which feature flags (§6.2) this runtime can honour, so the welcome never advertises a feature
// it would then break: message-gated flags need their handlers, authority flags need enforcement,
// `provisioned_credentials` needs a provisioner that revokes (§14).
import { FEATURES, type Feature } from '../../generated/index.js';
import type { DispatchTable } from './dispatch.js';
import type { RuntimeHooks } from './hooks.js';

// Lease expiry, budgets and the model gate are enforced by the default JobAuthority (or the
// embedder's createAuthority hook), so they are always honoured.
const ALWAYS: ReadonlySet<string> = new Set([
  'heartbeat',
  'ack',
  'progress',
  'result_chunk',
  'agent_versions',
  'lease_expires_at',
  'cost.budget',
  'model.use',
]);

export function supportedFeatures(dispatch: DispatchTable, hooks: RuntimeHooks): Feature[] {
  return FEATURES.filter((f) => {
    if (ALWAYS.has(f)) return true;
    if (f === 'provisioned_credentials') return hooks.issueCredentials !== undefined && hooks.revokeCredentials?.durable === true;
    return dispatch.supportsFeature(f);
  });
}

/** Advertised = configured list (if any) ∩ supported, in registry order. */
export function advertisedFeatures(supported: readonly Feature[], configured: readonly Feature[] | undefined): Feature[] {
  if (!configured) return [...supported];
  const allowed = new Set(configured);
  return supported.filter((f) => allowed.has(f));
}
