// The standing attack battery, small run (issue 13 item 8): schema-derived and raw hostile
// frames, a frame flood, stalled handshakes, a brute force, a deep delegation and 10 streaming
// sessions against one runtime on loopback, with a witness session streaming throughout. Fails
// on any crash (an uncaught error fails the run), stuck connection, lost event or unbounded
// growth (connections, sessions, retained bytes back within their bounds). The full run with
// figures is `npm run bench attack`.
import { afterEach, expect, it } from 'vitest';
import type { BudgetedEventStore } from '../../runtime-kit/runtime/limits/budgeted-event-store.js';
import { runBattery } from './support/battery.js';
import { startTarget, type Target } from './support/target.js';

let target: Target | undefined;
afterEach(async () => {
  await target?.close();
  target = undefined;
});

it('holds: 0 stuck connections, 0 lost events, brute force refused and limited, delegation bounded, still serving', async () => {
  target = await startTarget({ limits: { handshakeTimeoutMs: 500, maxSessionsPerPrincipal: 32 } });
  const report = await runBattery(target.url, {
    hostileFrames: 300,
    floodFrames: 2000,
    stalledHandshakes: 20,
    bruteForceAttempts: 30,
    delegationLevels: 2000,
    witnessEvents: 2000,
    fairnessSessions: 10,
    fairnessEvents: 2000,
    pings: 20,
    stalledDeadlineMs: 3000,
    seed: 13,
  });
  expect(report.aliveAtEnd).toBe(true);
  expect(report.stuckConnections).toBe(0);
  expect(report.stalledStillOpen).toBe(0);
  expect(report.bruteForceAccepted).toBe(0);
  expect(report.bruteForceRateLimited).toBe(true);
  expect(report.delegationJobs).toBe(9); // root + maxDelegationDepth (8)
  expect(report.witness).toEqual({ expected: 2000, received: 2000, gapFree: true });
  expect(report.lostEvents).toBe(0);
  expect(report.pingMs.count).toBe(20);

  // Bounded growth: every attack connection is gone, sessions and retained bytes within budget.
  const { runtime } = target;
  const deadline = Date.now() + 10_000;
  while (runtime.guard.openConnections > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  expect(runtime.guard.openConnections).toBe(0);
  expect(runtime.sessions.ofPrincipal('alice').size).toBeLessThanOrEqual(32);
  expect(runtime.sessions.ofPrincipal('bob').size).toBeLessThanOrEqual(32);
  expect((runtime.store as BudgetedEventStore).retainedBytes()).toBeLessThanOrEqual(runtime.options.limits.maxRetainedEventBytes);
  expect(runtime.jobs.retainedInputBytes()).toBe(0);
}, 240_000);
