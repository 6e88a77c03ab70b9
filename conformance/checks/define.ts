// Small helpers shared by check modules: a typed constructor and common assertions.
import { require_, Violation } from './outcomes.js';
import type { CheckDef } from './types.js';
import { errorCode } from '../model/seq-oracle.js';
import { field, type Envelope } from '../driver/wire.js';

export function scenario(def: Omit<CheckDef, 'kind'>): CheckDef {
  return { ...def, kind: 'scenario' };
}

export function property(def: Omit<CheckDef, 'kind'>): CheckDef {
  return { ...def, kind: 'property' };
}

/** Requires an error reply (session.error or job.error) with one of `codes`. */
export function requireErrorCode(reply: Envelope, codes: readonly string[], what: string): void {
  require_(reply.type === 'session.error' || reply.type === 'job.error', `${what}: expected an error, got ${reply.type}`, reply);
  const code = errorCode(reply);
  if (!code || !codes.includes(code)) throw new Violation(`${what}: expected ${codes.join(' or ')}, got ${String(code)}`);
}

/** The inline result of a job.result (catalog §9 #11: `result`, accepting `output`). */
export function inlineResult(m: Envelope): unknown {
  const r = field(m, 'payload', 'result');
  return r !== undefined ? r : field(m, 'payload', 'output');
}

/** Stable JSON for comparisons (sorted keys). */
export function canonicalJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o)
    .sort()
    .filter((k) => o[k] !== undefined)
    .map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`)
    .join(',')}}`;
}

export const AGENTS = {
  echo: 'conformance.echo',
  chatty: 'conformance.chatty',
  slow: 'conformance.slow',
  tools: 'conformance.tools',
  spender: 'conformance.spender',
  model: 'conformance.model',
  streamer: 'conformance.streamer',
  delegator: 'conformance.delegator',
  failer: 'conformance.failer',
  versioned: 'conformance.versioned',
  // optional (a later addition to docs/conformance-agents.md): checks that need it skip without it
  rotator: 'conformance.rotator',
} as const;
