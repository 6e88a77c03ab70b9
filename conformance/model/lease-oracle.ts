// Independent lease oracle (§9.2-§9.4), written from the spec text and the catalog's glob
// position (§6.14), not from runtime-kit's matcher: `*` is any run of non-`/` characters, `**`
// zero or more whole segments (`/a/**` also covers `/a`), everything else literal, anchored,
// case-sensitive. The harness only generates canonical targets, so canonicalisation rules never
// decide a verdict.

export type Lease = Record<string, readonly string[]>;

const cache = new Map<string, RegExp>();

/** Compiles one lease pattern. */
export function compileLeaseGlob(pattern: string): RegExp {
  const hit = cache.get(pattern);
  if (hit) return hit;
  let re = '';
  for (let i = 0; i < pattern.length; ) {
    if (pattern.startsWith('/**/', i)) {
      re += '(?:/[^/]*)*/';
      i += 4;
    } else if (pattern.startsWith('/**', i) && i + 3 === pattern.length) {
      re += '(?:/.*)?';
      i += 3;
    } else if (pattern.startsWith('**', i)) {
      re += '.*';
      i += 2;
    } else if (pattern[i] === '*') {
      re += '[^/]*';
      i += 1;
    } else {
      re += pattern[i].replace(/[.+?^${}()|[\]\\]/g, '\\$&');
      i += 1;
    }
  }
  const compiled = new RegExp(`^${re}$`);
  cache.set(pattern, compiled);
  return compiled;
}

export function globMatches(pattern: string, target: string): boolean {
  return compileLeaseGlob(pattern).test(target);
}

/** §9.3: allowed iff the capability is granted and some pattern matches the target. */
export function leaseAllows(lease: Lease, capability: string, target: string): boolean {
  return (lease[capability] ?? []).some((p) => globMatches(p, target));
}

/**
 * §9.4 conservative subset: every child pattern must be covered by a parent pattern, judged
 * segment-wise (a parent `**` absorbs any run of segments, `*` one whole segment, literals match
 * themselves). Partial-segment globs are covered only by an identical pattern, `*` or `**`.
 */
export function patternCovered(child: string, parent: string): boolean {
  if (child === parent) return true;
  const c = child.split('/');
  const p = parent.split('/');
  const go = (i: number, j: number): boolean => {
    if (j === p.length) return i === c.length;
    if (p[j] === '**') {
      for (let k = i; k <= c.length; k++) if (go(k, j + 1)) return true;
      return false;
    }
    if (i === c.length) return false;
    if (c[i] === '**') return false;
    if (p[j] === '*') return c[i] !== '' && go(i + 1, j + 1);
    return p[j] === c[i] && go(i + 1, j + 1);
  };
  return go(0, 0);
}

export function leaseIsSubset(child: Lease, parent: Lease): boolean {
  return Object.entries(child).every(([cap, pats]) => {
    if (cap === 'cost.budget') return true; // budgets are compared numerically (budget-oracle)
    const parentPats = parent[cap];
    return parentPats !== undefined && pats.every((cp) => parentPats.some((pp) => patternCovered(cp, pp)));
  });
}
