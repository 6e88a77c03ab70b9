// The client-role harness proves its power: arcp-kit's client with each injected bug (faults.ts)
// must fail the MUST check mapped to it. Prints the kill rate.
import { afterAll, describe, expect, it } from 'vitest';
import { CLIENT_CHECKS, runClientConformance } from '../../client-role/index.js';
import { CLIENT_FAULTS } from './faults.js';

const killed: string[] = [];

describe('client faults: every injected client bug is caught by a MUST check', () => {
  it('at least 15 faults, each mapped to an existing MUST check', () => {
    expect(Object.keys(CLIENT_FAULTS).length).toBeGreaterThanOrEqual(15);
    for (const [name, f] of Object.entries(CLIENT_FAULTS)) {
      const check = CLIENT_CHECKS.find((c) => c.id === f.caughtBy);
      expect(check, `${name}: ${f.caughtBy}`).toBeDefined();
      expect(check?.level, `${name}: ${f.caughtBy}`).toBe('MUST');
    }
  });

  for (const [name, fault] of Object.entries(CLIENT_FAULTS)) {
    it(`${name} is caught by ${fault.caughtBy}`, async () => {
      const undo = fault.patch?.();
      try {
        const r = await runClientConformance({ hooks: fault.hooks, only: fault.caughtBy, seed: 7, runs: 4, output: 'silent' });
        const v = r.verdicts.find((x) => x.id === fault.caughtBy);
        expect(v?.outcome, `${name}: ${v?.message ?? ''}`).toBe('fail');
        expect(r.exitCode).toBe(1);
        killed.push(name);
      } finally {
        undo?.();
      }
    });
  }

  afterAll(() => {
    const total = Object.keys(CLIENT_FAULTS).length;
    console.log(`client fault kill rate: ${killed.length}/${total} (${Math.round((killed.length / total) * 100)}%)`);
  });
});
