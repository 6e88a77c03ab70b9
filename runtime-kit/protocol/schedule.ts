// One timer for any duration on a Clock, shared by the runtime (max_runtime_sec, lease expiry,
// heartbeats) and the client (request timeouts): Node's own setTimeout cannot take most of the
// durations the schema or an option allows.
import type { Clock, TimerHandle } from './clock.js';

/**
 * Node's setTimeout clamps delays above 2^31-1 ms (~24.8 days) to 1 ms, so a long timer fired at
 * once (max_runtime_sec: 3000000 timed out after 6 ms). Longer delays are chained in steps of
 * at most this size.
 */
export const MAX_TIMER_STEP_MS = 2 ** 31 - 1;

/**
 * Runs `fn` once, `ms` from now on `clock`, for any duration: chained past MAX_TIMER_STEP_MS,
 * never for NaN/Infinity (a timer that can never fall due is not armed), at once for <= 0.
 * Elapsed time is measured on the monotonic clock, so each step only waits for what is left.
 */
export function schedule(clock: Clock, fn: () => void, ms: number): TimerHandle {
  let current: TimerHandle | undefined;
  let cancelled = false;
  const handle: TimerHandle = {
    cancel: () => {
      cancelled = true;
      current?.cancel();
    },
    unref: () => handle, // every step is unref'd already
  };
  if (Number.isNaN(ms) || ms === Infinity) return handle;
  const due = clock.monotonic() + Math.max(0, ms);
  const arm = (): void => {
    const left = due - clock.monotonic();
    if (left > MAX_TIMER_STEP_MS) {
      current = clock.setTimeout(() => !cancelled && arm(), MAX_TIMER_STEP_MS).unref();
      return;
    }
    current = clock.setTimeout(() => !cancelled && fn(), Math.max(0, left)).unref();
  };
  arm();
  return handle;
}
