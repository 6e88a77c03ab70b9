// The shape of one conformance check and of its verdict. A check is a scenario (scripted
// exchange) or a fast-check property; both run against a black-box peer through the driver.
import type { CheckContext } from '../runner/context.js';

/** Requirement level. `interop` = a wire-catalog position where the spec is silent (§9/§10 "H:"). */
export type Level = 'MUST' | 'SHOULD' | 'MAY' | 'interop';

/** What a check needs from the run beyond one principal on one connection. */
export type Need =
  | 'two-principals' // --token-b given (principal B)
  | 'reconnect' // the peer accepts more than one connection to the same runtime (not stdio)
  | 'spec-profile' // runs only under --profile spec
  | 'interop-profile'; // runs only under --profile interop

export type CheckKind = 'scenario' | 'property';

export interface CheckDef {
  /** Stable hierarchical id anchored to a spec section, e.g. `8.3/seq/gap-free`. */
  readonly id: string;
  /** Ids of the normative statements it tests (conformance/statements.json); empty only for interop positions. */
  readonly statements: readonly string[];
  /** Spec reference, e.g. `§8.3`. */
  readonly spec: string;
  readonly level: Level;
  /**
   * Why the grade differs from the strongest keyword of the named statements (MUST statement ->
   * MUST check). Required exactly when it differs; never allowed for a cross-principal check.
   */
  readonly gradeReason?: string;
  /** One line: what is required; states the catalog position where the spec is silent. */
  readonly title: string;
  /** Feature flag gate: not-applicable unless negotiated with the peer. */
  readonly feature?: string;
  /** Conformance agents the check drives (not-applicable if the peer's inventory lacks them). */
  readonly agents?: readonly string[];
  readonly needs?: readonly Need[];
  readonly kind: CheckKind;
  /** Throws `Violation` to fail, `Skip`/`NotApplicable` to opt out; returns to pass. */
  run(ctx: CheckContext): Promise<void>;
}

export type Outcome =
  | 'pass'
  | 'fail' // MUST / interop violated
  | 'warn' // SHOULD / MAY violated
  | 'not-applicable' // feature outside the negotiated set, agent not hosted
  | 'skipped' // a need is missing (reason says which)
  | 'errored' // harness bug or peer crash
  | 'expected-failure' // failed and listed in the baseline
  | 'unexpected-pass'; // listed in the baseline but passed (stale baseline)

/** One frame as the recorder saw it. */
export interface TraceFrame {
  /** ms since the check started. */
  readonly t: number;
  readonly dir: 'send' | 'recv' | 'note';
  /** Connection label (`A1`, `A2`, `B1`, ...). */
  readonly conn: string;
  readonly text: string;
}

export interface Verdict {
  readonly id: string;
  /** The statements of conformance/statements.json the check tests. */
  readonly statements?: readonly string[];
  readonly spec: string;
  readonly level: Level;
  /** Why the level differs from the statements' keywords (CheckDef.gradeReason). */
  readonly gradeReason?: string;
  readonly kind: CheckKind;
  readonly title: string;
  readonly feature?: string;
  readonly outcome: Outcome;
  /** Why: the violation, skip reason or error message. */
  readonly message?: string;
  readonly durationMs: number;
  /** Frames exchanged (the shrunk run for a property). Only kept for non-passing verdicts. */
  readonly trace?: readonly TraceFrame[];
  /**
   * The trace row (0-based) that shows the failure, when the check named it: a peer frame that
   * breaks the rule, or (`unanswered`) the harness request the peer never answered. Without it,
   * reports infer the row from the message (report/trace-view.ts).
   */
  readonly offending?: { readonly index: number; readonly unanswered?: true };
  /** Property runs: cases executed, seed, fast-check counterexample path. */
  readonly property?: { runs: number; seed: number; path?: string; counterexample?: string };
  /** The single command that replays this check. */
  readonly replay?: string;
}
