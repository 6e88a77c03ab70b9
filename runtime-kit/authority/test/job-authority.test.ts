import { describe, expect, it } from 'vitest';
import { JobAuthority, type Decision } from '../job-authority.js';
import { FakeClock } from './fake-clock.js';

const T0 = Date.UTC(2026, 4, 13, 12, 0, 0);
const clock = () => new FakeClock(T0);
const codeOf = (d: Decision) => (d.allowed ? 'ALLOWED' : d.error.code);

describe('JobAuthority.check', () => {
  const auth = new JobAuthority({
    lease: {
      'fs.read': ['/workspace/**', '/etc/hostname'],
      'fs.write': ['/workspace/out/*.json'],
      'net.fetch': ['https://api.example.com/**'],
      'tool.call': ['search', 'mcp:github/*'],
      'x-vendor.acme.gpu': ['a100'],
    },
    clock: clock(),
  });

  it.each([
    ['fs.read', '/workspace/src/a.ts', 'ALLOWED'],
    ['fs.read', '/workspace', 'ALLOWED'],
    ['fs.read', '/workspace//src/./a.ts', 'ALLOWED'],
    ['fs.read', '/etc/hostname/', 'ALLOWED'],
    ['fs.read', '/workspace/../etc/passwd', 'PERMISSION_DENIED'],
    ['fs.read', '/workspace/../../etc/passwd', 'PERMISSION_DENIED'],
    ['fs.read', '/workspace/%2e%2e/etc/passwd', 'PERMISSION_DENIED'],
    ['fs.read', '/workspace%2f..%2fetc', 'PERMISSION_DENIED'],
    ['fs.write', '/workspace/out/r.json', 'ALLOWED'],
    ['fs.write', '/workspace/out/sub/r.json', 'PERMISSION_DENIED'],
    ['fs.write', '/workspace/src/a.ts', 'PERMISSION_DENIED'],
    ['net.fetch', 'HTTPS://API.EXAMPLE.COM:443/v1/x', 'ALLOWED'],
    ['net.fetch', 'https://api.example.com', 'ALLOWED'],
    ['net.fetch', 'https://api.example.com.evil.org/v1', 'PERMISSION_DENIED'],
    ['net.fetch', 'https://api.example.com@evil.org/v1', 'PERMISSION_DENIED'],
    ['net.fetch', 'https://api.example.com/a%2F..%2Fadmin', 'PERMISSION_DENIED'],
    ['net.fetch', 'http://api.example.com/v1', 'PERMISSION_DENIED'],
    ['tool.call', 'search', 'ALLOWED'],
    ['tool.call', 'Search', 'PERMISSION_DENIED'],
    ['tool.call', 'mcp:github/issues', 'ALLOWED'],
    ['tool.call', 'MCP:github/issues', 'PERMISSION_DENIED'], // a name, not a URL: no scheme lower-casing
    ['x-vendor.acme.gpu', 'a100', 'ALLOWED'],
    ['agent.delegate', 'anyone', 'PERMISSION_DENIED'],
    ['fs.exec', '/bin/sh', 'PERMISSION_DENIED'],
    ['cost.budget', 'USD:1', 'PERMISSION_DENIED'],
  ])('%s %s -> %s', (cap, target, expected) => {
    expect(codeOf(auth.check(cap, target))).toBe(expected);
  });

  it('returns the canonical target to dispatch', () => {
    expect(auth.check('net.fetch', 'HTTPS://API.example.com:443/v1/./x#f')).toEqual({ allowed: true, target: 'https://api.example.com/v1/x' });
    expect(auth.check('fs.read', '/workspace//a/')).toEqual({ allowed: true, target: '/workspace/a' });
  });

  it('never throws on hostile targets', () => {
    for (const t of [undefined, null, 42, {}, '\u0000', 'x'.repeat(100_000)]) {
      expect(codeOf(auth.check('fs.read', t as string))).toBe('PERMISSION_DENIED');
    }
  });
});

