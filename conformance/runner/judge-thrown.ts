// How a check's end becomes an outcome, shared by the runtime role and the client role: what was
// thrown decides the outcome, and a Violation's evidence becomes the trace row reports mark.
import { HarnessError, NotApplicable, PeerGone, Skip, Violation } from '../checks/outcomes.js';
import type { Level, Outcome, Verdict } from '../checks/types.js';
import type { Recorder } from '../driver/recorder.js';
import { PropertyFailure } from '../properties/run-property.js';
import { withTimeout } from './with-timeout.js';

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

export interface CheckRunHost {
  readonly recorder: Recorder;
  readonly cases: number;
  dispose(): Promise<void>;
}

/**
 * Runs one check body under a time cap and judges its end. `peer` names the party under test
 * ("peer", "client driver"); `sender` says who sent schema-invalid frames ("peer", "the client").
 */
export async function judgeCheck(
  run: () => Promise<void>,
  host: CheckRunHost,
  check: { readonly id: string; readonly level: Level; readonly kind: Verdict['kind'] },
  opts: { readonly capMs: number; readonly seed: number; readonly peer: string; readonly sender: string; readonly replay: (path: string | undefined) => string },
): Promise<{ verdict: Omit<Verdict, 'id' | 'spec' | 'level' | 'kind' | 'title'>; ms: number }> {
  const t0 = performance.now();
  let judged: Judged = { outcome: 'pass', message: '' };
  try {
    await withTimeout(run(), opts.capMs, `check ${check.id}`);
    if (host.recorder.peerProblems.length) {
      judged = { outcome: 'fail', message: `${opts.sender} sent frames that fail the lenient schema: ${host.recorder.peerProblems.slice(0, 3).join(' | ')}` };
    }
  } catch (e) {
    judged = judgeThrown(e, check.level, host.recorder, opts.peer);
  } finally {
    await host.dispose().catch(() => undefined);
  }
  const ms = performance.now() - t0;
  const property = judged.property ?? (check.kind === 'property' ? { runs: host.cases, seed: opts.seed } : undefined);
  const failing = judged.outcome === 'fail' || judged.outcome === 'warn' || judged.outcome === 'errored';
  return {
    verdict: {
      outcome: judged.outcome,
      message: judged.outcome === 'pass' ? undefined : judged.message,
      durationMs: Math.round(ms),
      trace: failing ? [...host.recorder.trace()] : undefined,
      offending: failing ? judged.offending : undefined,
      property,
      replay: failing ? opts.replay(property?.path) : undefined,
    },
    ms,
  };
}
