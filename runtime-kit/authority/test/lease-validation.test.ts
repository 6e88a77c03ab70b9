import { describe, expect, it } from 'vitest';
import { validateLeaseConstraints, validateLeaseRequest } from '../lease-validation.js';
import { parseUtcTimestamp } from '../expires-at.js';
import { isValidCapabilityName } from '../capability-names.js';

const NOW = Date.UTC(2026, 4, 13, 12, 0, 0);

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (err) {
    return (err as { code?: string }).code;
  }
}

describe('capability names', () => {
  it.each(['fs.read', 'fs.write', 'net.fetch', 'tool.call', 'agent.delegate', 'cost.budget', 'model.use', 'x-vendor.acme.gpu', 'x-vendor.acme.gpu.hours'])(
    'accepts %s',
    (name) => expect(isValidCapabilityName(name)).toBe(true),
  );
  it.each(['fs', 'fs.exec', 'FS.read', 'x-vendor.acme', 'x-vendor.Acme.gpu', 'x-vendor..x', 'tool.call ', '', 'x-vendor.acme.gpu.'])(
    'refuses %s',
    (name) => expect(isValidCapabilityName(name)).toBe(false),
  );
});

describe('validateLeaseRequest', () => {
  it('returns a copy of a valid lease', () => {
    const req = { 'fs.read': ['/workspace/**'], 'cost.budget': ['USD:5.00', 'credits:1000'], 'x-vendor.acme.gpu': ['a100'] };
    const lease = validateLeaseRequest(req);
    expect(lease).toEqual(req);
    expect(lease['fs.read']).not.toBe(req['fs.read']);
  });

  it.each([
    ['not an object', 'x'],
    ['null', null],
    ['an array', [['fs.read', ['/a']]]],
    ['an unknown capability', { 'fs.exec': ['/a'] }],
    ['a non-array value', { 'fs.read': '/a' }],
    ['an empty pattern', { 'fs.read': [''] }],
    ['a non-string pattern', { 'fs.read': [42] }],
    ['a control character', { 'tool.call': ['a\nb'] }],
    ['a negative budget (kotlin-sdk #92)', { 'cost.budget': ['USD:-5.00'] }],
    ['a budget without currency', { 'cost.budget': ['5.00'] }],
    ['a budget with exponent', { 'cost.budget': ['USD:1e9'] }],
    ['too many patterns', { 'tool.call': Array.from({ length: 129 }, (_, i) => `t${i}`) }],
    ['a too long pattern', { 'tool.call': ['x'.repeat(513)] }],
    ['a too deep pattern', { 'fs.read': ['/a'.repeat(32)] }],
  ])('refuses %s with INVALID_REQUEST', (_why, req) => {
    expect(codeOf(() => validateLeaseRequest(req))).toBe('INVALID_REQUEST');
  });

  it('accepts patterns at the limits', () => {
    expect(() => validateLeaseRequest({ 'tool.call': Array.from({ length: 128 }, (_, i) => `t${i}`) })).not.toThrow();
    expect(() => validateLeaseRequest({ 'fs.read': ['/a'.repeat(31)], 'tool.call': ['x'.repeat(512)] })).not.toThrow();
  });

  it('accepts an empty pattern list (it grants nothing)', () => {
    expect(validateLeaseRequest({ 'tool.call': [] })).toEqual({ 'tool.call': [] });
  });
});

describe('expires_at', () => {
  it.each([
    ['2026-05-13T23:42:00Z', Date.UTC(2026, 4, 13, 23, 42, 0)],
    ['2026-05-13T23:42:00.5Z', Date.UTC(2026, 4, 13, 23, 42, 0, 500)],
    ['2026-05-13T23:42:00.123456789Z', Date.UTC(2026, 4, 13, 23, 42, 0, 123)],
    ['2028-02-29T00:00:00Z', Date.UTC(2028, 1, 29)],
  ])('parses %s', (text, ms) => expect(parseUtcTimestamp(text)).toBe(ms));

  it.each([
    '2026-05-13T23:42:00+00:00',
    '2026-05-13T23:42:00z',
    '2026-05-13t23:42:00Z',
    '2026-05-13 23:42:00Z',
    '2026-05-13',
    '2026-02-30T00:00:00Z',
    '2027-02-29T00:00:00Z',
    '2026-05-13T24:00:00Z',
    '2026-05-13T23:60:00Z',
    '2026-05-13T23:42:60Z',
    '2026-13-01T00:00:00Z',
    '1778715720000',
  ])('refuses %s', (text) => expect(parseUtcTimestamp(text)).toBeUndefined());

  it('validateLeaseConstraints: future UTC Z only', () => {
    expect(validateLeaseConstraints(undefined, NOW)).toBeUndefined();
    expect(validateLeaseConstraints({}, NOW)).toEqual({});
    expect(validateLeaseConstraints({ expires_at: '2026-05-13T12:00:01Z', other: 1 }, NOW)).toEqual({ expires_at: '2026-05-13T12:00:01Z' });
    expect(codeOf(() => validateLeaseConstraints({ expires_at: '2026-05-13T12:00:00Z' }, NOW))).toBe('INVALID_REQUEST'); // == now
    expect(codeOf(() => validateLeaseConstraints({ expires_at: '2026-05-13T11:59:59Z' }, NOW))).toBe('INVALID_REQUEST');
    expect(codeOf(() => validateLeaseConstraints({ expires_at: '2026-05-14T12:00:00+00:00' }, NOW))).toBe('INVALID_REQUEST');
    expect(codeOf(() => validateLeaseConstraints({ expires_at: 1 }, NOW))).toBe('INVALID_REQUEST');
    expect(codeOf(() => validateLeaseConstraints('tomorrow', NOW))).toBe('INVALID_REQUEST');
  });
});
