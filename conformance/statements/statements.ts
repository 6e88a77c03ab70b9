// The spec's normative statements as data (conformance/statements.json) and the coverage figure
// every listing and report shows. The file is the traceability matrix: each statement names the
// checks that test it, or the reason no check can; each check names its statements back.
import { createRequire } from 'node:module';
import type { CheckDef } from '../checks/types.js';

export type Keyword = 'MUST' | 'MUST NOT' | 'SHOULD' | 'SHOULD NOT' | 'REQUIRED' | 'MAY';
export type Binds = 'runtime' | 'client' | 'both';

export interface Statement {
  readonly id: string;
  readonly section: string;
  readonly keyword: Keyword;
  /** `declarative`: an indicative sentence ("returns X") the harness grades as MUST. */
  readonly form?: 'declarative';
  readonly text: string;
  readonly binds: Binds;
  readonly wire_observable: boolean;
  readonly checks: readonly string[];
  readonly reason?: string;
}

const require = createRequire(import.meta.url);
const FILE = require('../statements.json') as { statements: Statement[] };

export const STATEMENTS: readonly Statement[] = FILE.statements;

const REQUIREMENT: ReadonlySet<Keyword> = new Set(['MUST', 'MUST NOT', 'SHOULD', 'SHOULD NOT', 'REQUIRED']);

/** The statements the coverage figure counts: bind the runtime, visible on the wire, MUST/SHOULD. */
export function runtimeWireStatements(statements: readonly Statement[] = STATEMENTS): Statement[] {
  return statements.filter((s) => s.binds !== 'client' && s.wire_observable && REQUIREMENT.has(s.keyword));
}

export interface Coverage {
  readonly tested: number;
  readonly total: number;
  /** Ids of the counted statements no check tests. */
  readonly untested: readonly string[];
  /** Whose statements were counted (default runtime). */
  readonly side?: 'runtime' | 'client';
}

/**
 * A counted statement is tested when at least one check that exists names it. With `ran`, only
 * checks that actually ran (any verdict but skipped/not-applicable) count: a report shows what the
 * run tested, not what the registry could test.
 */
export function coverage(checks: readonly CheckDef[], ran?: ReadonlySet<string>, statements: readonly Statement[] = STATEMENTS): Coverage {
  const testedBy = new Set<string>();
  for (const c of checks) if (!ran || ran.has(c.id)) for (const s of c.statements) testedBy.add(s);
  const counted = runtimeWireStatements(statements);
  const untested = counted.filter((s) => !testedBy.has(s.id)).map((s) => s.id);
  return { tested: counted.length - untested.length, total: counted.length, untested };
}

export function coverageLine(c: Coverage): string {
  return `${c.side ?? 'runtime'}-side, wire-observable MUST/SHOULD: ${c.tested} of ${c.total} tested`;
}

/**
 * Everything wrong with the statements <-> checks cross-references (empty when consistent):
 * a statement with neither a check nor a reason, a check or statement id that does not exist,
 * and a link named on one side only.
 */
export function traceabilityProblems(checks: readonly CheckDef[], statements: readonly Statement[] = STATEMENTS): string[] {
  const problems: string[] = [];
  const byId = new Map(statements.map((s) => [s.id, s]));
  const checkIds = new Set(checks.map((c) => c.id));
  if (byId.size !== statements.length) problems.push('duplicate statement ids');
  for (const s of statements) {
    if (s.checks.length === 0 && !s.reason) problems.push(`${s.id}: neither a check nor a reason`);
    for (const c of s.checks) {
      if (!checkIds.has(c)) problems.push(`${s.id}: names check ${c}, which does not exist`);
      else if (!checks.find((x) => x.id === c)!.statements.includes(s.id)) problems.push(`${s.id} names ${c}, but ${c} does not list ${s.id} in its statements`);
    }
  }
  for (const c of checks) {
    for (const id of c.statements) {
      const s = byId.get(id);
      if (!s) problems.push(`check ${c.id} names statement ${id}, which does not exist`);
      else if (!s.checks.includes(c.id)) problems.push(`check ${c.id} names ${id}, but ${id} does not list it in conformance/statements.json`);
    }
    if (c.level !== 'interop' && c.statements.length === 0) problems.push(`check ${c.id} (${c.level}) names no statement`);
  }
  return problems;
}
