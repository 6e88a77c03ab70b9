// The harness's own lease oracle: a wrong oracle would fail correct peers or pass broken ones,
// so its glob and subset rules are pinned here against the catalog §6.14 positions.
import { describe, expect, it } from 'vitest';
import { BudgetModel } from '../model/budget-oracle.js';
import { globMatches, leaseAllows, leaseIsSubset, patternCovered } from '../model/lease-oracle.js';

describe('globMatches', () => {
  it('* stays inside one segment', () => {
    expect(globMatches('/w/*', '/w/a')).toBe(true);
    expect(globMatches('/w/*', '/w/a/b')).toBe(false);
    expect(globMatches('tier-fast/*', 'tier-fast/x')).toBe(true);
    expect(globMatches('tier-fast/*', 'tier-fast/x/y')).toBe(false);
    expect(globMatches('/w/*.ts', '/w/a.ts')).toBe(true);
  });
  it('** spans segments, and /a/** covers /a', () => {
    expect(globMatches('/w/**', '/w')).toBe(true);
    expect(globMatches('/w/**', '/w/a/b/c')).toBe(true);
    expect(globMatches('/w/**', '/wx')).toBe(false);
    expect(globMatches('/w/**/z', '/w/z')).toBe(true);
    expect(globMatches('/w/**/z', '/w/a/b/z')).toBe(true);
    expect(globMatches('https://api.example.com/**', 'https://api.example.com/v1/x')).toBe(true);
  });
  it('is anchored, literal and case-sensitive', () => {
    expect(globMatches('/w/a', '/w/a/b')).toBe(false);
    expect(globMatches('/w/a.b', '/w/aXb')).toBe(false);
    expect(globMatches('/W/a', '/w/a')).toBe(false);
  });
});

describe('leaseAllows / subset', () => {
  it('needs the capability and a matching pattern', () => {
    const lease = { 'fs.read': ['/w/**'], 'tool.call': ['search'] };
    expect(leaseAllows(lease, 'fs.read', '/w/x')).toBe(true);
    expect(leaseAllows(lease, 'fs.write', '/w/x')).toBe(false);
    expect(leaseAllows(lease, 'tool.call', 'search2')).toBe(false);
  });
  it('subset is conservative', () => {
    expect(patternCovered('/w/a/**', '/w/**')).toBe(true);
    expect(patternCovered('/**', '/w/**')).toBe(false);
    expect(patternCovered('/w/a', '/w/*')).toBe(true);
    expect(patternCovered('/w/a/b', '/w/*')).toBe(false);
    expect(leaseIsSubset({ 'fs.read': ['/w/a/**'] }, { 'fs.read': ['/w/**'] })).toBe(true);
    expect(leaseIsSubset({ 'fs.write': ['/w/a'] }, { 'fs.read': ['/w/**'] })).toBe(false);
  });
});

describe('BudgetModel', () => {
  it('is exact to the cent where floats drift', () => {
    const b = new BudgetModel(['USD:0.30']);
    b.spend('0.1', 'USD');
    b.spend('0.1', 'USD');
    expect(b.exhausted()).toBe(false);
    b.spend('0.1', 'USD');
    expect(b.remaining('USD')).toBe('0');
    expect(b.exhausted()).toBe(true);
  });
  it('ignores negative costs and foreign currencies', () => {
    const b = new BudgetModel(['USD:1', 'USD:1']);
    b.spend('-5', 'USD');
    b.spend('3', 'EUR');
    expect(b.remaining('USD')).toBe('2');
  });
});
