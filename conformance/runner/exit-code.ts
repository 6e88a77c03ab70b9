// The run's exit code (issue 5): 0 exactly when every MUST-level check that ran passed, after the
// baseline is applied; a stale baseline entry (unexpected-pass) fails the run at any level.
import type { Verdict } from '../checks/types.js';

export function exitCodeFor(verdicts: readonly Verdict[]): 0 | 1 {
  for (const v of verdicts) {
    if (v.outcome === 'unexpected-pass') return 1;
    if (v.level === 'MUST' && (v.outcome === 'fail' || v.outcome === 'errored')) return 1;
  }
  return 0;
}

export interface Tally {
  total: number;
  byOutcome: Record<string, number>;
}

export function tally(verdicts: readonly Verdict[]): Tally {
  const byOutcome: Record<string, number> = {};
  for (const v of verdicts) byOutcome[v.outcome] = (byOutcome[v.outcome] ?? 0) + 1;
  return { total: verdicts.length, byOutcome };
}
