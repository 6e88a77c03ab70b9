import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { patternCovers, patternsCovered } from '../pattern-subset.js';
import { allStrings, refMatch } from './reference-glob.js';

// Every target over this alphabet up to 6 characters: the inclusion oracle enumerates them.
const TARGETS = allStrings(['a', 'b', '/'], 6);

function includedByEnumeration(parent: string, child: string): { ok: true } | { ok: false; witness: string } {
  for (const t of TARGETS) if (refMatch(child, t) && !refMatch(parent, t)) return { ok: false, witness: t };
  return { ok: true };
}

describe('pattern subset: soundness against the reference matcher', () => {
  const patternArb = fc.array(fc.constantFrom('a', 'b', '/', '*', '**'), { maxLength: 6 }).map((p) => p.join(''));

  it('whenever the parent is said to cover the child, no target matches the child but not the parent', () => {
    fc.assert(
      fc.property(patternArb, patternArb, (parent, child) => {
        if (!patternCovers(parent, child)) return true;
        const r = includedByEnumeration(parent, child);
        if (!r.ok) throw new Error(`parent ${JSON.stringify(parent)} does not match ${JSON.stringify(r.witness)} which child ${JSON.stringify(child)} matches`);
        return true;
      }),
      { numRuns: 3000 },
    );
  });

  it('covers often enough to matter (identical and widened-by-** pairs)', () => {
    fc.assert(
      fc.property(patternArb, (p) => patternCovers(p, p) && patternCovers('**', p)),
      { numRuns: 500 },
    );
  });
});

// Wildcard-widening cases (Go #147) and the catalog §6.14 rules, row by row.
const ROWS: [parent: string, child: string, covered: boolean][] = [
  ['/a/**', '/a/b/c', true],
  ['/a/**', '/a/**', true],
  ['/a/**', '/a', true],
  ['/a/**', '/a/*/c', true],
  ['/a/**', '/a/**/c', true],
  ['/a/**', '/ab/**', false],
  ['/a/**', '/**', false],
  ['/a/**', '**', false],
  ['/a/*', '/a/b', true],
  ['/a/*', '/a/b*', true],
  ['/a/*', '/a/**', false], // ** spans segments
  ['/a/*', '/a/b**', false], // partial ** spans segments too
  ['/a/*', '/a/b/c', false],
  ['/a/b*', '/a/bc', true],
  ['/a/b*', '/a/bc*', true],
  ['/a/b*c', '/a/b*', false],
  ['/a/b**', '/a/bc', false], // partial ** only by the identical segment (conservative)
  ['/a/b*', '/a/b*', true],
  ['/a/b*', '/a/*', false],
  ['/a/b', '/a/*', false],
  ['/a/b', '/a/b/', false],
  ['/a/**/z', '/a/b/c/z', true],
  ['/a/**/z', '/a/z', true],
  ['/a/**/z', '/a/b/c', false],
  ['**/b', '/x/y/b', true],
  ['**/b', 'b', false], // **/b does not match "b" itself
  ['**', '/anything/**', true],
  ['/a/?', '/a/x', false], // `?` is literal in both matcher and subset check
  ['/a/?', '/a/?', true],
  ['tool.*', 'tool.read', true],
  ['tool.*', 'tool.*', true],
  ['tool.read', 'tool.*', false],
  ['tier-fast/*', 'tier-fast/small', true],
  ['tier-fast/*', 'tier-slow/small', false],
  ['https://api.example.com/**', 'https://api.example.com/v1/**', true],
  ['https://api.example.com/**', 'https://*.example.com/**', false],
];

describe('pattern subset: table', () => {
  it.each(ROWS)('parent %s covers child %s: %s', (parent, child, covered) => {
    expect(patternCovers(parent, child)).toBe(covered);
    if (covered) expect(includedByEnumeration(parent.replace(/[^/*]+/g, 'a'), child.replace(/[^/*]+/g, 'a')).ok).toBe(true);
  });

  it('a child list is covered only when every child pattern has a covering parent', () => {
    expect(patternsCovered(['/a/**', '/b/*'], ['/a/x', '/b/y'])).toBe(true);
    expect(patternsCovered(['/a/**', '/b/*'], ['/a/x', '/c/y'])).toBe(false);
    expect(patternsCovered(['/a/**'], [])).toBe(true);
  });
});
