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

describe('client role: reports', () => {
  it('writes report.json with role client (valid against report.schema.json) and client-* badges', async () => {
    const { mkdtempSync, readFileSync, existsSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { Ajv2020 } = await import('ajv/dist/2020.js');
    const addFormats = (await import('ajv-formats')).default as unknown as (a: unknown) => void;
    const dir = mkdtempSync(join(tmpdir(), 'arcp-client-report-'));
    const r = await runClientConformance({ only: '6.1/**', seed: 1, runs: 1, output: 'silent', reportDir: dir });
    const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'));
    expect(report.role).toBe('client');
    const ajv = new Ajv2020({ strict: false });
    addFormats(ajv);
    const validate = ajv.compile(JSON.parse(readFileSync(new URL('../../report/report.schema.json', import.meta.url), 'utf8')));
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    expect(existsSync(join(dir, 'badges', 'client-core.json'))).toBe(true);
    expect(JSON.parse(readFileSync(join(dir, 'badges', 'client-core.json'), 'utf8')).label).toBe('ARCP client core');
    expect(r.exitCode).toBe(0);
  });
});
