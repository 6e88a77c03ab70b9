import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { JobAuthority, type DelegationDecision } from '../job-authority.js';
import { FakeClock } from './fake-clock.js';

const T0 = Date.UTC(2026, 4, 13, 12, 0, 0);
const PARENT_AT = '2026-05-13T13:00:00Z';

function parent(extra: Partial<ConstructorParameters<typeof JobAuthority>[0]> = {}) {
  const clock = new FakeClock(T0);
  return new JobAuthority({
    lease: {
      'agent.delegate': ['researcher', 'workers/*'],
      'fs.read': ['/workspace/**'],
      'tool.call': ['search', 'fetch.*'],
      'model.use': ['tier-fast/*'],
      'cost.budget': ['USD:5.00', 'credits:100'],
    },
    constraints: { expires_at: PARENT_AT },
    clock,
    ...extra,
  });
}

const codeOf = (d: DelegationDecision) => (d.ok ? 'OK' : d.error.code);

describe('delegation subset rules (§9.4, §10)', () => {
  it('accepts a strict subset and returns the effective child lease', () => {
    const d = parent().checkDelegation({
      agent: 'researcher',
      lease_request: { 'fs.read': ['/workspace/docs/**'], 'tool.call': ['fetch.page'], 'cost.budget': ['USD:2'] },
    });
    expect(d.ok).toBe(true);
    if (d.ok) {
      // credits not named: the child gets the parent's remainder (an unnamed currency would be unbounded)
      expect(d.lease).toEqual({ 'fs.read': ['/workspace/docs/**'], 'tool.call': ['fetch.page'], 'cost.budget': ['USD:2', 'credits:100'] });
      expect(d.constraints).toEqual({ expires_at: PARENT_AT }); // inherited
    }
  });

  it.each([
    ['a capability the parent lacks', { 'net.fetch': ['https://x.example/**'] }],
    ['a wider path', { 'fs.read': ['/**'] }],
    ['a sibling path', { 'fs.read': ['/workspacex/**'] }],
    ['wildcard widening of a literal (Go #147)', { 'tool.call': ['*'] }],
    ['a model outside model.use', { 'model.use': ['tier-slow/*'] }],
    ['a wider model glob', { 'model.use': ['**'] }],
    ['a currency the parent lacks', { 'cost.budget': ['EUR:1'] }],
    ['more than the parent budget', { 'cost.budget': ['USD:5.01'] }],
    ['duplicates that add up to more', { 'cost.budget': ['USD:3', 'USD:3'] }],
  ])('refuses %s with LEASE_SUBSET_VIOLATION', (_why, lease_request) => {
    const d = parent().checkDelegation({ agent: 'researcher', lease_request });
    expect(codeOf(d)).toBe('LEASE_SUBSET_VIOLATION');
    expect(!d.ok && d.error.retryable).toBe(false);
  });

  it("compares the child budget with the parent's REMAINING budget", () => {
    const p = parent({ delegatedBudget: 'check-only' });
    p.recordCost({ name: 'cost.inference', value: 3, unit: 'USD' });
    expect(codeOf(p.checkDelegation({ agent: 'researcher', lease_request: { 'cost.budget': ['USD:2.01'] } }))).toBe('LEASE_SUBSET_VIOLATION');
    expect(codeOf(p.checkDelegation({ agent: 'researcher', lease_request: { 'cost.budget': ['USD:2.00'] } }))).toBe('OK');
  });

  it('reserves the child budget from the parent by default, and settles the unspent part', () => {
    const p = parent();
    const d = p.checkDelegation({ agent: 'researcher', lease_request: { 'cost.budget': ['USD:2', 'credits:10'] } });
    expect(d.ok && d.reservation?.amounts).toEqual({ USD: '2', credits: '10' });
    expect(p.budget()).toEqual({ USD: 3, credits: 90 });
    // the same money cannot be handed out twice
    expect(codeOf(p.checkDelegation({ agent: 'researcher', lease_request: { 'cost.budget': ['USD:3.5', 'credits:1'] } }))).toBe('LEASE_SUBSET_VIOLATION');
    if (d.ok) {
      p.settleDelegation(d.reservation!, { USD: 0.5, credits: 10 });
      p.settleDelegation(d.reservation!, { USD: 0.5, credits: 10 }); // once only
    }
    expect(p.budget()).toEqual({ USD: 3.5, credits: 100 });
  });

  it('an inherited remainder is reserved too: the parent keeps nothing of that currency until settlement', () => {
    const p = parent();
    const d = p.checkDelegation({ agent: 'researcher', lease_request: { 'cost.budget': ['USD:2'] } });
    expect(d.ok && d.reservation?.amounts).toEqual({ USD: '2', credits: '100' });
    expect(p.check('tool.call', 'search')).toMatchObject({ allowed: false, error: { code: 'BUDGET_EXHAUSTED' } });
    if (d.ok) p.settleDelegation(d.reservation!, { USD: 2, credits: 40 });
    expect(p.budget()).toEqual({ USD: 5, credits: 40 });
    expect(p.check('tool.call', 'search').allowed).toBe(true);
  });

  it('inherits the remaining budget when the child names none (absence would be unbounded)', () => {
    const p = parent({ delegatedBudget: 'check-only' });
    p.recordCost({ name: 'cost.inference', value: 1.25, unit: 'USD' });
    const d = p.checkDelegation({ agent: 'researcher', lease_request: { 'tool.call': ['search'] } });
    expect(d.ok && d.lease['cost.budget']).toEqual(['USD:3.75', 'credits:100']);
  });

  it('inherits the remainder of every parent currency the child does not name (also for [])', () => {
    const p = parent({ delegatedBudget: 'check-only' });
    const some = p.checkDelegation({ agent: 'researcher', lease_request: { 'cost.budget': ['USD:1'] } });
    expect(some.ok && some.lease['cost.budget']).toEqual(['USD:1', 'credits:100']);
    const empty = p.checkDelegation({ agent: 'researcher', lease_request: { 'cost.budget': [] } });
    expect(empty.ok && empty.lease['cost.budget']).toEqual(['USD:5', 'credits:100']);
  });

  it('expiry: earlier allowed, later refused, absent inherited', () => {
    const p = parent();
    const earlier = p.checkDelegation({ agent: 'researcher', lease_constraints: { expires_at: '2026-05-13T12:30:00Z' } });
    expect(earlier.ok && earlier.constraints).toEqual({ expires_at: '2026-05-13T12:30:00Z' });
    expect(codeOf(parent().checkDelegation({ agent: 'researcher', lease_constraints: { expires_at: '2026-05-13T13:00:00.001Z' } }))).toBe(
      'LEASE_SUBSET_VIOLATION',
    );
    expect(codeOf(parent().checkDelegation({ agent: 'researcher', lease_constraints: { expires_at: '2026-05-13T11:00:00Z' } }))).toBe(
      'INVALID_REQUEST',
    ); // in the past
    expect(codeOf(parent().checkDelegation({ agent: 'researcher', lease_constraints: { expires_at: 'tomorrow' } }))).toBe('INVALID_REQUEST');
  });

  it('a parent without expiry lets the child choose one', () => {
    const p = new JobAuthority({ lease: { 'agent.delegate': ['*'] }, clock: new FakeClock(T0) });
    const d = p.checkDelegation({ agent: 'a', lease_constraints: { expires_at: '2030-01-01T00:00:00Z' } });
    expect(d.ok && d.constraints).toEqual({ expires_at: '2030-01-01T00:00:00Z' });
    const none = p.checkDelegation({ agent: 'a' });
    expect(none.ok && none.constraints).toBeUndefined();
  });

  it('agent.delegate must cover the child agent: PERMISSION_DENIED otherwise', () => {
    expect(codeOf(parent().checkDelegation({ agent: 'workers/w1' }))).toBe('OK');
    expect(codeOf(parent().checkDelegation({ agent: 'workers/w1/x' }))).toBe('PERMISSION_DENIED');
    expect(codeOf(parent().checkDelegation({ agent: 'intruder' }))).toBe('PERMISSION_DENIED');
    const noDelegate = new JobAuthority({ lease: { 'tool.call': ['*'] }, clock: new FakeClock(T0) });
    expect(codeOf(noDelegate.checkDelegation({ agent: 'researcher' }))).toBe('PERMISSION_DENIED');
  });

  it("an expired or exhausted parent cannot delegate", () => {
    const p = parent();
    p.recordCost({ name: 'cost.x', value: 100, unit: 'credits' });
    expect(codeOf(p.checkDelegation({ agent: 'researcher' }))).toBe('BUDGET_EXHAUSTED');
    const clock = new FakeClock(T0);
    const q = new JobAuthority({ lease: { 'agent.delegate': ['*'] }, constraints: { expires_at: PARENT_AT }, clock });
    clock.advance(3_600_000 + 1000);
    expect(codeOf(q.checkDelegation({ agent: 'researcher' }))).toBe('LEASE_EXPIRED');
  });

  it('rejects a malformed child lease with INVALID_REQUEST', () => {
    expect(codeOf(parent().checkDelegation({ agent: 'researcher', lease_request: { 'fs.exec': ['/x'] } }))).toBe('INVALID_REQUEST');
    expect(codeOf(parent().checkDelegation({ agent: 'researcher', lease_request: 'all' as never }))).toBe('INVALID_REQUEST');
  });

  it("model.use under the 'allow' policy: absent in the parent means any; absent in the child inherits", () => {
    const open = new JobAuthority({ lease: { 'agent.delegate': ['*'] }, clock: new FakeClock(T0), modelPolicy: 'allow' });
    expect(codeOf(open.checkDelegation({ agent: 'a', lease_request: { 'model.use': ['gpt-4o'] } }))).toBe('OK');
    const forbid = new JobAuthority({ lease: { 'agent.delegate': ['*'] }, clock: new FakeClock(T0), modelPolicy: 'forbid' });
    expect(codeOf(forbid.checkDelegation({ agent: 'a', lease_request: { 'model.use': ['gpt-4o'] } }))).toBe('LEASE_SUBSET_VIOLATION');
    const restricted = parent({ modelPolicy: 'allow' });
    const d = restricted.checkDelegation({ agent: 'researcher', lease_request: { 'tool.call': ['search'] } });
    expect(d.ok && d.lease['model.use']).toEqual(['tier-fast/*']);
    const strict = parent({ modelPolicy: 'forbid' }).checkDelegation({ agent: 'researcher', lease_request: { 'tool.call': ['search'] } });
    expect(strict.ok && strict.lease['model.use']).toBeUndefined(); // forbid: absence already means none
  });
});

describe('delegated budget property', () => {
  it('a child budget is accepted exactly when it is <= the remaining budget (integer-cent oracle)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000 }), fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 0, max: 10_000 }), (budget, spent, child) => {
        fc.pre(spent < budget); // an exhausted parent is refused earlier (BUDGET_EXHAUSTED)
        const p = new JobAuthority({ lease: { 'agent.delegate': ['*'], 'cost.budget': [`USD:${(budget / 100).toFixed(2)}`] }, clock: new FakeClock(T0) });
        p.recordCost({ name: 'cost.x', value: spent / 100, unit: 'USD' });
        const d = p.checkDelegation({ agent: 'c', lease_request: { 'cost.budget': [`USD:${(child / 100).toFixed(2)}`] } });
        return d.ok === child <= budget - spent && (d.ok || d.error.code === 'LEASE_SUBSET_VIOLATION');
      }),
      { numRuns: 500 },
    );
  });
});
