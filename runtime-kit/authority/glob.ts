// Lease pattern matcher (§9.2), with the edge cases of catalog §6.14 / §10 #30:
//
//   - anchored at both ends, case-sensitive; every character but `*` is literal (`?` too);
//   - `*` matches any run of characters other than `/`, possibly empty;
//   - `**` as a whole segment after a slash (`/a/**/b`, `/a/**`) matches zero or more whole
//     segments — so `/a/**` also matches `/a` itself;
//   - `**` anywhere else (`**/x`, `a**`, a lone `**`) matches any characters, `/` included.
//
// Matching never backtracks: a pattern compiles to a small NFA that is simulated over the
// target in O(|target| x |pattern|) — a hostile `*a*a*a*a*b` pattern cannot stall the runtime
// the way a backtracking RegExp would. Common shapes (literal, `prefix/**`) take a fast path;
// the literal prefix and suffix are checked with startsWith/endsWith, and the middle runs as
// a bit-parallel NFA (one 32-bit state set, a few bit operations per character) when it has
// at most 30 states, else as a plain state-list NFA.
// Compiled patterns are cached: a lease of 50 patterns is checked on a hot path.

const CHAR = 0; // consume one given character
const STAR = 1; // loop on any character but '/', or move on
const ANY = 2; // loop on any character, or move on
const SEGS = 3; // whole-segment `**` after a slash: skip two states, or consume '/' into the ANY that follows
const ACCEPT = 4;
const SLASH = 47;

type Kind = 'exact' | 'subtree' | 'prefix' | 'all' | 'nfa';

export interface CompiledGlob {
  readonly pattern: string;
  /** Literal characters every match starts with (used to bucket patterns). */
  readonly prefix: string;
  matches(target: string): boolean;
}

const MAX_BIT_STATES = 30;

/** Bit-parallel form of the NFA between the literal prefix and suffix. */
interface BitNfa {
  ascii: Int32Array; // char code < 128 -> CHAR states consuming it
  other: Map<number, number>;
  star: number;
  any: number;
  segs: number;
  eps1: number; // STAR/ANY: epsilon to the next state
  eps2: number; // SEGS: epsilon over the ANY that follows
  accept: number;
}

function closure(x: number, eps1: number, eps2: number): number {
  for (;;) {
    const y = x | ((x & eps1) << 1) | ((x & eps2) << 2);
    if (y === x) return x;
    x = y;
  }
}

class Nfa implements CompiledGlob {
  private readonly kind: Kind;
  private readonly types: Uint8Array;
  private readonly chars: Int32Array;
  readonly prefix: string; // literal characters before the first wildcard
  private readonly suffix: string; // literal characters after the last wildcard
  private readonly bits?: BitNfa;
  private readonly marks: Int32Array;
  private listA: Int32Array;
  private listB: Int32Array;
  private gen = 0;

