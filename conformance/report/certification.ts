// Certification summary: core = every feature-less MUST check that ran passed; a feature flag is
// certified when it was negotiated, core is certified, and every MUST check gated by the flag
// that ran passed (at least one). A MUST check skipped for a missing need (agent, second
// principal, reconnects, long timing intervals) makes the area `partial`: never certified on the
// strength of what was not tested (A2A TCK #214). Skips that only reflect the chosen profile or
// a timing configuration (an interval too long to wait out) do not count; the report lists them.
import type { Verdict } from '../checks/types.js';
import { ALL_FEATURES } from '../driver/wire.js';

export type FlagStatus = 'certified' | 'partial' | 'failing' | 'not-negotiated' | 'untested';

export interface Certification {
  readonly core: 'certified' | 'partial' | 'failing' | 'untested';
  readonly features: Readonly<Record<string, FlagStatus>>;
}

const BAD = new Set(['fail', 'errored', 'expected-failure', 'unexpected-pass']);

function untestedNeed(v: Verdict): boolean {
  const why = v.message ?? '';
  return v.outcome === 'skipped' && !why.includes('--profile') && !why.includes('too long for this check');
}

function grade(checks: readonly Verdict[]): 'certified' | 'partial' | 'failing' | 'untested' {
  if (checks.some((v) => BAD.has(v.outcome))) return 'failing';
  if (!checks.some((v) => v.outcome === 'pass')) return 'untested';
  return checks.some(untestedNeed) ? 'partial' : 'certified';
}

export function certify(verdicts: readonly Verdict[], negotiated: readonly string[]): Certification {
  const must = verdicts.filter((v) => v.level === 'MUST');
  const coreChecks = must.filter((v) => !v.feature);
  const core = grade(coreChecks);
  const features: Record<string, FlagStatus> = {};
  for (const flag of ALL_FEATURES) {
    if (!negotiated.includes(flag)) {
      features[flag] = 'not-negotiated';
      continue;
    }
    const own = grade(must.filter((v) => v.feature === flag));
    // a flag is never better than core: its checks stand on the core behaviour
    features[flag] = own === 'failing' || core === 'failing' ? 'failing' : own === 'certified' && core !== 'certified' ? 'partial' : own;
  }
  return { core, features };
}

/** shields.io endpoint badge (https://shields.io/badges/endpoint-badge) for one flag or core. */
export function badge(label: string, status: FlagStatus | Certification['core']): Record<string, unknown> {
  const color = { certified: 'brightgreen', partial: 'orange', failing: 'red', 'not-negotiated': 'lightgrey', untested: 'yellow' }[status];
  return { schemaVersion: 1, label, message: status.replace('-', ' '), color };
}
