// Time for the runtime: protocol/'s Clock (tests inject ManualClock). Every timer the runtime
// arms is unref'd so a runtime never keeps a process alive by itself (its servers do that).
import type { Clock, TimerHandle } from '../protocol/index.js';

export type { Clock, TimerHandle };
export { MAX_TIMER_STEP_MS, schedule } from '../protocol/schedule.js';

// Streams stamp many events within one millisecond: remember the last formatted value.
let lastMs = Number.NaN;
let lastIso = '';

/** ISO-8601 UTC with milliseconds and `Z` (catalog §6.20). */
export function isoTime(ms: number): string {
  if (ms !== lastMs) {
    lastIso = new Date(ms).toISOString();
    lastMs = ms;
  }
  return lastIso;
}