  constructor(readonly pattern: string, maxBitStates = MAX_BIT_STATES) {
    const types: number[] = [];
    const chars: number[] = [];
    const push = (t: number, c = -1) => {
      types.push(t);
      chars.push(c);
    };
    const segments = pattern.split('/');
    segments.forEach((seg, i) => {
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
    push(ACCEPT);
    this.types = Uint8Array.from(types);
    this.chars = Int32Array.from(chars);
    const n = types.length - 1;
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
    if (this.kind === 'nfa' && s - p + 1 <= maxBitStates) this.bits = buildBits(types, chars, p, s);
    this.marks = new Int32Array(n + 1);
    this.listA = new Int32Array(n + 1);
    this.listB = new Int32Array(n + 1);
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
        if (!target.startsWith(this.prefix) || !target.endsWith(this.suffix)) return false;
        if (target.length < this.prefix.length + this.suffix.length) return false;
        return this.bits !== undefined ? this.simulateBits(this.bits, target) : this.simulate(target);
    }
  }

  private simulateBits(b: BitNfa, target: string): boolean {
    let x = closure(1, b.eps1, b.eps2);
    const end = target.length - this.suffix.length;
    for (let i = this.prefix.length; i < end; i++) {
      const c = target.charCodeAt(i);
      const consume = c < 128 ? b.ascii[c] : (b.other.get(c) ?? 0);
      let nx = ((x & consume) << 1) | (x & b.any);
      if (c === SLASH) nx |= (x & b.segs) << 1;
      else nx |= x & b.star;
      if (nx === 0) return false;
      x = closure(nx, b.eps1, b.eps2);
    }
    return (x & b.accept) !== 0;
  }

  private simulate(target: string): boolean {
    const { types, chars, marks } = this;
    if (this.gen > 0x3fffffff) { marks.fill(0); this.gen = 0; }
    let gen = ++this.gen;
    let cur = this.listA;
    let next = this.listB;
    let len = 0;
    let nextLen = 0;
    const add = (list: Int32Array, count: number, state: number): number => {
      for (;;) {
        if (marks[state] === gen) return count;
        marks[state] = gen;
        list[count++] = state;
        const t = types[state];
        if (t === STAR || t === ANY) state += 1;
        else if (t === SEGS) state += 2;
        else return count;
      }
    };
    len = add(cur, 0, this.prefix.length);
    for (let i = this.prefix.length; i < target.length; i++) {
      const ch = target.charCodeAt(i);
      gen = ++this.gen;
      nextLen = 0;
      for (let k = 0; k < len; k++) {
        const s = cur[k];
        switch (types[s]) {
          case CHAR: if (chars[s] === ch) nextLen = add(next, nextLen, s + 1); break;
          case STAR: if (ch !== SLASH) nextLen = add(next, nextLen, s); break;
          case ANY: nextLen = add(next, nextLen, s); break;
          case SEGS: if (ch === SLASH) nextLen = add(next, nextLen, s + 1); break;
        }
      }
      if (nextLen === 0) return false;
      const swap = cur; cur = next; next = swap;
      len = nextLen;
    }
    return marks[types.length - 1] === gen;
  }
}

function buildBits(types: number[], chars: number[], from: number, to: number): BitNfa {
  const b: BitNfa = { ascii: new Int32Array(128), other: new Map(), star: 0, any: 0, segs: 0, eps1: 0, eps2: 0, accept: 1 << (to - from) };
  for (let k = 0; k < to - from; k++) {
    const bit = 1 << k;
    switch (types[from + k]) {
      case CHAR: {
        const c = chars[from + k];
        if (c < 128) b.ascii[c] |= bit;
        else b.other.set(c, (b.other.get(c) ?? 0) | bit);
        break;
      }
      case STAR: b.star |= bit; b.eps1 |= bit; break;
      case ANY: b.any |= bit; b.eps1 |= bit; break;
      case SEGS: b.segs |= bit; b.eps2 |= bit; break;
    }
  }
  return b;
}

/** Uncached compilation; `maxBitStates: 0` forces the state-list NFA (tests cover both). */
export function compileGlobUncached(pattern: string, opts: { maxBitStates?: number } = {}): CompiledGlob {
  return new Nfa(pattern, opts.maxBitStates ?? MAX_BIT_STATES);
}

const CACHE_LIMIT = 4096;
const cache = new Map<string, CompiledGlob>();

/** Compiles (or fetches from the cache) the matcher for one lease pattern. */
export function compileGlob(pattern: string): CompiledGlob {
  let compiled = cache.get(pattern);
  if (compiled === undefined) {
    if (cache.size >= CACHE_LIMIT) cache.clear(); // bounded: patterns come from clients
    compiled = new Nfa(pattern);
    cache.set(pattern, compiled);
  }
  return compiled;
}

/** One-shot convenience: does `pattern` match `target` (already canonical)? */
export function matchGlob(pattern: string, target: string): boolean {
  return compileGlob(pattern).matches(target);
}
