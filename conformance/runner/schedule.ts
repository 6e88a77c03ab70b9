// Runs independent checks concurrently (each on its own sessions), a bounded number at a time,
// and hands results back in the checks' declared order, so reports and the live display read
// the same whatever finished first. A few checks must run alone: they observe state that
// concurrent checks change (a principal's job listing) or time the peer's idle behaviour. One
// runs after everything else: it fills principal A's session cap, which would refuse the hello of
// any check running beside it.
import { compileIdPattern } from '../checks/pattern.js';
import type { CheckDef } from '../checks/types.js';

/** Concurrent checks by default: enough to overlap waits on a slow peer, few enough for 2 cores. */
export const DEFAULT_CONCURRENCY = 4;

/**
 * Ids that run alone: §6.4 heartbeats measure idle time and ping cadence; §6.6 listings page
 * through every job of the principal, which concurrent checks of the same principal change; the
 * schema-generated fuzzers and the 2 MiB frame keep the harness's CPU busy for long stretches, and
 * a stalled harness reacts late to a peer's running jobs (a subscribe that arrives after the end).
 */
const ALONE = ['6.4/**', '6.6/**', '5/robustness/mutated-messages', '5/robustness/oversized-frame'].map(compileIdPattern);

/**
 * Ids started first: they mostly wait on the peer's own timers (a cancel grace, a resume window,
 * max_runtime_sec), so starting them early hides their wait behind the rest of the run.
 */
const FIRST = ['7.4/cancel/terminal-is-cancelled', '6.3/resume/window-expired', '7.1/max-runtime/timeout'].map(compileIdPattern);

/** Ids that run last, by themselves, after every other check (and every `first` one) has ended. */
const LAST = ['14/sessions/per-principal-cap'].map(compileIdPattern);

export function runsLast(check: CheckDef): boolean {
  return LAST.some((re) => re.test(check.id));
}

export function runsAlone(check: CheckDef): boolean {
  return check.feature === 'list_jobs' || check.feature === 'heartbeat' || ALONE.some((re) => re.test(check.id));
}

export function startsFirst(check: CheckDef): boolean {
  return FIRST.some((re) => re.test(check.id));
}

/**
 * Runs `run` for every item and calls `done` in item order, whatever order they finished in.
 * `first` items start at once (they mostly sleep on the peer's timers and take no slot); then the
 * `alone` items run one by one; then the rest, at most `limit` at a time; once all of those have
 * ended, the `last` items one by one.
 */
export async function runOrdered<T, R>(
  items: readonly T[],
  limit: number,
  policy: { alone: (item: T) => boolean; first?: (item: T) => boolean; last?: (item: T) => boolean },
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
  /** In flight and holding a slot (everything but `first` items). */
  const busy = new Set<Promise<void>>();
  const start = (i: number, slot: boolean): Promise<void> => {
    const p: Promise<void> = run(items[i]).then((r) => {
      results[i] = r;
      finished[i] = true;
      flush();
    });
    const tracked = p.finally(() => {
      inFlight.delete(tracked);
      busy.delete(tracked);
    });
    inFlight.add(tracked);
    if (slot) busy.add(tracked);
    return tracked;
  };
  const indices = items.map((_, i) => i);
  const last = (i: number): boolean => policy.last?.(items[i]) ?? false;
  const alone = (i: number): boolean => !last(i) && policy.alone(items[i]);
  const width = Math.max(1, limit);
  // limit 1 means one at a time, `first` items included
  const early = (i: number): boolean => width > 1 && !alone(i) && !last(i) && (policy.first?.(items[i]) ?? false);
  for (const i of indices.filter(early)) void start(i, false);
  for (const i of indices.filter(alone)) await start(i, true);
  for (const i of indices.filter((j) => !alone(j) && !early(j) && !last(j))) {
    while (busy.size >= width) await Promise.race(busy);
    void start(i, true);
  }
  await Promise.all(inFlight);
  for (const i of indices.filter(last)) await start(i, true);
  return results;
}