describe('JobAuthority budget', () => {
  it('refuses the next operation with BUDGET_EXHAUSTED (retryable false) once a counter is <= 0', () => {
    const auth = new JobAuthority({ lease: { 'tool.call': ['*'], 'cost.budget': ['USD:1.00', 'credits:10'] }, clock: clock() });
    expect(auth.budget()).toEqual({ USD: 1, credits: 10 });
    for (let i = 0; i < 99; i++) auth.recordCost({ name: 'cost.inference', value: 0.01, unit: 'USD' });
    expect(codeOf(auth.check('tool.call', 'search'))).toBe('ALLOWED');
    const last = auth.recordCost({ name: 'cost.inference', value: 0.01, unit: 'USD' });
    expect(last.remaining).toEqual([{ currency: 'USD', value: 0 }]);
    const d = auth.check('tool.call', 'search');
    expect(codeOf(d)).toBe('BUDGET_EXHAUSTED');
    expect(!d.allowed && d.error.retryable).toBe(false);
    expect(!d.allowed && d.error.details).toMatchObject({ currencies: ['USD'] });
    expect(codeOf(auth.checkModel('m'))).toBe('BUDGET_EXHAUSTED');
    expect(auth.budget()).toEqual({ USD: 0, credits: 10 });
  });

  it('checks budget before capability', () => {
    const auth = new JobAuthority({ lease: { 'cost.budget': ['USD:1'] }, clock: clock() });
    auth.recordCost({ name: 'cost.x', value: 2, unit: 'USD' });
    expect(codeOf(auth.check('fs.read', '/not/granted'))).toBe('BUDGET_EXHAUSTED');
  });

  it('has no budget without cost.budget, but still rejects negative costs', () => {
    const auth = new JobAuthority({ lease: {}, clock: clock() });
    expect(auth.budget()).toBeUndefined();
    expect(auth.recordCost({ name: 'cost.x', value: -1, unit: 'USD' }).error?.code).toBe('INVALID_REQUEST');
    expect(auth.recordCost({ name: 'cost.x', value: 1, unit: 'USD' })).toEqual({});
  });
});

describe('JobAuthority.checkModel (§9.7)', () => {
  it('matches model.use globs', () => {
    const auth = new JobAuthority({ lease: { 'model.use': ['tier-fast/*', 'anthropic/claude-3-haiku-*'] }, clock: clock() });
    expect(codeOf(auth.checkModel('tier-fast/small'))).toBe('ALLOWED');
    expect(codeOf(auth.checkModel('anthropic/claude-3-haiku-20240307'))).toBe('ALLOWED');
    expect(codeOf(auth.checkModel('tier-fast/small/x'))).toBe('PERMISSION_DENIED');
    expect(codeOf(auth.checkModel('anthropic/claude-3-opus-20240229'))).toBe('PERMISSION_DENIED');
    expect(codeOf(auth.check('model.use', 'tier-fast/small'))).toBe('ALLOWED');
  });

  it("forbids any model without model.use under the 'forbid' policy (the default)", () => {
    const auth = new JobAuthority({ lease: { 'tool.call': ['*'] }, clock: clock() });
    expect(codeOf(auth.checkModel('gpt-4o'))).toBe('PERMISSION_DENIED');
    const explicit = new JobAuthority({ lease: {}, clock: clock(), modelPolicy: 'forbid' });
    expect(codeOf(explicit.checkModel('gpt-4o'))).toBe('PERMISSION_DENIED');
  });

  it("allows any model without model.use under the 'allow' policy, but not one outside a given model.use", () => {
    const open = new JobAuthority({ lease: {}, clock: clock(), modelPolicy: 'allow' });
    expect(codeOf(open.checkModel('gpt-4o'))).toBe('ALLOWED');
    expect(codeOf(open.checkModel(''))).toBe('PERMISSION_DENIED');
    const restricted = new JobAuthority({ lease: { 'model.use': ['tier-fast/*'] }, clock: clock(), modelPolicy: 'allow' });
    expect(codeOf(restricted.checkModel('gpt-4o'))).toBe('PERMISSION_DENIED');
  });
});

describe('typed errors', () => {
  it('denials are the errors/ subclasses with their wire payloads', async () => {
    const { PermissionDeniedError, BudgetExhaustedError, LeaseExpiredError } = await import('../../errors/index.js');
    const c = new FakeClock(T0);
    const auth = new JobAuthority({ lease: { 'cost.budget': ['USD:1'] }, constraints: { expires_at: '2026-05-13T12:00:10Z' }, clock: c, graceMs: 0 });
    const miss = auth.check('tool.call', 'x');
    expect(!miss.allowed && miss.error).toBeInstanceOf(PermissionDeniedError);
    expect(!miss.allowed && miss.error.toPayload()).toMatchObject({ code: 'PERMISSION_DENIED', retryable: false });
    auth.recordCost({ name: 'cost.x', value: 1, unit: 'USD' });
    const broke = auth.check('tool.call', 'x');
    expect(!broke.allowed && broke.error).toBeInstanceOf(BudgetExhaustedError);
    c.advance(10_000);
    const late = auth.check('tool.call', 'x');
    expect(!late.allowed && late.error).toBeInstanceOf(LeaseExpiredError);
    expect(!late.allowed && late.error.toPayload()).toMatchObject({ code: 'LEASE_EXPIRED', retryable: false });
  });
});
