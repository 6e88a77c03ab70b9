import { describe, expect, it } from 'vitest';
import { sleep, systemClock } from '../clock.js';
import { ManualClock } from '../manual-clock.js';

describe('systemClock', () => {
  it('now() is epoch ms and monotonic() never goes backwards', () => {
    const before = Date.now();
    expect(systemClock.now()).toBeGreaterThanOrEqual(before);
    let last = systemClock.monotonic();
    for (let i = 0; i < 1000; i++) {
      const m = systemClock.monotonic();
      expect(m).toBeGreaterThanOrEqual(last);
      last = m;
    }
    // Anchored at start: reads like an epoch time.
    expect(Math.abs(systemClock.monotonic() - Date.now())).toBeLessThan(60_000);
  });

  it('timers fire and can be cancelled', async () => {
    const fired: string[] = [];
    const cancelled = systemClock.setTimeout(() => fired.push('cancelled'), 1);
    cancelled.cancel();
    await new Promise<void>((resolve) =>
      systemClock.setTimeout(() => {
        fired.push('kept');
        resolve();
      }, 2),
    );
    expect(fired).toEqual(['kept']);
  });
});

describe('ManualClock', () => {
  it('fires timers in due order with now() at their due time', () => {
    const clock = new ManualClock(1_000_000);
    const seen: Array<[string, number]> = [];
    clock.setTimeout(() => seen.push(['b', clock.now()]), 200);
    clock.setTimeout(() => seen.push(['a', clock.now()]), 100);
    clock.setTimeout(() => seen.push(['c', clock.now()]), 500);
    clock.advance(300);
    expect(seen).toEqual([
      ['a', 1_000_100],
      ['b', 1_000_200],
    ]);
    expect(clock.now()).toBe(1_000_300);
    expect(clock.monotonic()).toBe(300);
    expect(clock.pendingTimers).toBe(1);
  });

  it('intervals repeat until cancelled', () => {
    const clock = new ManualClock();
    let n = 0;
    const h = clock.setInterval(() => n++, 10);
    clock.advance(35);
    expect(n).toBe(3);
    h.cancel();
    clock.advance(100);
    expect(n).toBe(3);
  });

  it('advanceAsync drives sleep loops that schedule new timers', async () => {
    const clock = new ManualClock();
    const ticks: number[] = [];
    const loop = (async () => {
      for (let i = 0; i < 3; i++) {
        await sleep(clock, 1000);
        ticks.push(clock.monotonic());
      }
    })();
    await clock.advanceAsync(3000);
    await loop;
    expect(ticks).toEqual([1000, 2000, 3000]);
  });

  it('sleep rejects with the abort reason and cancels its timer', async () => {
    const clock = new ManualClock();
    const ac = new AbortController();
    const p = sleep(clock, 1000, ac.signal);
    ac.abort(new Error('stop'));
    await expect(p).rejects.toThrow('stop');
    expect(clock.pendingTimers).toBe(0);
  });
});
