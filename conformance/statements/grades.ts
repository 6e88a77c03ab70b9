// A check's grade follows the spec's keywords: a check naming a MUST statement is graded MUST, a
// SHOULD statement SHOULD, a MAY statement MAY. `interop` is for catalog positions where the spec
// is silent. A check may differ only with a stated `gradeReason`, except a cross-principal check
// (a leak of jobs or a session takeover, §6.6, §14): that one is MUST, whatever the reason.
import type { Level } from '../checks/types.js';
import { STATEMENTS, type Keyword, type Statement } from './statements.js';

/** What the grade audit reads of a check (runtime and client-role checks alike). */
export interface GradedCheck {
  readonly id: string;
  readonly level: Level;
  readonly title: string;
  readonly statements: readonly string[];
  readonly needs?: readonly string[];
  readonly gradeReason?: string;
}

const LEVEL_OF: Record<Keyword, Level> = { MUST: 'MUST', 'MUST NOT': 'MUST', REQUIRED: 'MUST', SHOULD: 'SHOULD', 'SHOULD NOT': 'SHOULD', MAY: 'MAY' };
const RANK: Record<Level, number> = { interop: 0, MAY: 1, SHOULD: 2, MUST: 3 };

/** The grade the named statements call for: the strongest keyword among them. */
export function expectedLevel(statements: readonly Statement[]): Level | undefined {
  let best: Level | undefined;
  for (const s of statements) {
    const l = LEVEL_OF[s.keyword];
    if (!best || RANK[l] > RANK[best]) best = l;
  }
  return best;
}

/** A binding statement about what one principal may see or do with another's session or jobs. */
export function isCrossPrincipal(s: Statement): boolean {
  return LEVEL_OF[s.keyword] === 'MUST' && (s.section === '§14' || /principal|takeover/i.test(s.text));
}

/** Every grade inconsistent with the statements a check names (empty when all agree). */
export function gradeProblems(checks: readonly GradedCheck[], statements: readonly Statement[] = STATEMENTS): string[] {
  const byId = new Map(statements.map((s) => [s.id, s]));
  const problems: string[] = [];
  for (const c of checks) {
    const named = c.statements.flatMap((id) => byId.get(id) ?? []);
    const crossPrincipal = c.needs?.includes('two-principals') || named.some(isCrossPrincipal);
    if (crossPrincipal && c.level !== 'MUST') {
      problems.push(`${c.id}: a cross-principal check (leak or takeover, §6.6, §14) is graded ${c.level}, must be MUST`);
      continue;
    }
    const expected = expectedLevel(named);
    if (c.gradeReason !== undefined && c.gradeReason.trim().length < 20) problems.push(`${c.id}: gradeReason too short to say why`);
    if (expected === undefined) {
      if (c.level === 'interop' && !/catalog/i.test(c.title)) problems.push(`${c.id}: interop check names no catalog position in its title`);
      continue;
    }
    if (c.level !== expected && !c.gradeReason) {
      problems.push(`${c.id}: graded ${c.level}, but names ${named.map((s) => `${s.id} (${s.keyword})`).join(', ')}: grade ${expected} or state a gradeReason`);
    }
    if (c.level === expected && c.gradeReason) problems.push(`${c.id}: gradeReason given although the grade matches its statements`);
  }
  return problems;
}
