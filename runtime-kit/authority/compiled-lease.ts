// A lease compiled once per job for the hot path: literal patterns go into a Set, the rest
// are compiled globs (shared through the glob cache).

import { compileGlob, type CompiledGlob } from './glob.js';
import type { Lease } from './deps.js';

interface CapabilityMatcher {
  literals: Set<string>;
  globs: CompiledGlob[];
}

export class CompiledLease {
  private readonly byCapability = new Map<string, CapabilityMatcher>();

  constructor(lease: Lease) {
    for (const [capability, patterns] of Object.entries(lease)) {
      if (capability === 'cost.budget') continue; // amounts, not patterns
      const m: CapabilityMatcher = { literals: new Set(), globs: [] };
      for (const p of patterns) {
        if (p.includes('*')) m.globs.push(compileGlob(p));
        else m.literals.add(p);
      }
      this.byCapability.set(capability, m);
    }
  }

  has(capability: string): boolean {
    return this.byCapability.has(capability);
  }

  /** Does some pattern of `capability` match the (already canonical) target? */
  covers(capability: string, target: string): boolean {
    const m = this.byCapability.get(capability);
    if (m === undefined) return false;
    if (m.literals.has(target)) return true;
    for (const g of m.globs) if (g.matches(target)) return true;
    return false;
  }
}
