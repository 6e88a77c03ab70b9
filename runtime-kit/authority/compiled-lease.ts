// A lease compiled once per job for the hot path. Per capability:
//   - literal patterns in a Set (one hash lookup);
//   - globs bucketed by the directory part of their literal prefix (up to its last `/`), so a
//     target only tries the globs whose prefix directory is one of its own ancestors — a lease
//     of many `/project-N/**` patterns costs a few Map lookups, not a scan of every pattern;
//   - globs whose literal prefix has no `/` (`tool.*`, `**/x`) in a short list tried always.
//
// Work cap: one check may spend at most MAX_MATCH_WORK NFA word-steps (|target| x words per
// glob). Beyond that it is refused (fail closed): a delegated child lease of many long
// `*a*a*a…` patterns under a parent's `/**` plus multi-kilobyte targets could otherwise block
// the event loop for everyone. Real leases stay orders of magnitude below the cap.

import { compileGlob, type CompiledGlob } from './glob.js';
import type { Lease } from './deps.js';

interface CapabilityMatcher {
  literals: Set<string>;
  byDir: Map<string, CompiledGlob[]>;
  longestDir: number;
  dirLengths: Set<number>; // lengths of the bucket keys: other '/' positions need no lookup
  unbucketed: CompiledGlob[];
}

const SLASH = 47;
export const MAX_MATCH_WORK = 1 << 20;

export class CompiledLease {
  private readonly byCapability = new Map<string, CapabilityMatcher>();

  constructor(lease: Lease) {
    for (const [capability, patterns] of Object.entries(lease)) {
      if (capability === 'cost.budget') continue; // amounts, not patterns
      const m: CapabilityMatcher = { literals: new Set(), byDir: new Map(), longestDir: 0, dirLengths: new Set(), unbucketed: [] };
      for (const p of patterns ?? []) {
        if (!p.includes('*')) {
          m.literals.add(p);
          continue;
        }
        const glob = compileGlob(p);
        const cut = glob.prefix.lastIndexOf('/');
        if (cut < 0) {
          m.unbucketed.push(glob);
          continue;
        }
        const dir = glob.prefix.slice(0, cut + 1);
        const bucket = m.byDir.get(dir);
        if (bucket === undefined) m.byDir.set(dir, [glob]);
        else bucket.push(glob);
        m.longestDir = Math.max(m.longestDir, dir.length);
        m.dirLengths.add(dir.length);
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
    let work = 0;
    for (const g of m.unbucketed) {
      work += g.workFor(target.length);
      if (work > MAX_MATCH_WORK) return false;
      if (g.matches(target)) return true;
    }
    if (m.byDir.size === 0) return false;
    // A glob with prefix directory D can only match targets starting with D, and D ends in
    // '/': look D up at every '/' of the target (within the longest D).
    const limit = Math.min(target.length, m.longestDir);
    for (let i = 0; i < limit; i++) {
      if (target.charCodeAt(i) !== SLASH || !m.dirLengths.has(i + 1)) continue;
      const bucket = m.byDir.get(target.slice(0, i + 1));
      if (bucket === undefined) continue;
      for (const g of bucket) {
        work += g.workFor(target.length);
        if (work > MAX_MATCH_WORK) return false;
        if (g.matches(target)) return true;
      }
    }
    return false;
  }
}
