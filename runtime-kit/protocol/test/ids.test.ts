import { describe, expect, it } from 'vitest';
import {
  ID_PATTERNS,
  isTraceId,
  newJobId,
  newMessageId,
  newNonce,
  newResultId,
  newResumeToken,
  newSessionId,
  newTraceId,
} from '../ids.js';
import { validateEnvelope } from '../../../generated/validators.js';

describe('ids', () => {
  it('mint prefixed ULIDs in the catalog §6.20 formats', () => {
    expect(newMessageId()).toMatch(/^msg_[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(newSessionId()).toMatch(/^sess_[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(newJobId()).toMatch(/^job_[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(newResultId()).toMatch(/^res_[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(newNonce()).toMatch(ID_PATTERNS.message);
  });

  it('message ids are unique and sort in creation order', () => {
    const ids = Array.from({ length: 10_000 }, newMessageId);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  });

  it('message ids match the strict MessageId schema every peer accepts (Python: bare ULID, UUIDv7 or <lowercase>_<ULID>)', () => {
    for (let i = 0; i < 100; i++) expect(validateEnvelope('strict', { arcp: '1.1', id: newMessageId(), type: 'session.ping', payload: {} }).ok).toBe(true);
    expect(validateEnvelope('strict', { arcp: '1.1', id: 'msg_not-a-ulid', type: 'session.ping', payload: {} }).ok).toBe(false);
  });

  it('the random part is fresh randomness across milliseconds (pooled CSPRNG bytes, not a constant)', async () => {
    // Within one millisecond the monotonic factory increments; across milliseconds it redraws.
    const randomParts = new Set<string>();
    for (let i = 0; i < 20; i++) {
      randomParts.add(newMessageId().slice(4 + 10, 4 + 10 + 10)); // high half of the 80-bit random part
      await new Promise((r) => setTimeout(r, 2));
    }
    expect(randomParts.size).toBeGreaterThan(15);
    // Every one of the 32 Crockford characters shows up in the random parts of fresh draws.
    const chars = new Set<string>();
    for (let i = 0; i < 200 && chars.size < 32; i++) {
      for (const c of newSessionId().slice(5 + 10)) chars.add(c);
      await new Promise((r) => setTimeout(r, 1));
    }
    expect(chars.size).toBe(32);
  });

  it('resume tokens are rt_ + 64 lower-case hex (256 bits) and unique', () => {
    const tokens = Array.from({ length: 1000 }, newResumeToken);
    for (const t of tokens) expect(t).toMatch(/^rt_[0-9a-f]{64}$/);
    expect(new Set(tokens).size).toBe(tokens.length);
    // 256 random bits: every hex digit should appear across 1000 tokens, at roughly even rates.
    const counts = new Map<string, number>();
    for (const t of tokens) for (const c of t.slice(3)) counts.set(c, (counts.get(c) ?? 0) + 1);
    expect(counts.size).toBe(16);
    for (const n of counts.values()) expect(n).toBeGreaterThan(3000);
  });

  it('trace ids are 32 lower-case hex, non-zero, unique', () => {
    const ids = Array.from({ length: 1000 }, newTraceId);
    for (const id of ids) expect(isTraceId(id)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('isTraceId rejects the zero id, upper case, wrong length and a full traceparent', () => {
    expect(isTraceId('0'.repeat(32))).toBe(false);
    expect(isTraceId('A'.repeat(32))).toBe(false);
    expect(isTraceId('a'.repeat(31))).toBe(false);
    expect(isTraceId('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01')).toBe(false);
    expect(isTraceId(42)).toBe(false);
    expect(isTraceId('4bf92f3577b34da6a3ce929d0e0e4736')).toBe(true);
  });
});
