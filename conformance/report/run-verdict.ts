// The verdict of a whole run and its exit code. A run certifies only what it tested: with `--only`,
// or with MUST checks skipped for a missing need (conformance agents, a second principal,
// reconnects, a setting the peer runs with), it is PARTIAL and says exactly what to add.
//   0  CONFORMANT: every MUST check ran and passed; or a PARTIAL `--only` selection with no
//      failure (you asked for a subset); or any PARTIAL run with --allow-partial
//   1  NON-CONFORMANT: a MUST check failed or errored, or a baseline entry is stale
//   2  usage or set-up error, including a full run left PARTIAL by a missing need
import type { Verdict } from '../checks/types.js';
import { exitCodeFor } from '../runner/exit-code.js';

export type RunStatus = 'conformant' | 'non-conformant' | 'partial';

/** Why checks could not run, and what to add so they can. */
export type GapKind = 'selection' | 'second-principal' | 'agents' | 'reconnect' | 'setting' | 'other';

export interface Gap {
  readonly kind: GapKind;
  /** What to add or change, as an instruction. */
  readonly advice: string;
  /** MUST checks this gap left untested (empty for `selection`). */
  readonly checks: readonly string[];
}

export interface RunVerdict {
  readonly status: RunStatus;
  readonly exitCode: 0 | 1 | 2;
  /** One line: the verdict and the reason. */
  readonly headline: string;
  readonly gaps: readonly Gap[];
}

export interface Selection {
  /** The `--only` patterns, when given. */
  readonly only?: string;
  readonly selected: number;
  readonly total: number;
}

/**
 * The need a skipped verdict lacked, or undefined when the skip reflects only the chosen profile
 * (a check of the other profile: not a gap of the peer or of the set-up).
 */
export function missingNeed(v: Verdict): { kind: GapKind; advice: string } | undefined {
  if (v.outcome !== 'skipped') return undefined;
  const why = v.message ?? '';
  if (why.includes('--profile')) return undefined;
  if (/second principal|--token-b/.test(why)) return { kind: 'second-principal', advice: "pass --token-b (or ARCP_TOKEN_B): a second principal's bearer token" };
  if (/does not host/.test(why)) return { kind: 'agents', advice: 'host the conformance agents (docs/conformance-agents.md)' };
  if (/stdio|more than one connection|reconnect/.test(why)) return { kind: 'reconnect', advice: 'certify over --target ws://... too (reconnects to the same runtime are impossible over --stdio)' };
  // "resume_window_sec 600 s is too long for this check; run the peer with <= 5 s"
  const setting = /run the peer with ([^;)]+)/.exec(why);
  if (setting) {
    const name = /^([a-z_]+) /.exec(why)?.[1];
    return { kind: 'setting', advice: `run the peer with ${name ? `${name} ` : ''}${setting[1].trim()}` };
  }
  return { kind: 'other', advice: why };
}

const MUST_BAD = new Set(['fail', 'errored']);

export function judgeRun(verdicts: readonly Verdict[], selection: Selection, opts: { allowPartial?: boolean } = {}): RunVerdict {
  const failures = verdicts.filter((v) => v.level === 'MUST' && MUST_BAD.has(v.outcome)).length;
  const stale = verdicts.filter((v) => v.outcome === 'unexpected-pass').length;
  const byAdvice = new Map<string, { kind: GapKind; advice: string; checks: string[] }>();
  for (const v of verdicts) {
    if (v.level !== 'MUST') continue;
    const need = missingNeed(v);
    if (!need) continue;
    // one gap per kind; agents and settings name what exactly is missing
    const detail = need.kind === 'agents' ? /does not host ([^(]+)/.exec(v.message ?? '')?.[1].trim() : undefined;
    const key = need.kind === 'other' || need.kind === 'setting' ? need.advice : need.kind;
    const gap = byAdvice.get(key) ?? { ...need, checks: [] };
    gap.checks.push(v.id);
    if (detail) gap.advice = mergeAgents(gap.advice, detail);
    byAdvice.set(key, gap);
  }
  const gaps: Gap[] = [...byAdvice.values()];
  if (selection.only !== undefined && selection.selected < selection.total) {
    gaps.unshift({ kind: 'selection', advice: `run without --only (this run selected ${selection.selected} of ${selection.total} checks)`, checks: [] });
  }
  if (exitCodeFor(verdicts) === 1) {
    const why = [failures ? `${failures} MUST-level failure${failures > 1 ? 's' : ''}` : '', stale ? `${stale} stale baseline entr${stale > 1 ? 'ies' : 'y'}` : ''].filter(Boolean).join(', ');
    return { status: 'non-conformant', exitCode: 1, headline: `NON-CONFORMANT: ${why}`, gaps };
  }
  // A run whose MUST failures are all in the baseline passes the gate (exit 0, or 2 if MUSTs could
  // not run) but certifies nothing: the peer is non-conformant, as the baseline itself records.
  const known = verdicts.filter((v) => v.level === 'MUST' && v.outcome === 'expected-failure').length;
  if (known > 0) {
    const blocked = gaps.some((g) => g.kind !== 'selection') && !opts.allowPartial;
    return {
      status: 'non-conformant',
      exitCode: blocked ? 2 : 0,
      headline: `NON-CONFORMANT (as baselined): ${known} known MUST-level failure${known > 1 ? 's' : ''}, each in the baseline; nothing else failed${gaps.length ? '; some checks could not run' : ''}`,
      gaps,
    };
  }
  if (gaps.length === 0) return { status: 'conformant', exitCode: 0, headline: 'CONFORMANT: every MUST-level check ran and passed', gaps };
  const untested = gaps.reduce((n, g) => n + g.checks.length, 0);
  const needGap = gaps.some((g) => g.kind !== 'selection');
  const what = [selection.only !== undefined && selection.selected < selection.total ? `only ${selection.selected} of ${selection.total} checks selected` : '', untested ? `${untested} MUST check${untested > 1 ? 's' : ''} could not run` : '']
    .filter(Boolean)
    .join('; ');
  return {
    status: 'partial',
    exitCode: needGap && !opts.allowPartial ? 2 : 0,
    headline: `PARTIAL: no MUST-level failure in what ran, but ${what}; nothing else is certified`,
    gaps,
  };
}

function mergeAgents(advice: string, agents: string): string {
  const m = /^(.*?)(?:: missing (.*))?$/.exec(advice)!;
  const all = new Set([...(m[2] ? m[2].split(', ') : []), ...agents.split(', ')]);
  return `${m[1]}: missing ${[...all].sort().join(', ')}`;
}

/** The gaps as lines of instructions ("to complete this run: ..."). */
export function gapLines(verdict: RunVerdict): string[] {
  return verdict.gaps.map((g) => `${g.advice}${g.checks.length ? ` (${g.checks.length} MUST check${g.checks.length > 1 ? 's' : ''}: ${g.checks.slice(0, 4).join(', ')}${g.checks.length > 4 ? ', ...' : ''})` : ''}`);
}
