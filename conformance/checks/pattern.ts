// Id selection: `*` matches within one `/`-separated segment, `**` as a whole segment matches
// zero or more segments and inside a segment (`9.**`) anything. Anchored at both ends.

// Compiles an id pattern such as `8.3/**` to an anchored RegExp.
export function compileIdPattern(pattern: string): RegExp {
  const segments = pattern.split('/');
  let re = '';
  segments.forEach((seg, i) => {
    const last = i === segments.length - 1;
    if (seg === '**') {
      // zero or more whole segments, including their separator
      re += last ? '(?:.*)' : '(?:[^]*?/)?';
      return;
    }
    // inside a segment `**` spans anything (`9.**` = all of §9), `*` stays in the segment
    re += seg
      .split('**')
      .map((chunk) =>
        chunk
          .split('*')
          .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
          .join('[^/]*'),
      )
      .join('.*');
    if (!last) re += '/';
  });
  // `a/**` must also match `a` itself
  re = re.replace(/\/\(\?:\.\*\)$/, '(?:/.*)?');
  return new RegExp(`^${re}$`);
}

/** True when `id` matches any of the comma-separated patterns (an empty list matches all). */
export function matchesAny(id: string, patterns: readonly string[]): boolean {
  if (patterns.length === 0) return true;
  return patterns.some((p) => compileIdPattern(p).test(id));
}

/** Splits `--only a,b` style input into patterns. */
export function parsePatternList(input: string | undefined): string[] {
  if (!input) return [];
  return input
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}
