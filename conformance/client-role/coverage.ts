// The client role's coverage figure: client-side (binds client or both), wire-observable MUST/SHOULD
// statements of conformance/statements.json that a client check that ran names.
import { STATEMENTS, type Coverage } from '../statements/statements.js';
import type { ClientCheckDef } from './check-types.js';

const REQUIREMENT = new Set(['MUST', 'MUST NOT', 'SHOULD', 'SHOULD NOT', 'REQUIRED']);

export function clientCoverage(checks: readonly ClientCheckDef[], ran?: ReadonlySet<string>): Coverage {
  const testedBy = new Set<string>();
  for (const c of checks) if (!ran || ran.has(c.id)) for (const s of c.statements) testedBy.add(s);
  const counted = STATEMENTS.filter((s) => s.binds !== 'runtime' && s.wire_observable && REQUIREMENT.has(s.keyword));
  const untested = counted.filter((s) => !testedBy.has(s.id)).map((s) => s.id);
  return { tested: counted.length - untested.length, total: counted.length, untested, side: 'client' };
}
