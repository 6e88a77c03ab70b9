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

describe('CompiledLease work cap', () => {
  it('refuses (fails closed) a check whose NFA work would exceed the cap, but not an ordinary one', async () => {
    const { MAX_MATCH_WORK } = await import('../compiled-lease.js');
    const hostile = Array.from({ length: 128 }, (_, i) => `${'*a'.repeat(200)}*b${i}`); // ~13 words of states each
    const lease = new CompiledLease({ 'tool.call': hostile });
    const target = `${'a'.repeat(4000)}b127`; // matched by the last pattern only
    const work = 128 * 4004 * 13;
    expect(work).toBeGreaterThan(MAX_MATCH_WORK);
    expect(lease.covers('tool.call', target)).toBe(false);
    expect(refMatch(hostile[127], target)).toBe(true); // it would have matched
    expect(new CompiledLease({ 'tool.call': hostile.slice(127) }).covers('tool.call', target)).toBe(true);
  });
});
