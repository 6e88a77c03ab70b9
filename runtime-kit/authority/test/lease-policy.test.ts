import { describe, expect, it } from 'vitest';
import { applyLeasePolicy, type LeasePolicy } from '../lease-policy.js';

const requested = {
  'fs.read': ['/workspace/**'],
  'tool.call': ['search', 'fetch'],
  'cost.budget': ['USD:5'],
};
const ctx = { agent: 'a', lease: requested, constraints: { expires_at: '2026-05-13T13:00:00Z' } };

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (err) {
    return (err as { code?: string }).code;
  }
}

describe('lease policy hook: narrow, never widen', () => {
  it('keeps the request when there is no policy or it returns nothing', () => {
    expect(applyLeasePolicy(undefined, ctx).lease).toBe(requested);
    expect(applyLeasePolicy(() => undefined, ctx).constraints).toEqual(ctx.constraints);
  });

  it('accepts a narrowed lease and an earlier expiry', () => {
    const policy: LeasePolicy = () => ({
      lease: { 'fs.read': ['/workspace/public/**'], 'tool.call': ['search'], 'cost.budget': ['USD:1'] },
      constraints: { expires_at: '2026-05-13T12:30:00Z' },
    });
    expect(applyLeasePolicy(policy, ctx)).toEqual({
      lease: { 'fs.read': ['/workspace/public/**'], 'tool.call': ['search'], 'cost.budget': ['USD:1'] },
      constraints: { expires_at: '2026-05-13T12:30:00Z' },
    });
  });

  it.each([
    ['a wider pattern', { ...requested, 'fs.read': ['/**'] }],
    ['a new capability', { ...requested, 'net.fetch': ['https://x/**'] }],
    ['a bigger budget', { ...requested, 'cost.budget': ['USD:6'] }],
    ['a dropped budget (unbounded)', { 'fs.read': ['/workspace/**'] }],
    ['an emptied budget (unbounded)', { ...requested, 'cost.budget': [] }],
    ['an invalid lease', { 'fs.exec': ['/x'] }],
  ])('throws INTERNAL_ERROR for %s', (_why, lease) => {
    expect(codeOf(() => applyLeasePolicy(() => ({ lease }), ctx))).toBe('INTERNAL_ERROR');
  });

  it('throws INTERNAL_ERROR for a later or dropped expiry', () => {
    expect(codeOf(() => applyLeasePolicy(() => ({ constraints: { expires_at: '2026-05-13T13:00:01Z' } }), ctx))).toBe('INTERNAL_ERROR');
    expect(codeOf(() => applyLeasePolicy(() => ({ constraints: {} }), ctx))).toBe('INTERNAL_ERROR');
  });

  it("adding model.use narrows under 'allow' but widens under 'forbid'", () => {
    const policy: LeasePolicy = () => ({ lease: { ...requested, 'model.use': ['tier-fast/*'] } });
    expect(applyLeasePolicy(policy, ctx, 'allow').lease['model.use']).toEqual(['tier-fast/*']);
    expect(codeOf(() => applyLeasePolicy(policy, ctx, 'forbid'))).toBe('INTERNAL_ERROR');
  });
});
