// Certification summary: core = every feature-less MUST check that ran passed; a feature flag is
// certified when it was negotiated, core is certified, and every MUST check gated by the flag
// that ran passed (at least one). A MUST check skipped for a missing need (agent, second
// principal, reconnects, a setting such as a resume window too long to wait out) makes the area
// `partial`, and so does an `--only` selection: never certified on the strength of what was not
// tested (A2A TCK #214). Skips that only reflect the chosen profile do not count.
import type { Verdict } from '../checks/types.js';
import { ALL_FEATURES } from '../driver/wire.js';
import type { RunResult } from '../runner/run.js';
import { judgeRun, missingNeed, type RunVerdict } from './run-verdict.js';

export type FlagStatus = 'certified' | 'partial' | 'failing' | 'not-negotiated' | 'untested';

export interface Certification {
  readonly core: 'certified' | 'partial' | 'failing' | 'untested';
  readonly features: Readonly<Record<string, FlagStatus>>;
}

const BAD = new Set(['fail', 'errored', 'expected-failure', 'unexpected-pass']);

function grade(checks: readonly Verdict[], selection: boolean): 'certified' | 'partial' | 'failing' | 'untested' {
  if (checks.some((v) => BAD.has(v.outcome))) return 'failing';
  if (!checks.some((v) => v.outcome === 'pass')) return 'untested';
  return selection || checks.some((v) => missingNeed(v) !== undefined) ? 'partial' : 'certified';
}

/** `selection`: the run ran a subset of the registry (`--only`), so nothing is certified in full. */
export function certify(verdicts: readonly Verdict[], negotiated: readonly string[], opts: { selection?: boolean } = {}): Certification {
  const selection = opts.selection ?? false;
  const must = verdicts.filter((v) => v.level === 'MUST');
  const coreChecks = must.filter((v) => !v.feature);
  const core = grade(coreChecks, selection);
  const features: Record<string, FlagStatus> = {};
  for (const flag of ALL_FEATURES) {
    if (!negotiated.includes(flag)) {
      features[flag] = 'not-negotiated';
      continue;
    }
    const own = grade(must.filter((v) => v.feature === flag), selection);
    // a flag is never better than core: its checks stand on the core behaviour
    features[flag] = own === 'failing' || core === 'failing' ? 'failing' : own === 'certified' && core !== 'certified' ? 'partial' : own;
  }
  return { core, features };
}

/** A run's selection as the verdict reads it (a result built without one ran everything it had). */
function selectionOf(result: RunResult) {
  return result.selection ?? { selected: result.verdicts.length, total: result.verdicts.length };
}

/** The run's verdict: the one computed by the run, or judged now from its verdicts. */
export function runVerdictOf(result: RunResult): RunVerdict {
  return result.verdict ?? judgeRun(result.verdicts, selectionOf(result));
}

/** The certification of a whole run (its selection included). */
export function certifyRun(result: RunResult): Certification {
  const s = selectionOf(result);
  return certify(result.verdicts, result.peer.features, { selection: s.only !== undefined && s.selected < s.total });
}

/** shields.io endpoint badge (https://shields.io/badges/endpoint-badge) for one flag or core. */
export function badge(label: string, status: FlagStatus | Certification['core']): Record<string, unknown> {
  const color = { certified: 'brightgreen', partial: 'orange', failing: 'red', 'not-negotiated': 'lightgrey', untested: 'yellow' }[status];
  return { schemaVersion: 1, label, message: status.replace('-', ' '), color };
}
