// Expected-failures baselines: a listed failure does not fail the run, a listed check that passes
// does (stale baseline), a different failure message keeps the failure, and --update-baseline
// writes a file that makes the same run pass.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { disposeMutants, faultyTarget } from './fault-scratch.js';
import { runConformance } from '../index.js';
import { applyBaseline, parseBaseline } from '../runner/baseline.js';
import type { Verdict } from '../checks/types.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'arcp-conf-baseline-'));
});
afterAll(async () => {
  await disposeMutants();
  await rm(dir, { recursive: true, force: true });
});

const base: Verdict = { id: '8.3/seq/x', spec: '§8.3', level: 'MUST', kind: 'scenario', title: 't', outcome: 'fail', message: 'event_seq jumps from 4 to 6', durationMs: 1 };

describe('baseline grading', () => {
  it('parses ids, patterns and expected messages', () => {
    const entries = parseBaseline('# comment\n8.3/**  # jumps\n\n6.3/resume/token-rotates\n');
    expect(entries.map((e) => [e.pattern, e.message])).toEqual([
      ['8.3/**', 'jumps'],
      ['6.3/resume/token-rotates', undefined],
    ]);
  });
  it('grades listed failures, stale entries and message mismatches', () => {
    const entries = parseBaseline('8.3/**  # jumps');
    expect(applyBaseline(base, entries).outcome).toBe('expected-failure');
    expect(applyBaseline({ ...base, outcome: 'pass' }, entries).outcome).toBe('unexpected-pass');
    expect(applyBaseline({ ...base, message: 'repeats' }, entries).outcome).toBe('fail');
    expect(applyBaseline({ ...base, id: '6.3/x' }, entries).outcome).toBe('fail');
  });
  it('lets a `?` entry (a property whose failure depends on the drawn cases) pass, and still grades its failure', () => {
    const entries = parseBaseline('?8.3/seq/x  # jumps');
    expect(entries[0].mayPass).toBe(true);
    expect(applyBaseline({ ...base, outcome: 'pass' }, entries).outcome).toBe('pass');
    expect(applyBaseline(base, entries).outcome).toBe('expected-failure');
    expect(applyBaseline({ ...base, message: 'repeats' }, entries).outcome).toBe('fail');
  });
});

describe('baseline runs', () => {
  const only = '8.3/seq/gap-free-concurrent,7.1/submit/accepted-then-result';
  it('a faulty peer fails the run; the updated baseline makes it pass; a fixed peer then fails it as stale', async () => {
    const file = join(dir, 'expected.txt');
    const failing = await runConformance({ peer: await faultyTarget('seq-skip'), only, seed: 5, runs: 2, output: 'silent' });
    expect(failing.exitCode).toBe(1);
    await expect(runConformance({ peer: await faultyTarget('seq-skip'), only, expectedFailures: file, updateBaseline: true, output: 'silent' })).rejects.toThrow(/full run/);
    await writeFile(file, '8.3/seq/gap-free-concurrent  # event_seq jumps\n');
    const graded = await runConformance({ peer: await faultyTarget('seq-skip'), only, seed: 5, runs: 2, expectedFailures: file, output: 'silent' });
    expect(graded.verdicts.find((v) => v.id === '8.3/seq/gap-free-concurrent')?.outcome).toBe('expected-failure');
    expect(graded.exitCode).toBe(0);
    const fixed = await runConformance({ only, seed: 5, runs: 2, expectedFailures: file, output: 'silent' });
    expect(fixed.verdicts.find((v) => v.id === '8.3/seq/gap-free-concurrent')?.outcome).toBe('unexpected-pass');
    expect(fixed.exitCode).toBe(1);
  });
  // a full run with failing properties (shrinking included): give it room on a loaded machine
  it('--update-baseline on a full run writes every failing check', { timeout: 150_000 }, async () => {
    const file = join(dir, 'full.txt');
    const r = await runConformance({ peer: await faultyTarget('resume-token-not-rotated'), seed: 3, runs: 1, expectedFailures: file, updateBaseline: true, output: 'silent' });
    expect(r.exitCode).toBe(0);
    const text = await readFile(file, 'utf8');
    expect(text).toContain('6.3/resume/token-rotates');
  });
});
