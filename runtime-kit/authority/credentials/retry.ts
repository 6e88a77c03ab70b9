// Bounded retries with exponential backoff for upstream calls (§9.8.2 "SHOULD retry on
// transient failure"). The sleep is injectable so tests never wait on real time.

export interface RetryOptions {
  /** Total attempts, first included (default 4). */
  attempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function withRetries<T>(fn: () => Promise<T>, opts: RetryOptions = {}): Promise<T> {
  const attempts = Math.max(1, opts.attempts ?? 4);
  const base = opts.baseDelayMs ?? 100;
  const max = opts.maxDelayMs ?? 2000;
  const sleep = opts.sleep ?? realSleep;
  let lastError: unknown;
  for (let i = 0; i < attempts; i++) {
    try {
      return await fn();
    } catch (err) {
      lastError = err;
      if (i + 1 < attempts) await sleep(Math.min(max, base * 2 ** i));
    }
  }
  throw lastError;
}
