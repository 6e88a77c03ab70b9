// Time as a dependency: the runtime, heartbeat and authority code take a Clock so tests can
// drive time (lease expiry §9.5, heartbeats §6.4, max_runtime_sec) without real waiting.

export interface TimerHandle {
  cancel(): void;
  /** Do not keep the process alive for this timer (no-op on manual clocks). */
  unref(): TimerHandle;
}

export interface Clock {
  /** Wall-clock epoch milliseconds (for `expires_at`, timestamps on the wire). */
  now(): number;
  /** Monotonic milliseconds for measuring durations; never goes backwards. */
  monotonic(): number;
  setTimeout(callback: () => void, ms: number): TimerHandle;
  setInterval(callback: () => void, ms: number): TimerHandle;
}

// Anchored once so monotonic() reads like an epoch time but only ever moves forward.
const MONOTONIC_ANCHOR = Date.now() - performance.now();

function wrap(timer: NodeJS.Timeout, clear: (t: NodeJS.Timeout) => void): TimerHandle {
  const handle: TimerHandle = {
    cancel: () => clear(timer),
    unref: () => {
      timer.unref();
      return handle;
    },
  };
  return handle;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  monotonic: () => MONOTONIC_ANCHOR + performance.now(),
  setTimeout: (cb, ms) => wrap(setTimeout(cb, ms), clearTimeout),
  setInterval: (cb, ms) => wrap(setInterval(cb, ms), clearInterval),
};

/** Resolves after `ms` on `clock`; rejects with the signal's reason if aborted first. */
export function sleep(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      timer.cancel();
      reject(signal!.reason);
    };
    const timer = clock.setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
