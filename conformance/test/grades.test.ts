// Grades follow the spec (issue 8 item 3): a check naming a MUST statement is graded MUST unless it
// states why not; a cross-principal check (leak, session takeover) is MUST without exception;
// `interop` is left for catalog positions where the spec is silent.
import { describe, expect, it } from 'vitest';
import { ALL_CHECKS } from '../checks/index.js';
import { CLIENT_CHECKS } from '../client-role/checks/index.js';
import type { Statement } from '../statements/statements.js';
import { expectedLevel, gradeProblems, type GradedCheck } from '../statements/grades.js';
import { runConformance } from '../index.js';
import { buildJsonReport } from '../report/json.js';

describe('every check is graded as the keywords of its statements say', () => {
  it('runtime checks', () => {
    expect(gradeProblems(ALL_CHECKS)).toEqual([]);
  });
  it('client-role checks', () => {
    expect(gradeProblems(CLIENT_CHECKS)).toEqual([]);
  });
  it('the session-takeover and every two-principal check are MUST', () => {
    const takeover = ALL_CHECKS.find((c) => c.id === '6.3/resume/other-principal-refused');
    expect(takeover?.level).toBe('MUST');
    const twoPrincipal = ALL_CHECKS.filter((c) => c.needs?.includes('two-principals'));
    expect(twoPrincipal.length).toBeGreaterThan(3);
    for (const c of twoPrincipal) expect(c.level, c.id).toBe('MUST');
  });
});

describe('a stated grade reason reaches the reports', () => {
  it('report.json carries the reason of a check graded below its statements', async () => {
    const id = '6.2/negotiation/welcome-subset-of-hello';
    const r = await runConformance({ only: id, seed: 1, runs: 1, output: 'silent' });
    const check = (buildJsonReport(r).checks as { id: string; level: string; gradeReason?: string }[]).find((c) => c.id === id);
    expect(check?.level).toBe('interop');
    expect(check?.gradeReason).toMatch(/catalog §10 #14/);
  });
});

describe('the grade audit catches', () => {
  const st = (id: string, keyword: Statement['keyword'], text = 'the runtime does a thing on the wire'): Statement => ({ id, section: `§${id.slice(1).split('-')[0]}`, keyword, text, binds: 'runtime', wire_observable: true, checks: [] });
  const sts = [st('S9-01', 'MUST'), st('S9-02', 'SHOULD'), st('S9-03', 'MAY'), st('S6.3-09', 'MUST', 'a session is resumed only by its own principal'), st('S14-09', 'MUST NOT')];
  const chk = (o: Partial<GradedCheck>): GradedCheck => ({ id: '9/x/y', level: 'MUST', title: 'a check of the audit', statements: ['S9-01'], ...o });

  it('the strongest keyword decides', () => {
    expect(expectedLevel([sts[1], sts[0]])).toBe('MUST');
    expect(expectedLevel([sts[2], sts[1]])).toBe('SHOULD');
    expect(expectedLevel([])).toBeUndefined();
  });
  it('a MUST statement graded interop or SHOULD without a reason', () => {
    expect(gradeProblems([chk({ level: 'interop' })], sts)).toEqual(['9/x/y: graded interop, but names S9-01 (MUST): grade MUST or state a gradeReason']);
    expect(gradeProblems([chk({ level: 'SHOULD' })], sts)).toHaveLength(1);
    expect(gradeProblems([chk({ level: 'SHOULD', gradeReason: 'the spec sentence binds only when a feature the check does not use is negotiated' })], sts)).toEqual([]);
  });
  it('a MAY statement graded MUST without a reason, and a reason where none is needed', () => {
    expect(gradeProblems([chk({ statements: ['S9-03'] })], sts)).toHaveLength(1);
    expect(gradeProblems([chk({ gradeReason: 'no reason is needed for this one at all' })], sts)).toEqual(['9/x/y: gradeReason given although the grade matches its statements']);
  });
  it('a cross-principal check graded below MUST, whatever its reason', () => {
    const reason = { gradeReason: 'the catalog says the spec is silent on this point' };
    expect(gradeProblems([chk({ level: 'interop', statements: ['S6.3-09'], ...reason })], sts)[0]).toMatch(/cross-principal/);
    expect(gradeProblems([chk({ level: 'interop', statements: ['S14-09'], ...reason })], sts)[0]).toMatch(/cross-principal/);
    expect(gradeProblems([chk({ level: 'interop', statements: [], needs: ['two-principals'], title: 'catalog §1' })], sts)[0]).toMatch(/cross-principal/);
  });
  it('an interop check without statements that names no catalog position', () => {
    expect(gradeProblems([chk({ level: 'interop', statements: [], title: 'a position' })], sts)).toHaveLength(1);
    expect(gradeProblems([chk({ level: 'interop', statements: [], title: 'a position (catalog §9 #1)' })], sts)).toEqual([]);
  });
});
