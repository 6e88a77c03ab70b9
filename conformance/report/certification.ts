// Certification summary: core = every feature-less MUST check that ran passed; a feature flag is
// certified when it was negotiated, core is certified, and every MUST check gated by the flag
// that ran passed (at least one). Not-negotiated and untested are never reported as certified.
import type { Verdict } from '../checks/types.js';
import { ALL_FEATURES } from '../driver/wire.js';

export type FlagStatus = 'certified' | 'failing' | 'not-negotiated' | 'untested';

export interface Certification {
  readonly core: 'certified' | 'failing' | 'untested';
  readonly features: Readonly<Record<string, FlagStatus>>;
}

const BAD = new Set(['fail', 'errored', 'expected-failure', 'unexpected-pass']);

export function certify(verdicts: readonly Verdict[], negotiated: readonly string[]): Certification {
  const must = verdicts.filter((v) => v.level === 'MUST');
  const coreChecks = must.filter((v) => !v.feature);
  const core = coreChecks.some((v) => BAD.has(v.outcome)) ? 'failing' : coreChecks.some((v) => v.outcome === 'pass') ? 'certified' : 'untested';
  const features: Record<string, FlagStatus> = {};
  for (const flag of ALL_FEATURES) {
    if (!negotiated.includes(flag)) {
      features[flag] = 'not-negotiated';
      continue;
    }
    const gated = must.filter((v) => v.feature === flag);
    if (gated.some((v) => BAD.has(v.outcome))) features[flag] = 'failing';
    else if (core === 'certified' && gated.some((v) => v.outcome === 'pass')) features[flag] = 'certified';
    else features[flag] = core === 'failing' ? 'failing' : 'untested';
  }
  return { core, features };
}

/** shields.io endpoint badge (https://shields.io/badges/endpoint-badge) for one flag or core. */
export function badge(label: string, status: FlagStatus | Certification['core']): Record<string, unknown> {
  const color = { certified: 'brightgreen', failing: 'red', 'not-negotiated': 'lightgrey', untested: 'yellow' }[status];
  return { schemaVersion: 1, label, message: status.replace('-', ' '), color };
}
