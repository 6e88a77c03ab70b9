// Capability names (§9.2) and which canonicaliser a namespace's targets go through.
//
// Accepted: the reserved namespaces, and `x-vendor.<vendor>.<name>[.<more>]` with segments of
// lower-case letters, digits, `_` and `-` (catalog §6.14, §10 #31). Anything else is
// INVALID_REQUEST at submit.

import { RESERVED_CAPABILITIES } from './deps.js';

const VENDOR_CAPABILITY = /^x-vendor(?:\.[a-z0-9_-]+){2,}$/;

const RESERVED = new Set(RESERVED_CAPABILITIES);

export function isReservedCapability(name: string): boolean {
  return RESERVED.has(name);
}

export function isValidCapabilityName(name: unknown): name is string {
  return typeof name === 'string' && (RESERVED.has(name) || VENDOR_CAPABILITY.test(name));
}

/**
 * How the target of an operation under `capability` is canonicalised before matching.
 * Decided by namespace, never by sniffing the target (a tool called `mcp:github/x` is a name,
 * not a URL — the TS SDK's scheme sniffing got this wrong, catalog §6.14).
 */
export type TargetKind = 'path' | 'url' | 'name' | 'amount';

export function targetKindOf(capability: string): TargetKind {
  if (capability === 'fs.read' || capability === 'fs.write') return 'path';
  if (capability === 'net.fetch') return 'url';
  if (capability === 'cost.budget') return 'amount';
  return 'name'; // tool.call, agent.delegate, model.use, x-vendor.*
}
