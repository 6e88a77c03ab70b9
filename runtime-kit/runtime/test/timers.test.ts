// Issue 13 item 4: timers correct for any duration. Node clamps setTimeout delays above
// 2^31-1 ms to 1 ms; this clock does the same on top of ManualClock, so the test shows that
// schedule() chains instead of firing early (max_runtime_sec: 3000000 used to time out in 6 ms).
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../protocol/manual-clock.js';
import { schedule, type Clock } from '../timers.js';

/**
 * Node's limit as a literal, not the product's MAX_TIMER_STEP_MS: a clock built from the
 * product's constant clamps nothing where the constant is missing or wrong, and the test passed
 * on the code before the fix.
 */
const NODE_MAX_DELAY_MS = 2 ** 31 - 1;

function clampingClock(inner: ManualClock): Clock {
  return {
    now: () => inner.now(),
    monotonic: () => inner.monotonic(),
    setTimeout: (cb, ms) => inner.setTimeout(cb, ms > NODE_MAX_DELAY_MS ? 1 : ms),
    setInterval: (cb, ms) => inner.setInterval(cb, ms),
  };
}

describe('schedule() for any duration', () => {
  it('a 3,000,000 s timer does not fire early under Node-style clamping, and fires when due', () => {
    const manual = new ManualClock();
    const clock = clampingClock(manual);
    let fired = 0;
    const ms = 3_000_000 * 1000;
    schedule(clock, () => fired++, ms);
    manual.advance(10);
    expect(fired).toBe(0);
    manual.advance(ms - 11);
    expect(fired).toBe(0);
    manual.advance(1);
    expect(fired).toBe(1);
    expect(manual.pendingTimers).toBe(0);
  });

  it('a 40-day timer arms one pending step at a time (no re-fire every millisecond)', () => {
    const manual = new ManualClock();
    let fired = 0;
    schedule(clampingClock(manual), () => fired++, 40 * 86_400_000);
    for (let i = 0; i < 100; i++) manual.advance(1);
    expect(fired).toBe(0);
    expect(manual.pendingTimers).toBe(1);
  });

  it('cancel stops a chained timer; Infinity and NaN never fire', () => {
    const manual = new ManualClock();
    let fired = 0;
    const h = schedule(clampingClock(manual), () => fired++, 2 * NODE_MAX_DELAY_MS);
    manual.advance(NODE_MAX_DELAY_MS + 5);
    h.cancel();
    manual.advance(2 * NODE_MAX_DELAY_MS);
    schedule(manual, () => fired++, Infinity);
    schedule(manual, () => fired++, Number.NaN);
    manual.advance(10 * NODE_MAX_DELAY_MS);
    expect(fired).toBe(0);
  });
});
