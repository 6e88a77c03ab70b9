// Check-id selection: `*` is one segment, `**` zero or more segments, anchored; a pattern that
// selects the wrong checks would silently run (or hide) parts of the suite.
import { describe, expect, it } from 'vitest';
import { compileIdPattern, matchesAny, parsePatternList } from '../checks/pattern.js';

describe('compileIdPattern', () => {
  it('matches an exact id only', () => {
    const re = compileIdPattern('8.3/seq/gap-free');
    expect(re.test('8.3/seq/gap-free')).toBe(true);
    expect(re.test('8.3/seq/gap-free-x')).toBe(false);
    expect(re.test('x8.3/seq/gap-free')).toBe(false);
  });
  it('* is exactly one segment', () => {
    const re = compileIdPattern('8.3/*/gap-free');
    expect(re.test('8.3/seq/gap-free')).toBe(true);
    expect(re.test('8.3/a/b/gap-free')).toBe(false);
    expect(compileIdPattern('6.*/x').test('6.3/x')).toBe(true);
    expect(compileIdPattern('6.*/x').test('6.3/y/x')).toBe(false);
  });
  it('** is zero or more segments', () => {
    const re = compileIdPattern('8.3/**');
    expect(re.test('8.3')).toBe(true);
    expect(re.test('8.3/seq')).toBe(true);
    expect(re.test('8.3/seq/gap-free')).toBe(true);
    expect(re.test('8.4/seq')).toBe(false);
    const mid = compileIdPattern('6.3/**/token');
    expect(mid.test('6.3/token')).toBe(true);
    expect(mid.test('6.3/resume/a/token')).toBe(true);
    expect(mid.test('6.3/resume/tokens')).toBe(false);
    expect(compileIdPattern('**').test('anything/at/all')).toBe(true);
  });
  it('** inside a segment spans sections', () => {
    expect(compileIdPattern('9.**').test('9.6/budget/random-costs')).toBe(true);
    expect(compileIdPattern('9.**').test('9/x')).toBe(false);
    expect(compileIdPattern('9.**').test('8.3/x')).toBe(false);
  });
  it('dots are literal', () => {
    expect(compileIdPattern('8.3/x').test('803/x')).toBe(false);
  });
});

describe('matchesAny', () => {
  it('empty pattern list selects everything', () => {
    expect(matchesAny('a/b', [])).toBe(true);
  });
  it('any pattern may match', () => {
    expect(matchesAny('7.4/cancel/ack', parsePatternList('8.3/**, 7.4/*/ack'))).toBe(true);
    expect(matchesAny('7.2/x', parsePatternList('8.3/**,7.4/**'))).toBe(false);
  });
});
