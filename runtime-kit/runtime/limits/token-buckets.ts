// Token buckets keyed by source address, for rate limits that must hold against a flood: the
// map is bounded (oldest keys dropped first, Map iteration order), so a flood of distinct
// sources cannot grow memory either, and a full bucket is forgotten (it is the default state).
export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly burst: number,
    private readonly refillPerSec: number,
    private readonly maxKeys = 10_000,
  ) {}

  /** Takes one token; false when the bucket is empty (rate limited). */
  take(key: string, nowMs: number): boolean {
    const b = this.refilled(key, nowMs);
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    this.buckets.delete(key);
    this.buckets.set(key, b); // most recently used last
    while (this.buckets.size > this.maxKeys) this.buckets.delete(this.buckets.keys().next().value as string);
    return true;
  }

  /** True when at least one token is left (does not take it). */
  allows(key: string, nowMs: number): boolean {
    return this.refilled(key, nowMs).tokens >= 1;
  }

  /** Milliseconds until the next token. */
  retryAfterMs(key: string, nowMs: number): number {
    const b = this.refilled(key, nowMs);
    return b.tokens >= 1 ? 0 : Math.ceil(((1 - b.tokens) / this.refillPerSec) * 1000);
  }

  get size(): number {
    return this.buckets.size;
  }

  private refilled(key: string, nowMs: number): { tokens: number; at: number } {
    const b = this.buckets.get(key);
    if (!b) return { tokens: this.burst, at: nowMs };
    const tokens = Math.min(this.burst, b.tokens + ((nowMs - b.at) / 1000) * this.refillPerSec);
    if (tokens >= this.burst) {
      this.buckets.delete(key);
      return { tokens, at: nowMs };
    }
    return { tokens, at: nowMs };
  }
}
