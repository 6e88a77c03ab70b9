import { describe, expect, it } from 'vitest';
import { ExpiryClock } from '../expiry.js';
import { JobAuthority } from '../job-authority.js';
import { FakeClock } from './fake-clock.js';

const T0 = Date.UTC(2026, 4, 13, 12, 0, 0);
const AT = '2026-05-13T12:01:00Z'; // T0 + 60 s

describe('expiry on a monotonic clock', () => {
  it('is allowed before expires_at, refused at expires_at + grace and after (grace 0)', () => {
    const clock = new FakeClock(T0);
    const e = new ExpiryClock(T0 + 60_000, clock, 0);
    clock.advance(59_999);
    expect(e.isExpired()).toBe(false);
    expect(e.msUntilExpiry()).toBe(1);
    clock.advance(1);
    expect(e.isExpired()).toBe(true); // "at or after" (§9.5)
    expect(e.msUntilExpiry()).toBe(0);
  });

  it('places the grace after expires_at', () => {
    const clock = new FakeClock(T0);
    const e = new ExpiryClock(T0 + 60_000, clock, 1000);
    clock.advance(60_000);
    expect(e.isExpired()).toBe(false);
    expect(e.msUntilExpiry()).toBe(1000);
    clock.advance(999);
    expect(e.isExpired()).toBe(false);
    clock.advance(1);
    expect(e.isExpired()).toBe(true);
  });

  it('ignores wall-clock jumps after construction (swift-sdk #80)', () => {
    const clock = new FakeClock(T0);
    const e = new ExpiryClock(T0 + 60_000, clock, 0);
    clock.wall -= 3_600_000; // wall clock steps back an hour
    clock.mono += 60_000;
    expect(e.isExpired()).toBe(true);
    const clock2 = new FakeClock(T0);
    const e2 = new ExpiryClock(T0 + 60_000, clock2, 0);
    clock2.wall += 3_600_000; // wall clock jumps ahead an hour
    expect(e2.isExpired()).toBe(false);
  });

  it('keeps the grace bounded', () => {
    const clock = new FakeClock(T0);
    expect(() => new ExpiryClock(T0 + 1, clock, 1001)).toThrow(RangeError);
    expect(() => new ExpiryClock(T0 + 1, clock, -1)).toThrow(RangeError);
  });
});

describe('JobAuthority expiry', () => {
  const lease = { 'tool.call': ['search'] };

  it('refuses every operation with LEASE_EXPIRED (retryable false) once expired, default 1 s grace', () => {
    const clock = new FakeClock(T0);
    const auth = new JobAuthority({ lease, constraints: { expires_at: AT }, clock });
    expect(auth.expiresAtMs).toBe(T0 + 60_000);
    expect(auth.check('tool.call', 'search').allowed).toBe(true);
    clock.advance(60_000);
    expect(auth.check('tool.call', 'search').allowed).toBe(true); // within grace
    expect(auth.msUntilExpiry()).toBe(1000);
    clock.advance(1000);
    const d = auth.check('tool.call', 'search');
    expect(d.allowed).toBe(false);
    if (!d.allowed) {
      expect(d.error.code).toBe('LEASE_EXPIRED');
      expect(d.error.retryable).toBe(false);
    }
    expect(auth.checkModel('m').allowed).toBe(false);
    expect(auth.isExpired()).toBe(true);
  });

  it('checks expiry before budget and capability', () => {
    const clock = new FakeClock(T0);
    const auth = new JobAuthority({ lease: { 'cost.budget': ['USD:1'] }, constraints: { expires_at: AT }, clock, graceMs: 0 });
    auth.recordCost({ name: 'cost.x', value: 1, unit: 'USD' });
    clock.advance(60_000);
    const d = auth.check('fs.read', '/not/granted');
    expect(!d.allowed && d.error.code).toBe('LEASE_EXPIRED');
  });

  it('fails closed on an unreadable expires_at (TS SDK #122)', () => {
    const auth = new JobAuthority({ lease, constraints: { expires_at: 'soon' }, clock: new FakeClock(T0) });
    const d = auth.check('tool.call', 'search');
    expect(!d.allowed && d.error.code).toBe('LEASE_EXPIRED');
    expect(auth.msUntilExpiry()).toBe(0);
  });

  it('has no expiry without expires_at', () => {
    const clock = new FakeClock(T0);
    const auth = new JobAuthority({ lease, clock });
    clock.advance(10 * 365 * 86_400_000);
    expect(auth.check('tool.call', 'search').allowed).toBe(true);
    expect(auth.msUntilExpiry()).toBeUndefined();
    expect(auth.expiresAtMs).toBeUndefined();
  });
});
