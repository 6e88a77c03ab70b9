// Lease pattern matcher (§9.2), with the edge cases of catalog §6.14 / §10 #30:
//
//   - anchored at both ends, case-sensitive; every character but `*` is literal (`?` too);
//   - `*` matches any run of characters other than `/`, possibly empty;
//   - `**` as a whole segment after a slash (`/a/**/b`, `/a/**`) matches zero or more whole
//     segments — so `/a/**` also matches `/a` itself;
//   - `**` anywhere else (`**/x`, `a**`, a lone `**`) matches any characters, `/` included.
//
// Matching never backtracks. A pattern compiles to a small NFA whose state set is a bit set
// (shift-and style): each target character costs a few bit operations per 32 states, so the
// worst case is O(|target| x |pattern| / 32) — a hostile `*a*a*a*a*b` pattern cannot stall
// the event loop the way a backtracking RegExp would. Before that, the literal prefix and
// suffix are checked with startsWith/endsWith, and common shapes (a literal, `prefix/**`,
// `prefix**`) never reach the NFA. Compiled patterns are cached.

const CHAR = 0; // consume one given character
const STAR = 1; // loop on any character but '/', or move on
const ANY = 2; // loop on any character, or move on
const SEGS = 3; // whole-segment `**` after a slash: skip two states, or consume '/' into the ANY that follows
const SLASH = 47;

type Kind = 'exact' | 'subtree' | 'prefix' | 'all' | 'nfa';

export interface CompiledGlob {
  readonly pattern: string;
  /** Literal characters every match starts with (used to bucket patterns). */
  readonly prefix: string;
  matches(target: string): boolean;
  /** Upper bound of the NFA work (32-bit word steps) a match against `targetLength` costs. */
  workFor(targetLength: number): number;
}

/** Pattern -> tokens (without the accepting state). */
function tokenize(pattern: string): { types: number[]; chars: number[] } {
  const types: number[] = [];
  const chars: number[] = [];
  const push = (t: number, c = -1) => {
    types.push(t);
    chars.push(c);
  };
  pattern.split('/').forEach((seg, i) => {
    if (seg === '**' && i > 0) {
      push(SEGS); // (?:/.*)? — the slash before it belongs to it
      push(ANY);
      return;
    }
    if (i > 0) push(CHAR, SLASH);
    for (let k = 0; k < seg.length; ) {
      if (seg[k] === '*') {
        let run = 0;
        while (seg[k] === '*') { run++; k++; }
        push(run >= 2 ? ANY : STAR);
      } else {
        push(CHAR, seg.charCodeAt(k));
        k++;
      }
    }
  });
  return { types, chars };
}

/** Epsilon closure of a one-word state set. */
function closeWord(v: number, e1: number, e2: number): number {
  for (;;) {
    const y = v | ((v & e1) << 1) | ((v & e2) << 2);
    if (y === v) return v;
    v = y;
  }
}

/**
 * The NFA between the literal prefix and suffix as bit masks over `words` 32-bit words;
 * state k is bit k % 32 of word k / 32, the accepting state is the last one.
 */
class BitNfa {
  readonly words: number;
  private readonly ascii: Int32Array; // [code * words + w]: CHAR states consuming `code` (< 128)
  private readonly other = new Map<number, Int32Array>();
  private readonly star: Int32Array;
  private readonly any: Int32Array;
  private readonly segs: Int32Array;
  private readonly eps1: Int32Array; // STAR/ANY: epsilon to the next state
  private readonly eps2: Int32Array; // SEGS: epsilon over the ANY that follows
  private readonly acceptWord: number;
  private readonly acceptBit: number;
  private readonly x: Int32Array; // scratch state sets (matching is synchronous)
  private readonly nx: Int32Array;
  private readonly none: Int32Array;

  constructor(types: number[], chars: number[], wordBits = 32) {
    const states = types.length + 1;
    const W = (this.words = Math.ceil(states / wordBits));
    const mask = () => new Int32Array(W);
    this.ascii = new Int32Array(128 * W);
    [this.star, this.any, this.segs, this.eps1, this.eps2, this.x, this.nx, this.none] = [mask(), mask(), mask(), mask(), mask(), mask(), mask(), mask()];
    // States are laid out `wordBits` per word (32 in production; tests use fewer to
    // exercise the carries between words on short patterns).
    const at = (k: number): [number, number] => [Math.floor(k / wordBits), 1 << k % wordBits];
    this.wordBits = wordBits;
    types.forEach((t, k) => {
      const [w, bit] = at(k);
      if (t === CHAR) {
        const c = chars[k];
        if (c < 128) this.ascii[c * W + w] |= bit;
        else {
          const m = this.other.get(c) ?? mask();
          m[w] |= bit;
          this.other.set(c, m);
        }
      } else if (t === STAR) { this.star[w] |= bit; this.eps1[w] |= bit; }
      else if (t === ANY) { this.any[w] |= bit; this.eps1[w] |= bit; }
      else if (t === SEGS) { this.segs[w] |= bit; this.eps2[w] |= bit; }
    });
    [this.acceptWord, this.acceptBit] = at(types.length);
  }

  private readonly wordBits: number;

  /** Does target[from, to) drive the NFA from its first state to the accepting one? */
  run(target: string, from: number, to: number): boolean {
    return this.words === 1 && this.wordBits === 32 ? this.runOneWord(target, from, to) : this.runWords(target, from, to);
  }

