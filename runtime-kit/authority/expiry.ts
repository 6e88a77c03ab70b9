// §9.5 / §14 lease expiry against a monotonic clock.
//
// At construction the wall-clock distance to `expires_at` is captured once and turned into a
// monotonic deadline; later checks read only `clock.monotonic()`, so NTP steps or a manual
// wall-clock change during the job neither revive nor prematurely kill the lease.
//
// Which side the grace falls on: AFTER expires_at. An operation is refused when
//     monotonic now >= deadline + graceMs.
// §14 asks for grace because clock skew "can produce premature ... expiration": a grace that
// ended *before* expires_at would make premature expiry worse, not better. It stays bounded
// (0..1000 ms, catalog §10 #33 "<= 1 s"), and the hard line is kept elsewhere: provisioned
// credentials carry the exact expires_at as their TTL (§9.8.3), without grace. Use
// graceMs: 0 for the literal "at or after expires_at" reading of §9.5.

import type { AuthorityClock } from './deps.js';

export const MAX_GRACE_MS = 1000;

export class ExpiryClock {
  /** Wall-clock epoch ms of expires_at (as given; without grace). */
  readonly expiresAtMs: number;
  private readonly deadline: number; // monotonic ms at which the check starts failing

  constructor(expiresAtMs: number, private readonly clock: AuthorityClock, graceMs: number) {
    if (!Number.isFinite(graceMs) || graceMs < 0 || graceMs > MAX_GRACE_MS) {
      throw new RangeError(`graceMs must be within 0..${MAX_GRACE_MS}, got ${graceMs}`);
    }
    this.expiresAtMs = expiresAtMs;
    this.deadline = clock.monotonic() + (expiresAtMs - clock.now()) + graceMs;
  }

  isExpired(): boolean {
    return this.clock.monotonic() >= this.deadline;
  }

  /** Milliseconds until checks start failing (0 when they already do); for proactive ends. */
  msUntilExpiry(): number {
    return Math.max(0, this.deadline - this.clock.monotonic());
  }
}
