// A property failure is shrunk, and the printed replay (seed + fast-check path) reproduces exactly
// the shrunk case: the promise behind "the single command that replays it".
import { afterAll, describe, expect, it } from 'vitest';
import { runConformance } from '../index.js';
import { disposeMutants, faultyTarget } from './fault-scratch.js';

afterAll(disposeMutants);

describe('property failures shrink and replay', () => {
  it('seq-skip: random-concurrent-jobs fails, shrinks, and --replay-path reproduces the same case', async () => {
    const id = '8.3/seq/random-concurrent-jobs';
    const first = await runConformance({ peer: await faultyTarget('seq-skip'), only: id, seed: 11, runs: 12, output: 'silent' });
    const v = first.verdicts[0];
    expect(v.outcome).toBe('fail');
    expect(v.property?.path).toBeTruthy();
    expect(v.replay).toContain(`--only ${id} --seed 11 --runs 1 --replay-path ${v.property!.path}`);
    // the shrunk trace holds only the minimal case's frames (one session)
    expect(new Set(v.trace!.filter((f) => f.dir !== 'note').map((f) => f.conn)).size).toBe(1);
    const again = await runConformance({ peer: await faultyTarget('seq-skip'), only: id, seed: 11, runs: 1, replayPath: v.property!.path, output: 'silent' });
    expect(again.verdicts[0].outcome).toBe('fail');
    expect(again.verdicts[0].property?.counterexample).toBe(v.property?.counterexample);
  });
});
