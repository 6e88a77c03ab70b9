import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { canonicalizeName, canonicalizePath, canonicalizeTarget, canonicalizeUrl } from '../canonicalize.js';

const ok = (target: string) => ({ ok: true, target });

describe('path canonicalisation (fs.*)', () => {
  it.each([
    ['/a/b', '/a/b'],
    ['/a//b', '/a/b'],
    ['/a/b/', '/a/b'],
    ['/a/./b', '/a/b'],
    ['/a/x/../b', '/a/b'],
    ['//a///b//', '/a/b'],
    ['/', '/'],
    ['/a/..', '/'],
    ['a/b/../c', 'a/c'],
    ['/a/%41', '/a/%41'], // other percent-escapes are ordinary characters of a file name
    ['/a/?', '/a/?'],
  ])('%s -> %s', (input, expected) => {
    expect(canonicalizePath(input)).toEqual(ok(expected));
  });

  it.each([
    ['/a/../../etc', 'escapes'],
    ['/..', 'escapes'],
    ['a/../..', 'escapes'],
    ['/a/%2F/b', 'percent-encoded separator'],
    ['/a%2fb', 'percent-encoded separator'],
    ['/a/%5c/b', 'percent-encoded separator'],
    ['/a/%00', 'percent-encoded separator'],
    ['/a/%2e%2e/b', 'dot segment'],
    ['/a/.%2E/b', 'dot segment'],
    ['/a\\..\\b', 'backslash'],
    ['/a/\u0000b', 'control'],
    ['', 'empty'],
    ['.', 'empty'],
  ])('%s is refused (%s)', (input, reason) => {
    const r = canonicalizePath(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toContain(reason);
  });
});

describe('URL canonicalisation (net.fetch)', () => {
  it.each([
    ['https://API.Example.COM/v1', 'https://api.example.com/v1'],
    ['HTTPS://api.example.com/v1', 'https://api.example.com/v1'],
    ['https://api.example.com:443/v1', 'https://api.example.com/v1'],
    ['http://api.example.com:80/v1', 'http://api.example.com/v1'],
    ['https://api.example.com:8443/v1', 'https://api.example.com:8443/v1'],
    ['https://api.example.com', 'https://api.example.com/'],
    ['https://api.example.com/a/./b/../c', 'https://api.example.com/a/c'],
    ['https://api.example.com/../../etc', 'https://api.example.com/etc'],
    ['https://api.example.com/v1?q=A#frag', 'https://api.example.com/v1?q=A'],
    ['https://bücher.example/x', 'https://xn--bcher-kva.example/x'],
  ])('%s -> %s', (input, expected) => {
    expect(canonicalizeUrl(input)).toEqual(ok(expected));
  });

  it.each([
    ['https://api.example.com/a%2Fb', 'percent-encoded separator'],
    ['https://api.example.com/a%2fb', 'percent-encoded separator'],
    ['https://api.example.com/a/%2e%2e/b', 'dot segment'],
    ['https://api.example.com/a/%2E./b', 'dot segment'],
    ['https://api.example.com@evil.example/x', 'user-info'],
    ['https://user:pw@api.example.com/x', 'user-info'],
    ['ftp://api.example.com/x', 'http and https only'],
    ['file:///etc/passwd', 'http and https only'],
    ['not a url', 'not a URL'],
    ['/relative/path', 'not a URL'],
  ])('%s is refused (%s)', (input, reason) => {
    const r = canonicalizeUrl(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toContain(reason);
  });
});

describe('names and dispatch by namespace', () => {
  it('leaves names exactly as given (a tool called mcp:github/X is not a URL)', () => {
    expect(canonicalizeName('mcp:github/X')).toEqual(ok('mcp:github/X'));
    expect(canonicalizeTarget('name', 'mcp:GitHub//x/')).toEqual(ok('mcp:GitHub//x/'));
    expect(canonicalizeName('').ok).toBe(false);
  });

  it('chooses the canonicaliser from the kind, not from the target', () => {
    expect(canonicalizeTarget('path', 'HTTPS://X/a//b')).toEqual(ok('HTTPS:/X/a/b'));
    expect(canonicalizeTarget('url', 'HTTPS://X/a//b')).toEqual(ok('https://x/a//b'));
    expect(canonicalizeTarget('amount', 'USD:1').ok).toBe(false);
    expect(canonicalizeTarget('path', 42).ok).toBe(false);
  });
});

describe('path canonicalisation: the already-canonical fast path changes nothing', () => {
  // A naive reference written here: split, drop '' and '.', pop on '..' (refuse above the root).
  function refPath(t: string): string | undefined {
    const out: string[] = [];
    for (const s of t.split('/')) {
      if (s === '' || s === '.') continue;
      if (s === '..') {
        if (out.length === 0) return undefined;
        out.pop();
      } else out.push(s);
    }
    return t.startsWith('/') ? `/${out.join('/')}` : out.length === 0 ? undefined : out.join('/');
  }

  it('agrees with the reference on paths of letters, slashes and dots', () => {
    const pathArb = fc.array(fc.constantFrom('a', 'b', '/', '.', '..', '.a'), { minLength: 1, maxLength: 10 }).map((p) => p.join(''));
    fc.assert(
      fc.property(pathArb, (t) => {
        const r = canonicalizePath(t);
        const expected = refPath(t);
        return expected === undefined ? !r.ok : r.ok && r.target === expected;
      }),
      { numRuns: 3000 },
    );
  });
});
