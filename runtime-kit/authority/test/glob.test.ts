import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compileGlob, compileGlobUncached, matchGlob } from '../glob.js';
import { refMatch } from './reference-glob.js';

// Catalog §10 #30 positions, one row each: [pattern, target, expected].
const TABLE: [string, string, boolean][] = [
  // `*` is one segment, possibly empty, never crosses '/'
  ['/a/*', '/a/b', true],
  ['/a/*', '/a/', true],
  ['/a/*', '/a/b/c', false],
  ['/a/*.txt', '/a/x.txt', true],
  ['/a/*.txt', '/a/x/y.txt', false],
  ['tier-fast/*', 'tier-fast/m1', true],
  ['tier-fast/*', 'tier-fast/m1/x', false],
  ['anthropic/claude-3-haiku-*', 'anthropic/claude-3-haiku-2024', true],
  // `**` between slashes: zero or more whole segments
  ['/a/**/b', '/a/b', true],
  ['/a/**/b', '/a/x/b', true],
  ['/a/**/b', '/a/x/y/b', true],
  ['/a/**/b', '/a/xb', false],
  ['/a/**/**/b', '/a/b', true],
  // trailing `/**` also matches the directory itself
  ['/a/**', '/a', true],
  ['/a/**', '/a/b/c', true],
  ['/a/**', '/ab', false],
  ['/a/**', '/', false],
  ['/**', '/', true],
  ['/**', '/anything/at/all', true],
  ['/**', 'relative', false],
  // `**` anywhere else: any characters, '/' included
  ['**', 'x/y/z', true],
  ['**', '', true],
  ['**/b', '/x/b', true],
  ['**/b', 'b', false],
  ['/a/b**', '/a/b/c/d', true],
  ['/a/**.txt', '/a/x/y.txt', true],
  ['https://api.example.com/**', 'https://api.example.com', true],
  ['https://api.example.com/**', 'https://api.example.com/v1/x?q=1', true],
  ['https://api.example.com/**', 'https://api.example.com.evil.org/', false],
  // anchored, case-sensitive, `?` literal
  ['/a/b', '/a/b/c', false],
  ['/a/b', 'x/a/b', false],
  ['/A/b', '/a/b', false],
  ['/a/?', '/a/x', false],
  ['/a/?', '/a/?', true],
  ['tool.[ab]', 'tool.a', false],
  ['tool.(x|y)', 'tool.(x|y)', true],
  ['a.b', 'aXb', false],
];

describe('glob matcher: catalog §10 #30 table', () => {
  it.each(TABLE)('%s vs %s -> %s', (pattern, target, expected) => {
    expect(matchGlob(pattern, target)).toBe(expected);
    expect(refMatch(pattern, target)).toBe(expected); // the reference agrees with the table too
  });
});

describe('glob matcher: properties', () => {
  const patternArb = fc
    .array(fc.constantFrom('a', 'b', '/', '*', '**', '?', '.'), { maxLength: 8 })
    .map((parts) => parts.join(''));
  const targetArb = fc.array(fc.constantFrom('a', 'b', '/', '?', '.'), { maxLength: 10 }).map((parts) => parts.join(''));

  it('agrees with the naive reference matcher on every pattern/target pair', () => {
    fc.assert(
      fc.property(patternArb, targetArb, (pattern, target) => matchGlob(pattern, target) === refMatch(pattern, target)),
      { numRuns: 4000 },
    );
  });

  it.each([2, 3, 5])('multi-word state sets (%i states per word) agree with the reference too', (wordBits) => {
    fc.assert(
      fc.property(patternArb, targetArb, (pattern, target) =>
        compileGlobUncached(pattern, { wordBits }).matches(target) === refMatch(pattern, target),
      ),
      { numRuns: 3000 },
    );
  });

  it('long patterns (several 32-bit words of states) match like short ones', () => {
    const long = `/r/${'*x/'.repeat(20)}**/end`;
    const hit = `/r/${'ax/'.repeat(20)}q/w/end`;
    expect(matchGlob(long, hit)).toBe(true);
    expect(refMatch(long, hit)).toBe(true);
    expect(matchGlob(long, hit.replace('ax/', 'ay/'))).toBe(false);
  });

  it('agrees with the reference on targets built from the pattern itself', () => {
    // Instantiate wildcards so that matches are frequent, not only misses.
    const fill = fc.array(fc.constantFrom('', 'a', 'b/a', '/', 'ab'), { minLength: 8, maxLength: 8 });
    fc.assert(
      fc.property(patternArb, fill, (pattern, fills) => {
        let n = 0;
        const target = pattern.replace(/\*+/g, () => fills[n++ % fills.length]);
        return matchGlob(pattern, target) === refMatch(pattern, target);
      }),
      { numRuns: 4000 },
    );
  });

  it('never backtracks on hostile patterns', () => {
    const worst = `${'*a'.repeat(100)}*b`;
    expect(matchGlob(worst, `${'a'.repeat(8190)}cb`)).toBe(true);
    expect(matchGlob(worst, `${'a'.repeat(8190)}cc`)).toBe(false);
    const hostile = `${'*a'.repeat(20)}*b`;
    const target = 'a'.repeat(5000);
    expect(matchGlob(hostile, target)).toBe(false);
    expect(matchGlob(`${'**a'.repeat(20)}**b`, `${target}b`)).toBe(true);
  });

  it('caches compiled patterns', () => {
    expect(compileGlob('/x/**/y')).toBe(compileGlob('/x/**/y'));
  });
});
