// Invariant: the shared bench harness measures every case, compares each with the baseline case of
// the same run (baseline ratio exactly 1), honours fixed iteration counts and writes the JSON report.
// (Lives here because bench/ holds only benchmarks; the harness is owned by the generator area.)
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runBench } from '../../bench/harness.js';

describe('bench harness', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bench-harness-'));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('runs each case the fixed number of times per round and reports ratios to the baseline', () => {
    const calls = { base: 0, other: 0 };
    const report = runBench({ name: 'unit', baseline: 'base', rounds: 3, iterations: 50, resultsDir: dir, print: false }, [
      { name: 'base', fn: () => ++calls.base },
      { name: 'other', fn: () => ++calls.other },
    ]);
    expect(calls).toEqual({ base: 150, other: 150 });
    expect(report.cases.map((c) => c.name)).toEqual(['base', 'other']);
    expect(report.cases[0].ratioToBaseline).toBe(1);
    expect(report.cases[1].ratioToBaseline).toBeCloseTo(report.cases[1].medianNs / report.cases[0].medianNs, 10);
    for (const c of report.cases) {
      expect(c.iterationsPerRound).toBe(50);
      expect(c.opsPerSec).toBeCloseTo(1e9 / c.medianNs, 6);
      expect(c.minNs).toBeLessThanOrEqual(c.medianNs);
      expect(c.maxNs).toBeGreaterThanOrEqual(c.medianNs);
    }
    expect(JSON.parse(readFileSync(join(dir, 'unit.json'), 'utf8'))).toMatchObject({ name: 'unit', baseline: 'base', rounds: 3 });
  });

  it('rejects a baseline that is not a case', () => {
    expect(() => runBench({ name: 'bad', baseline: 'missing', iterations: 1, resultsDir: dir, print: false }, [{ name: 'x', fn: () => 1 }]))
      .toThrow('baseline case "missing"');
  });
});
