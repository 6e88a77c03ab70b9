// Canonical form of an operation's target before it is matched against lease patterns
// (§9.3, catalog §6.14 and §10 #30). Only targets are canonicalised, never patterns — a lease
// for `net.fetch` must therefore name hosts in lower case and omit default ports.
//
// The runtime should dispatch the canonical target it gets back, so what was checked is
// exactly what is used.

import type { TargetKind } from './capability-names.js';

export type Canonical = { ok: true; target: string } | { ok: false; reason: string };

const MAX_TARGET_LENGTH = 8192;

function refuse(reason: string): Canonical {
  return { ok: false, reason };
}

/** Percent-encoded `/`, `\` or NUL: a decoder further down could turn them into separators. */
const ENCODED_SEPARATOR = /%(?:2f|5c|00)/i;
/** A segment that is `.` or `..` once `%2e` is decoded, written with at least one `%2e`. */
const ENCODED_DOT_SEGMENT = /^(?:%2e|\.){1,2}$/i;

/**
 * Paths (fs.*): drop empty and `.` segments (duplicate and trailing slashes go too), resolve
 * `..`; a `..` that would climb above the start is refused rather than clamped — it is an
 * escape attempt, not a typo. Refused too: percent-encoded separators or dot segments,
 * backslashes (a separator on some platforms), control characters.
 */
/** Anything that needs the slow path: `//`, `.`/`..` segments, a trailing `/`, `%`, `\\`, controls. */
// eslint-disable-next-line no-control-regex
const NOT_ALREADY_CANONICAL = /\/\/|(?:^|\/)\.\.?(?:\/|$)|.\/$|[%\\\u0000-\u001f\u007f]/;

export function canonicalizePath(target: string): Canonical {
  if (target.length === 0) return refuse('empty path');
  if (target.length > MAX_TARGET_LENGTH) return refuse('path too long');
  if (!NOT_ALREADY_CANONICAL.test(target)) return { ok: true, target }; // hot path: already canonical
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(target)) return refuse('control character in path');
  if (target.includes('\\')) return refuse('backslash in path');
  if (ENCODED_SEPARATOR.test(target)) return refuse('percent-encoded separator in path');
  const absolute = target.startsWith('/');
  const out: string[] = [];
  for (const seg of target.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (out.length === 0) return refuse('path escapes its root');
      out.pop();
      continue;
    }
    if (ENCODED_DOT_SEGMENT.test(seg)) return refuse('percent-encoded dot segment in path');
    out.push(seg);
  }
  const joined = out.join('/');
  if (absolute) return { ok: true, target: `/${joined}` };
  return joined === '' ? refuse('empty path') : { ok: true, target: joined };
}

/**
 * URLs (net.fetch, "outbound HTTP/HTTPS" §9.2) through the WHATWG parser: scheme and host
 * lower-cased, default ports dropped, IDN hosts in punycode, `.`/`..` resolved. Refused:
 * other schemes, user-info (`https://good.example@evil.example/`), percent-encoded `/`, `\`
 * or dot segments in the path. The fragment is dropped (never sent); the query is kept.
 */
export function canonicalizeUrl(target: string): Canonical {
  if (target.length === 0) return refuse('empty URL');
  if (target.length > MAX_TARGET_LENGTH) return refuse('URL too long');
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    return refuse('not a URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return refuse('net.fetch allows http and https only');
  if (url.username !== '' || url.password !== '') return refuse('user-info in URL');
  if (url.hostname === '') return refuse('URL without host');
  // The parser already resolved `%2e%2e` segments; look at the raw path for what it hid.
  const rawPath = /^[A-Za-z][A-Za-z0-9+.-]*:[/\\]*[^/\\?#]*([^?#]*)/.exec(target)?.[1] ?? '';
  if (ENCODED_SEPARATOR.test(rawPath)) return refuse('percent-encoded separator in URL path');
  if (rawPath.split(/[/\\]/).some((seg) => ENCODED_DOT_SEGMENT.test(seg) && /%2e/i.test(seg))) {
    return refuse('percent-encoded dot segment in URL path');
  }
  return { ok: true, target: `${url.protocol}//${url.host}${url.pathname}${url.search}` };
}

/** Tool, agent and model names are opaque: matched exactly as given, but never empty. */
export function canonicalizeName(target: string): Canonical {
  if (target.length === 0) return refuse('empty name');
  if (target.length > MAX_TARGET_LENGTH) return refuse('name too long');
  return { ok: true, target };
}

export function canonicalizeTarget(kind: TargetKind, target: unknown): Canonical {
  if (typeof target !== 'string') return refuse('target must be a string');
  switch (kind) {
    case 'path': return canonicalizePath(target);
    case 'url': return canonicalizeUrl(target);
    case 'name': return canonicalizeName(target);
    case 'amount': return refuse('cost.budget is not an operation');
  }
}