  /** One 32-bit word of states: the whole set lives in a local integer (the common case). */
  private runOneWord(target: string, from: number, to: number): boolean {
    const { ascii, any, star, segs, eps1, eps2 } = this;
    const a = any[0];
    const st = star[0];
    const sg = segs[0];
    const e1 = eps1[0];
    const e2 = eps2[0];
    let x = closeWord(1, e1, e2);
    for (let i = from; i < to; i++) {
      const c = target.charCodeAt(i);
      const consume = c < 128 ? ascii[c] : (this.other.get(c)?.[0] ?? 0);
      let nx = ((x & consume) << 1) | (x & a);
      nx |= c === SLASH ? (x & sg) << 1 : x & st;
      if (nx === 0) return false;
      x = closeWord(nx, e1, e2);
    }
    return (x & this.acceptBit) !== 0;
  }

  private runWords(target: string, from: number, to: number): boolean {
    const { x, nx, words: W, wordBits: B, ascii, any, star, segs } = this;
    const top = B - 1;
    const m = B === 32 ? -1 : (1 << B) - 1;
    x.fill(0);
    x[0] = 1;
    this.closure(x);
    for (let i = from; i < to; i++) {
      const c = target.charCodeAt(i);
      const slash = c === SLASH;
      let table = ascii;
      let base = c * W;
      if (c >= 128) {
        table = this.other.get(c) ?? this.none;
        base = 0;
      }
      let carryC = 0;
      let carryS = 0;
      let alive = 0;
      for (let w = 0; w < W; w++) {
        const xw = x[w];
        const xc = xw & table[base + w];
        let v = (xc << 1) | carryC | (xw & any[w]);
        carryC = (xc >>> top) & 1;
        if (slash) {
          const xs = xw & segs[w];
          v |= (xs << 1) | carryS;
          carryS = (xs >>> top) & 1;
        } else v |= xw & star[w];
        v &= m;
        nx[w] = v;
        alive |= v;
      }
      if (alive === 0) return false;
      x.set(nx);
      this.closure(x);
    }
    return (x[this.acceptWord] & this.acceptBit) !== 0;
  }

  /** Adds epsilon successors until nothing changes. */
  private closure(x: Int32Array): void {
    const top = this.wordBits - 1;
    const m = this.wordBits === 32 ? -1 : (1 << this.wordBits) - 1;
    for (let changed = true; changed; ) {
      changed = false;
      let c1 = 0;
      let c2 = 0;
      for (let w = 0; w < this.words; w++) {
        const e1 = x[w] & this.eps1[w];
        const e2 = x[w] & this.eps2[w];
        const v = (x[w] | (e1 << 1) | c1 | (e2 << 2) | c2) & m;
        c1 = (e1 >>> top) & 1;
        c2 = (e2 >>> (top - 1)) & 3;
        if (v !== x[w]) { x[w] = v; changed = true; }
      }
    }
  }
}

class Glob implements CompiledGlob {
  private readonly kind: Kind;
  readonly prefix: string; // literal characters before the first wildcard
  private readonly suffix: string; // literal characters after the last wildcard
  private readonly nfa?: BitNfa;

  constructor(readonly pattern: string, wordBits = 32) {
    const { types, chars } = tokenize(pattern);
    const n = types.length;
    let p = 0;
    while (p < n && types[p] === CHAR) p++;
    let s = n;
    while (s > p && types[s - 1] === CHAR) s--;
    this.prefix = String.fromCharCode(...chars.slice(0, p));
    this.suffix = String.fromCharCode(...chars.slice(s, n));
    this.kind =
      p === n ? 'exact'
      : p === n - 2 && types[p] === SEGS ? 'subtree'
      : p === n - 1 && types[p] === ANY ? (p === 0 ? 'all' : 'prefix')
      : 'nfa';
    // Only the middle needs the NFA: the suffix is fixed characters at the end of the target.
    if (this.kind === 'nfa') this.nfa = new BitNfa(types.slice(p, s), chars.slice(p, s), wordBits);
  }

  workFor(targetLength: number): number {
    return this.nfa === undefined ? 0 : targetLength * this.nfa.words;
  }

  matches(target: string): boolean {
    switch (this.kind) {
      case 'exact':
        return target === this.prefix;
      case 'subtree': // `L/**`: L itself or anything below it
        return target.startsWith(this.prefix) && (target.length === this.prefix.length || target.charCodeAt(this.prefix.length) === SLASH);
      case 'prefix':
        return target.startsWith(this.prefix);
      case 'all':
        return true;
      default:
        if (target.length < this.prefix.length + this.suffix.length) return false;
        if (!target.startsWith(this.prefix) || !target.endsWith(this.suffix)) return false;
        return this.nfa!.run(target, this.prefix.length, target.length - this.suffix.length);
    }
  }
}

/** Uncached compilation; tests pass a small `wordBits` to exercise multi-word state sets. */
export function compileGlobUncached(pattern: string, opts: { wordBits?: number } = {}): CompiledGlob {
  return new Glob(pattern, opts.wordBits ?? 32);
}

const CACHE_LIMIT = 4096;
const cache = new Map<string, CompiledGlob>();

/** Compiles (or fetches from the cache) the matcher for one lease pattern. */
export function compileGlob(pattern: string): CompiledGlob {
  let compiled = cache.get(pattern);
  if (compiled === undefined) {
    if (cache.size >= CACHE_LIMIT) cache.clear(); // bounded: patterns come from clients
    compiled = new Glob(pattern);
    cache.set(pattern, compiled);
  }
  return compiled;
}

/** One-shot convenience: does `pattern` match `target` (already canonical)? */
export function matchGlob(pattern: string, target: string): boolean {
  return compileGlob(pattern).matches(target);
}
