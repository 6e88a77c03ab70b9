// arcp-kit's own client, unmodified, passes every client-role MUST check in-process.
import { describe, expect, it } from 'vitest';
import { runClientConformance } from '../../client-role/index.js';

describe('client role: arcp-kit client self-certification', () => {
  it('passes every MUST check (exit 0)', async () => {
    const r = await runClientConformance({ seed: 1, runs: 4, output: 'silent' });
    const bad = r.verdicts.filter((v) => v.level === 'MUST' && v.outcome !== 'pass' && v.outcome !== 'not-applicable');
    expect(bad.map((v) => `${v.id}: ${v.outcome} ${v.message ?? ''}`)).toEqual([]);
    expect(r.exitCode).toBe(0);
    expect(r.role).toBe('client');
  });
});

describe('client role: statements traceability', async () => {
  const { STATEMENTS } = await import('../../statements/statements.js');
  const { CLIENT_CHECKS } = await import('../../client-role/index.js');
  it('every statement a client check names exists, and every client-side statement has a client check or a reason', () => {
    const ids = new Set(STATEMENTS.map((s) => s.id));
    for (const c of CLIENT_CHECKS) for (const s of c.statements) expect(ids.has(s), `${c.id} names ${s}`).toBe(true);
    const named = new Set(CLIENT_CHECKS.flatMap((c) => c.statements));
    // MAY statements grant a permission: there is nothing to certify on the client's side
    for (const s of STATEMENTS.filter((x) => x.binds !== 'runtime' && x.keyword !== 'MAY')) expect(named.has(s.id) || !!s.reason, `${s.id}: no client check and no reason`).toBe(true);
  });
});
