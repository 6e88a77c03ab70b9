import type { AgentInventoryEntry, Credential, Lease } from '../../generated/types.js';

/**
 * Lenient readers for the payload fields whose shape differs between real peers (catalog §9,
 * Appendix A "accept schemas"). Each turns one documented variant set into the single form the
 * client API exposes; none of them throws.
 */

type Obj = Record<string, unknown>;

export function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

export function int(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/**
 * Budget counters (§9 #16): numbers (TS, ours), decimal strings, or `currency:decimal` strings
 * (stored Py) all become currency -> number. Entries that are not numeric are skipped.
 */
export function budgetFrom(v: unknown): Record<string, number> | undefined {
  if (!isObject(v)) return undefined;
  const out: Record<string, number> = {};
  for (const [currency, raw] of Object.entries(v)) {
    let n: number | undefined;
    if (typeof raw === 'number') n = raw;
    else if (typeof raw === 'string') {
      const m = /^(?:[^:]+:)?\s*(-?\d+(?:\.\d+)?)\s*$/.exec(raw);
      if (m) n = Number(m[1]);
    }
    if (n !== undefined && Number.isFinite(n)) out[currency] = n;
  }
  return out;
}

/** `replayed` is a bool (spec, TS, ours) or a count (Py, §9 #8): non-zero means true. */
export function replayedFrom(v: unknown): boolean {
  if (typeof v === 'number') return v !== 0;
  return v === true;
}

/** A lease is capability -> string[]; anything else is dropped key by key. */
export function leaseFrom(v: unknown): Lease {
  if (!isObject(v)) return {};
  const out: Lease = {};
  for (const [cap, patterns] of Object.entries(v)) {
    if (Array.isArray(patterns)) out[cap] = patterns.filter((p): p is string => typeof p === 'string');
  }
  return out;
}


/**
 * §9.8.1: clients MUST ignore credentials whose scheme they do not recognise (catalog §9 #14),
 * rather than rejecting the message. Both constraint shapes (spec and TS) pass through as-is.
 */
export function credentialsFrom(v: unknown): Credential[] | undefined {
  if (!Array.isArray(v)) return undefined;
  const out: Credential[] = [];
  for (const c of v) {
    if (!isObject(c) || c.scheme !== 'bearer') continue;
    const id = str(c.id);
    const value = str(c.value);
    const endpoint = str(c.endpoint);
    if (!id || !value || !endpoint) continue;
    const cred: Credential = { id, scheme: 'bearer', value, endpoint };
    if (str(c.profile)) cred.profile = c.profile as string;
    if (isObject(c.constraints)) cred.constraints = c.constraints as Credential['constraints'];
    out.push(cred);
  }
  return out;
}

/** Agent inventory entries: rich `{name, versions, default?}` objects or bare name strings. */
export function agentsFrom(v: unknown): AgentInventoryEntry[] {
  if (!Array.isArray(v)) return [];
  const out: AgentInventoryEntry[] = [];
  for (const a of v) {
    if (typeof a === 'string' && a !== '') out.push({ name: a, versions: [] });
    else if (isObject(a) && str(a.name)) {
      const entry: AgentInventoryEntry = {
        name: a.name as string,
        versions: Array.isArray(a.versions) ? a.versions.filter((x): x is string => typeof x === 'string') : [],
      };
      if (str(a.default)) entry.default = a.default as string;
      out.push(entry);
    }
  }
  return out;
}
