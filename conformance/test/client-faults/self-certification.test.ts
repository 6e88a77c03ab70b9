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
