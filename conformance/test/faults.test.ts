// The harness proves its own power: arcp-kit's runtime started with each test-only fault must be
// caught by the check mapped to it (100% kill rate over the faults the runtime defines).
import { describe, expect, it } from 'vitest';
import { FAULT_NAMES, type FaultName } from '../../runtime-kit/runtime/faults.js';
import { ALL_CHECKS } from '../checks/index.js';
import { runConformance } from '../index.js';
import { FAULT_CATCHERS, FAULT_TARGET_OPTIONS } from './fault-map.js';

describe('fault injection: every runtime fault is caught by its check', () => {
  it('every fault the runtime defines is mapped to existing checks', () => {
    const ids = new Set(ALL_CHECKS.map((c) => c.id));
    for (const f of FAULT_NAMES) {
      expect(FAULT_CATCHERS[f], `map fault "${f}" in conformance/test/fault-map.ts`).toBeDefined();
    }
    for (const catchers of Object.values(FAULT_CATCHERS)) for (const id of catchers) expect(ids.has(id), id).toBe(true);
  });

  for (const fault of FAULT_NAMES) {
    const catchers = FAULT_CATCHERS[fault] ?? [];
    it(`${fault} is caught by ${catchers[0] ?? '(unmapped)'}`, async (t) => {
      expect(catchers.length).toBeGreaterThan(0);
      const result = await runConformance({ faults: [fault as FaultName], ...FAULT_TARGET_OPTIONS[fault], only: catchers[0], seed: 1234, runs: 6, output: 'silent' });
      const v = result.verdicts.find((x) => x.id === catchers[0]);
      // The authority agents (tools, spender, model, delegator) land with runtime part 2: until the
      // in-process runtime hosts them, the catching check cannot run, and this says so.
      if (v?.outcome === 'skipped' && v.message?.includes('does not host')) t.skip(`${catchers[0]}: ${v.message}`);
      expect(v?.outcome, `${fault}: ${catchers[0]} said ${v?.outcome} ${v?.message ?? ''}`).toBe('fail');
      expect(result.exitCode).toBe(1);
    });
  }
});
