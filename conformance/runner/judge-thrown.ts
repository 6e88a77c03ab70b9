// How a check's end becomes an outcome, shared by the runtime role and the client role: what was
// thrown decides the outcome, and a Violation's evidence becomes the trace row reports mark.
import { HarnessError, NotApplicable, PeerGone, Skip, Violation } from '../checks/outcomes.js';
import type { Level, Outcome, Verdict } from '../checks/types.js';
import type { Recorder } from '../driver/recorder.js';
import { PropertyFailure } from '../properties/run-property.js';

export interface Judged {
  readonly outcome: Outcome;
  readonly message: string;
  readonly property?: Verdict['property'];
  readonly offending?: Verdict['offending'];
}

/** `peer` names the party under test in messages ("peer", "client driver"). */
export function judgeThrown(e: unknown, level: Level, recorder: Recorder, peer: string): Judged {
  const message = (e as Error | undefined)?.message ?? String(e);
  const property = e instanceof PropertyFailure ? { runs: e.runs, seed: e.seed, path: e.path, counterexample: e.counterexample } : undefined;
  if (e instanceof Violation) {
    return { outcome: level === 'SHOULD' || level === 'MAY' ? 'warn' : 'fail', message, property, offending: offendingRow(e, recorder) };
  }
  if (e instanceof Skip) return { outcome: 'skipped', message, property };
  if (e instanceof NotApplicable) return { outcome: 'not-applicable', message, property };
  if (e instanceof PeerGone) return { outcome: 'errored', message: `${peer} crashed or closed: ${message}`, property };
  return { outcome: 'errored', message: `${e instanceof HarnessError ? 'harness error' : 'error'}: ${message}`, property };
}

function offendingRow(v: Violation, recorder: Recorder): Verdict['offending'] {
  if (v.evidence?.frame) {
    const index = recorder.indexOf(v.evidence.frame);
    if (index >= 0) return { index };
  }
  if (v.evidence?.unanswered) {
    const index = recorder.indexOf(v.evidence.unanswered);
    if (index >= 0) return { index, unanswered: true };
  }
  return undefined;
}
