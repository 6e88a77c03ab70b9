// Runs independent checks concurrently (each on its own sessions), a bounded number at a time,
// and hands results back in the checks' declared order, so reports and the live display read
// the same whatever finished first. A few checks must run alone: they observe state that
// concurrent checks change (a principal's job listing) or time the peer's idle behaviour.
import { compileIdPattern } from '../checks/pattern.js';
import type { CheckDef } from '../checks/types.js';

/** Concurrent checks by default: enough to overlap waits on a slow peer, few enough for 2 cores. */
export const DEFAULT_CONCURRENCY = 4;

/**
 * Ids that run alone: §6.4 heartbeats measure idle time and ping cadence; §6.6 listings page
 * through every job of the principal, which concurrent checks of the same principal change.
 */
const ALONE = ['6.4/**', '6.6/**'].map(compileIdPattern);

export function runsAlone(check: CheckDef): boolean {
  return check.feature === 'list_jobs' || check.feature === 'heartbeat' || ALONE.some((re) => re.test(check.id));
}

/**
 * Runs `run` for every item with at most `limit` in flight; an item for which `alone` holds waits
 * for the others to finish and runs by itself. `done` is called in item order.
 */
export async function runOrdered<T, R>(
  items: readonly T[],
  limit: number,
  alone: (item: T) => boolean,
  run: (item: T) => Promise<R>,
  done: (item: T, result: R) => void,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  const finished: boolean[] = new Array(items.length).fill(false);
  let flushed = 0;
  const flush = (): void => {
    while (flushed < items.length && finished[flushed]) {
      done(items[flushed], results[flushed]);
      flushed += 1;
    }
  };
  const inFlight = new Set<Promise<void>>();
  const start = (i: number): Promise<void> => {
    const p: Promise<void> = run(items[i]).then((r) => {
      results[i] = r;
      finished[i] = true;
      flush();
    });
    const tracked = p.finally(() => inFlight.delete(tracked));
    inFlight.add(tracked);
    return tracked;
  };
  const width = Math.max(1, limit);
  for (let i = 0; i < items.length; i++) {
    if (alone(items[i])) {
      await Promise.all(inFlight);
      await start(i);
      continue;
    }
    while (inFlight.size >= width) await Promise.race(inFlight);
    start(i);
  }
  await Promise.all(inFlight);
  return results;
}
