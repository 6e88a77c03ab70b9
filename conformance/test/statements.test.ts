// The normative-statements file is complete and consistent with the check registry: every
// statement has a check or a reason, every cross-reference exists on both sides, and the
// coverage figure counts what it says it counts.
import { describe, expect, it } from 'vitest';
import { ALL_CHECKS } from '../checks/index.js';
import type { CheckDef } from '../checks/types.js';
import { coverage, coverageLine, STATEMENTS, traceabilityProblems, type Statement } from '../statements/statements.js';

const KEYWORDS = ['MUST', 'MUST NOT', 'SHOULD', 'SHOULD NOT', 'REQUIRED', 'MAY'];

describe('conformance/statements.json', () => {
  it('every statement is well formed with a stable section-ordinal id', () => {
    for (const s of STATEMENTS) {
      expect(s.id, s.id).toMatch(/^S[0-9]+(\.[0-9]+)*-[0-9]{2}$/);
      expect(s.section).toBe(`§${s.id.slice(1).split('-')[0]}`);
      expect(KEYWORDS, s.id).toContain(s.keyword);
      expect(['runtime', 'client', 'both'], s.id).toContain(s.binds);
      expect(typeof s.wire_observable, s.id).toBe('boolean');
      expect(s.text.length, s.id).toBeGreaterThan(15);
    }
  });
  it('has neither a statement without check or reason, nor a dangling or one-sided reference', () => {
    expect(traceabilityProblems(ALL_CHECKS)).toEqual([]);
  });
  it('covers every section of the spec that carries requirements', () => {
    const sections = new Set(STATEMENTS.map((s) => s.section));
    for (const sec of ['§5', '§6.2', '§6.3', '§6.4', '§6.5', '§6.6', '§6.7', '§7.2', '§7.4', '§7.5', '§7.6', '§8.3', '§8.4', '§9.3', '§9.4', '§9.5', '§9.6', '§9.7', '§9.8.2', '§10', '§11', '§12', '§14']) {
      expect(sections, sec).toContain(sec);
    }
  });
});

describe('traceability problems are detected', () => {
  const check = (statements: string[]): CheckDef => ({ id: '9.9/x/y', statements, spec: '§9', level: 'MUST', title: 'a test check of the detector', kind: 'scenario', run: async () => undefined });
  const st = (o: Partial<Statement>): Statement => ({ id: 'S9-01', section: '§9', keyword: 'MUST', text: 'a statement for the detector', binds: 'runtime', wire_observable: true, checks: [], ...o });
  it('a statement with neither check nor reason', () => {
    expect(traceabilityProblems([], [st({})])).toEqual(['S9-01: neither a check nor a reason']);
  });
  it('a check naming a statement that does not exist', () => {
    expect(traceabilityProblems([check(['S9-99'])], [st({ reason: 'r' })])).toContain('check 9.9/x/y names statement S9-99, which does not exist');
  });
  it('a statement naming a check that does not exist, and one-sided links', () => {
    expect(traceabilityProblems([], [st({ checks: ['9.9/nope'] })])).toEqual(['S9-01: names check 9.9/nope, which does not exist']);
    expect(traceabilityProblems([check([])], [st({ checks: ['9.9/x/y'] })])).toContain('S9-01 names 9.9/x/y, but 9.9/x/y does not list S9-01 in its statements');
    expect(traceabilityProblems([check(['S9-01'])], [st({ reason: 'r' })])).toContain('check 9.9/x/y names S9-01, but S9-01 does not list it in conformance/statements.json');
  });
  it('a MUST check that names no statement', () => {
    expect(traceabilityProblems([check([])], [])).toEqual(['check 9.9/x/y (MUST) names no statement']);
  });
});

describe('coverage figure', () => {
  it('counts runtime-side, wire-observable MUST/SHOULD statements with a check', () => {
    const sts = [
      st2('S1-01', 'MUST', 'runtime', true, ['a']),
      st2('S1-02', 'SHOULD', 'both', true, []),
      st2('S1-03', 'MUST', 'client', true, ['a']),
      st2('S1-04', 'MUST', 'runtime', false, []),
      st2('S1-05', 'MAY', 'runtime', true, ['a']),
    ];
    const checks = [{ id: 'a', statements: ['S1-01', 'S1-03', 'S1-05'] } as unknown as CheckDef];
    const c = coverage(checks, undefined, sts);
    expect(c).toEqual({ tested: 1, total: 2, untested: ['S1-02'] });
    expect(coverageLine(c)).toBe('runtime-side, wire-observable MUST/SHOULD: 1 of 2 tested');
    expect(coverage(checks, new Set(), sts).tested).toBe(0);
  });
  it('the registry tests most counted statements', () => {
    const c = coverage(ALL_CHECKS);
    expect(c.total).toBeGreaterThan(60);
    expect(c.tested).toBeGreaterThan(c.total / 2);
  });
});

function st2(id: string, keyword: Statement['keyword'], binds: Statement['binds'], wire: boolean, checks: string[]): Statement {
  return { id, section: '§1', keyword, text: 'statement of the coverage test', binds, wire_observable: wire, checks };
}
