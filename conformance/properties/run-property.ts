// Runs one fast-check property against the peer with the run's seed and case count. On failure
// the shrunk counterexample is run once more with the recorder on, so the verdict carries the
// exact frames of the minimal case, the seed and the fast-check path that replays it.
import fc from 'fast-check';
import { Violation, type Evidence } from '../checks/outcomes.js';

/** What runProperty needs from a check context (runtime-role CheckContext and client-role ClientCheckContext both fit). */
export interface PropertyHost {
  readonly config: { readonly seed: number; readonly runs: number; readonly replayPath?: string };
  readonly recorder: { reset(): void };
  beginCase(): void;
  cases: number;
}

export class PropertyFailure extends Violation {
  constructor(
    message: string,
    readonly seed: number,
    readonly path: string | undefined,
    readonly counterexample: string,
    readonly runs: number,
    evidence?: Evidence,
  ) {
    super(message, evidence);
  }
}

export interface PropertyOptions {
  /** Overrides the run's --runs (e.g. a cheap property may run more cases). */
  runsFactor?: number;
  /** Cap on the property's total time, ms (fast-check interrupts after it). */
  timeLimitMs?: number;
}

/**
 * Checks `predicate` for values of `arb`. `predicate` throws a Violation when the peer is wrong.
 * Each case starts with a clean recorder; connections opened by a case must be closed by it.
 */
export async function runProperty<T>(
  ctx: PropertyHost,
  arb: fc.Arbitrary<T>,
  predicate: (value: T) => Promise<void>,
  opts: PropertyOptions = {},
): Promise<void> {
  const { seed } = ctx.config;
  const replayPath = ctx.config.replayPath?.split('|')[0];
  const numRuns = replayPath ? 1 : Math.max(1, Math.round(ctx.config.runs * (opts.runsFactor ?? 1)));
  let executed = 0;
  const prop = fc.asyncProperty(arb, async (value) => {
    executed += 1;
    ctx.recorder.reset();
    ctx.beginCase();
    await predicate(value);
  });
  const details = await fc.check(prop, {
    seed,
    numRuns,
    path: replayPath,
    endOnFailure: false,
    interruptAfterTimeLimit: opts.timeLimitMs ?? 20_000,
    markInterruptAsFailure: false,
  });
  ctx.cases += executed;
  if (!details.failed) return;
  const value = details.counterexample?.[0] as T;
  const original = details.errorInstance;
  // Replay the minimal case with a clean trace, so the report shows exactly its frames.
  ctx.recorder.reset();
  ctx.beginCase();
  let message = original instanceof Error ? original.message : String(original);
  // the replay's evidence points into the trace the report shows; the original's does not
  let evidence: Evidence | undefined;
  try {
    await predicate(value);
    message += ' (the shrunk case passed when replayed: the failure may depend on timing)';
  } catch (e) {
    message = e instanceof Error ? e.message : String(e);
    if (e instanceof Violation) evidence = e.evidence;
  }
  if (!(original instanceof Violation)) {
    // A crash inside the predicate is a harness/peer error, not a property violation.
    throw original instanceof Error ? original : new Error(String(original));
  }
  const shown = fc.stringify(value);
  // fc.commands values carry their own replay path, needed (after `|`) to replay the same commands
  const commandsPath = /replayPath="([^"]*)"/.exec(shown)?.[1];
  const path = details.counterexamplePath ? (commandsPath ? `${details.counterexamplePath}|${commandsPath}` : details.counterexamplePath) : undefined;
  throw new PropertyFailure(message, details.seed, path, shown, executed, evidence);
}
