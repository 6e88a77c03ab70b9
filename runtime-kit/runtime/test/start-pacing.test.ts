// Issue 13: agents start one per event-loop turn (limits/start-pacer.ts), so submits read in
// one go do not run every agent's first synchronous stretch back to back ahead of other I/O.
// Ordering, not timing: a setImmediate chain counts turns; each agent records the turn it
// started in.
import { afterEach, expect, it } from 'vitest';
import { ARCPRuntime } from '../runtime.js';
import { TestPeer } from './support/test-peer.js';

let runtime: ARCPRuntime | undefined;
afterEach(async () => {
  await runtime?.close();
  runtime = undefined;
});

it('three jobs submitted in one burst start on three different turns, in submit order', async () => {
  let turn = 0;
  let counting = true;
  const tick = (): void => {
    turn++;
    if (counting) setImmediate(tick);
  };
  setImmediate(tick);
  const startedAt: Array<{ n: number; turn: number }> = [];
  runtime = new ARCPRuntime({ tokens: { t: 'alice' } });
  runtime.registerAgent('mark', (input) => {
    startedAt.push({ n: (input as { n: number }).n, turn });
    return null;
  });
  const peer = TestPeer.connect(runtime);
  await peer.hello();
  const ids = [1, 2, 3].map((n) => peer.submit('mark', { n })); // one synchronous burst of frames
  for (const id of ids) await peer.terminal((await peer.accepted(id)).payload.job_id as string);
  counting = false;
  expect(startedAt.map((s) => s.n)).toEqual([1, 2, 3]);
  expect(new Set(startedAt.map((s) => s.turn)).size).toBe(3);
});
