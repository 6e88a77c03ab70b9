// An independent, deliberately naive reference for the lease glob (catalog §6.14 / §10 #30),
// used only by the property tests. It works character by character on the raw pattern with
// plain recursion — no compilation, no segments, no NFA — so it shares no code or structure
// with glob.ts or pattern-subset.ts.
//
//   `/**` followed by `/` or the end: zero or more "/segment" units;
//   any other run of two or more `*`: any characters, `/` included;
//   a single `*`: any characters except `/`;
//   everything else (including `?`): itself.

export function refMatch(pattern: string, target: string): boolean {
  const go = (i: number, j: number): boolean => {
    if (i === pattern.length) return j === target.length;
    if (pattern.startsWith('/**', i) && (i + 3 === pattern.length || pattern[i + 3] === '/')) {
      if (go(i + 3, j)) return true; // zero more units
      if (target[j] !== '/') return false;
      let k = j + 1;
      while (k < target.length && target[k] !== '/') k++;
      return go(i, k); // one "/segment" unit consumed, maybe more
    }
    if (pattern[i] === '*') {
      let end = i;
      while (pattern[end] === '*') end++;
      const crossesSlash = end - i >= 2;
      for (let k = j; k <= target.length; k++) {
        if (go(end, k)) return true;
        if (k < target.length && !crossesSlash && target[k] === '/') return false;
      }
      return false;
    }
    return j < target.length && target[j] === pattern[i] && go(i + 1, j + 1);
  };
  return go(0, 0);
}

/** Every string over `alphabet` up to `maxLength` characters (for exhaustive inclusion checks). */
export function allStrings(alphabet: readonly string[], maxLength: number): string[] {
  const out = [''];
  let layer = [''];
  for (let n = 1; n <= maxLength; n++) {
    layer = layer.flatMap((s) => alphabet.map((c) => s + c));
    out.push(...layer);
  }
  return out;
}
