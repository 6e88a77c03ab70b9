// Issue 13 item 6 end to end: a job's timers for durations past Node's setTimeout limit. Node fires
// a delay above 2^31-1 ms (~24.8 days) after 1 ms, so before the fix max_runtime_sec: 3000000
// timed a job out at once and an expires_at 40 days ahead re-armed a 1 ms timer forever. The
// runtime's clock records every delay it is asked for: none may be one Node would clamp.
import { afterEach, expect, it } from 'vitest';
import { systemClock, type Clock } from '../../protocol/clock.js';
import type { ARCPRuntime } from '../runtime.js';
import { alice, authorityRuntime, futureIso, submitAccepted } from './support/authority-fixture.js';
import { gate } from './support/runtime-fixture.js';
import type { TestPeer } from './support/test-peer.js';

/** Node's own limit, not the runtime's constant, so the test holds the product to the platform. */
const NODE_MAX_DELAY_MS = 2 ** 31 - 1;
const FORTY_DAYS_MS = 40 * 86_400_000;

let runtime: ARCPRuntime | undefined;
afterEach(async () => {
  await runtime?.close();
  runtime = undefined;
});

function recordingClock(delays: number[]): Clock {
  return {
    ...systemClock,
    setTimeout: (cb, ms) => {
      delays.push(ms);
      return systemClock.setTimeout(cb, ms);
    },
  };
}

/** A job of the `held` agent (ends when released) with `extra` submit fields, once it runs. */
async function heldJob(extra: Record<string, unknown>): Promise<{ peer: TestPeer; jobId: string; delays: number[]; release: () => void }> {
  const delays: number[] = [];
  runtime = authorityRuntime({ clock: recordingClock(delays) });
  const hold = gate();
  runtime.registerAgent('held', async () => {
    await hold.promise;
    return 'done';
  });
  const peer = await alice(runtime);
  const jobId = (await submitAccepted(peer, 'held', null, extra)).payload.job_id as string;
  await peer.find((m) => m.type === 'job.event' && m.job_id === jobId && m.payload.kind === 'status' && m.payload.body.phase === 'running');
  return { peer, jobId, delays, release: hold.open };
}

it('max_runtime_sec: 3000000 arms no timer Node would clamp, and the job ends with its result, not TIMEOUT', async () => {
  const { peer, jobId, delays, release } = await heldJob({ max_runtime_sec: 3_000_000 });
  expect(delays.filter((ms) => ms > NODE_MAX_DELAY_MS)).toEqual([]);
  release();
  const end = await peer.terminal(jobId);
  expect(end.type).toBe('job.result');
});

it('an expires_at 40 days ahead arms no timer Node would clamp (no 1 ms re-fire loop), and the job ends with its result', async () => {
  const { peer, jobId, delays, release } = await heldJob({ lease_constraints: { expires_at: futureIso(FORTY_DAYS_MS) } });
  expect(delays.filter((ms) => ms > NODE_MAX_DELAY_MS)).toEqual([]);
  release();
  const end = await peer.terminal(jobId);
  expect(end.type).toBe('job.result');
});
