import { describe, expect, it } from 'vitest';
import { authorityHooks } from '../runtime-hooks.js';
import { FakeClock } from './fake-clock.js';

const T0 = Date.UTC(2026, 4, 13, 12, 0, 0);

describe('authorityHooks (runtime hook adapter)', () => {
  it('validates, narrows and builds a JobAuthority', () => {
    const hooks = authorityHooks({
      clock: new FakeClock(T0),
      narrow: (requested) => ({ ...requested, 'tool.call': ['search'] }),
    });
    const { lease, constraints } = hooks.validateLease({ 'tool.call': ['search', 'fetch'] }, { expires_at: '2026-05-13T13:00:00Z' }, T0);
    expect(constraints).toEqual({ expires_at: '2026-05-13T13:00:00Z' });
    const effective = hooks.leasePolicy(lease, {});
    expect(effective).toEqual({ 'tool.call': ['search'] });
    const auth = hooks.createAuthority({ lease: effective, constraints });
    expect(auth.check('tool.call', 'search').allowed).toBe(true);
    expect(auth.check('tool.call', 'fetch').allowed).toBe(false);
    expect(auth.expiresAtMs).toBe(T0 + 3_600_000);
  });

  it('rejects bad submits with INVALID_REQUEST and a widening policy with INTERNAL_ERROR', () => {
    const hooks = authorityHooks({ clock: new FakeClock(T0), narrow: () => ({ 'tool.call': ['*'] }) });
    expect(() => hooks.validateLease({ 'fs.exec': ['/'] }, undefined, T0)).toThrow(expect.objectContaining({ code: 'INVALID_REQUEST' }));
    expect(() => hooks.validateLease({}, { expires_at: '2026-05-13T11:00:00Z' }, T0)).toThrow(expect.objectContaining({ code: 'INVALID_REQUEST' }));
    expect(hooks.validateLease(undefined, undefined, T0)).toEqual({ lease: {} });
    expect(() => hooks.leasePolicy({ 'tool.call': ['search'] }, {})).toThrow(expect.objectContaining({ code: 'INTERNAL_ERROR' }));
  });
});
