// Is every target one pattern matches also matched by another? (§9.4 "no delegated grant may
// name a resource ... the parent lease does not cover"). Conservative: `true` is always
// sound for the matcher in glob.ts; `false` may occasionally refuse a grant that is in fact
// covered (e.g. parent `a*` vs child `ab*`) — the catalog §6.14 rules, made sound:
//
//   - parent `**` after a slash absorbs zero or more child segments (any kind);
//   - parent `**` as the first segment of a longer pattern (`**/x`) means "any characters"
//     before that slash, so it absorbs ONE or more child segments (`**/b` does not match `b`);
//   - a lone parent `**` covers everything;
//   - parent `*` absorbs exactly one child segment that cannot span a slash (a literal or a
//     single-segment glob — not `**`, not `a**`);
//   - a parent single-segment glob (`tool.*`) covers a child literal or single-segment glob
//     when it matches the child segment's text, a child `*` being absorbable only by a parent
//     `*` (`tool.*` covers `tool.read` and `tool.r*`; `/a/b*` does not cover `/a/*`);
//   - any other parent segment (a literal, `a**b`) covers only the identical child segment.
//     (The TS SDK's `?` wildcard in its subset check is dropped: `?` is literal.)
//
// Go's "lease subset check sound against wildcard widening (#147)" is the bug class guarded
// here; the property test checks soundness against a reference matcher.

import { matchGlob } from './glob.js';

type Seg =
  | { kind: 'lit'; text: string } // no `*`
  | { kind: 'one'; text: string } // contains `*` but no `**`: exactly one segment
  | { kind: 'zeroOrMore' } // whole `**` after a slash
  | { kind: 'oneOrMore' } // whole `**` first of several segments
  | { kind: 'cross'; text: string }; // contains `**` otherwise: spans one or more segments

function classify(pattern: string): Seg[] {
  const parts = pattern.split('/');
  return parts.map((text, i): Seg => {
    if (text === '**') return i > 0 ? { kind: 'zeroOrMore' } : parts.length > 1 ? { kind: 'oneOrMore' } : { kind: 'cross', text };
    if (text.includes('**')) return { kind: 'cross', text };
    if (text.includes('*')) return { kind: 'one', text };
    return { kind: 'lit', text };
  });
}

function singleSegment(seg: Seg): boolean {
  return seg.kind === 'lit' || seg.kind === 'one';
}

function sameSegment(a: Seg, b: Seg): boolean {
  return a.kind === b.kind && 'text' in a && 'text' in b && a.text === b.text;
}

/** True when every string `child` matches is matched by `parent`. */
export function patternCovers(parent: string, child: string): boolean {
  if (parent === child || parent === '**') return true;
  const p = classify(parent);
  const c = classify(child);
  // memo[i][j]: can parent segments i.. cover child segments j..? (0 unknown, 1 yes, 2 no)
  const memo = new Uint8Array((p.length + 1) * (c.length + 1));
  const covers = (i: number, j: number): boolean => {
    const key = i * (c.length + 1) + j;
    if (memo[key] !== 0) return memo[key] === 1;
    let ok: boolean;
    if (i === p.length) ok = j === c.length;
    else {
      const seg = p[i];
      switch (seg.kind) {
        case 'zeroOrMore':
          ok = covers(i + 1, j) || (j < c.length && covers(i, j + 1));
          break;
        case 'oneOrMore':
          ok = j < c.length && (covers(i + 1, j + 1) || covers(i, j + 1));
          break;
        case 'one': {
          // The child text as a target: the parent's literal characters can never match a child
          // `*` (they are not `*`), while a parent `*` absorbs anything within the segment.
          const child = c[j];
          ok = j < c.length && singleSegment(child) && matchGlob(seg.text, (child as { text: string }).text) && covers(i + 1, j + 1);
          break;
        }
          break;
        default: // lit, cross
          ok = j < c.length && sameSegment(seg, c[j]) && covers(i + 1, j + 1);
      }
    }
    memo[key] = ok ? 1 : 2;
    return ok;
  };
  return covers(0, 0);
}

/** True when every child pattern is covered by at least one parent pattern. */
export function patternsCovered(parent: readonly string[], child: readonly string[]): boolean {
  return child.every((c) => parent.some((p) => patternCovers(p, c)));
}
