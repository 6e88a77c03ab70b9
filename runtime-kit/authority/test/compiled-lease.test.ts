import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CompiledLease } from '../compiled-lease.js';
import { refMatch } from './reference-glob.js';

describe('CompiledLease (literal set + prefix-directory buckets)', () => {
  it('covers a target exactly when some pattern matches it (reference matcher)', () => {
    const patternArb = fc.array(fc.constantFrom('a', 'b', '/', '*', '**', 'ab/'), { minLength: 1, maxLength: 7 }).map((p) => p.join(''));
    const targetArb = fc.array(fc.constantFrom('a', 'b', '/', 'ab/'), { maxLength: 8 }).map((p) => p.join(''));
    fc.assert(
      fc.property(fc.array(patternArb, { minLength: 1, maxLength: 8 }), targetArb, (patterns, target) => {
        const lease = new CompiledLease({ 'fs.read': patterns });
        return lease.covers('fs.read', target) === patterns.some((p) => refMatch(p, target));
      }),
      { numRuns: 3000 },
    );
  });

  it('keeps capabilities apart and ignores cost.budget amounts', () => {
    const lease = new CompiledLease({ 'fs.read': ['/a/**'], 'cost.budget': ['USD:1'] });
    expect(lease.covers('fs.read', '/a/x')).toBe(true);
    expect(lease.covers('fs.write', '/a/x')).toBe(false);
    expect(lease.has('cost.budget')).toBe(false);
    expect(lease.covers('cost.budget', 'USD:1')).toBe(false);
  });
});
