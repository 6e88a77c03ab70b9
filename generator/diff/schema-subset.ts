// "Does every instance X accepts also pass Y?" answered conservatively over the JSON Schema
// keywords ARCP's schemas use. Each reason names an instance path and what X lets through that Y
// refuses; no reason means X ⊆ Y (for these keywords). Used by `arcp schema diff` with X a
// sender's schema and Y a receiver's. Atlassian's json-schema-diff computes the same set
// difference but supports neither `const` nor `enum`, which carry most of ARCP's wire facts.
import type { Json, JsonObject, SchemaDoc } from '../model/ir.js';

export interface SubsetReason {
  /** Instance path, e.g. `/payload/lease_request`. */
  readonly path: string;
  readonly what: string;
}

interface Side {
  readonly docs: ReadonlyMap<string, Json>;
}

interface Located {
  readonly schema: Json;
  readonly base: string;
}

const NUMERIC_TYPES = new Set(['integer', 'number']);

function isObject(v: Json | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function deepEqual(a: Json | undefined, b: Json | undefined): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function resolve(side: Side, ref: string, base: string): Located {
  const url = new URL(ref, base);
  const fragment = decodeURIComponent(url.hash.slice(1));
  url.hash = '';
  let node = side.docs.get(url.href);
  if (node === undefined) throw new Error(`$ref to unknown schema ${url.href}`);
  for (const raw of fragment === '' ? [] : fragment.slice(1).split('/')) {
    const part = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    node = isObject(node) ? node[part] : Array.isArray(node) ? node[Number(part)] : undefined;
    if (node === undefined) throw new Error(`$ref ${ref} does not resolve in ${url.href}`);
  }
  return { schema: node, base: url.href };
}

/** Follows bare `$ref`s and `$ref` beside other keywords (2020-12: both apply) into one view. */
function view(side: Side, at: Located, hops = 0): { own: JsonObject | boolean; refs: Located[] } {
  if (typeof at.schema === 'boolean') return { own: at.schema, refs: [] };
  if (!isObject(at.schema)) return { own: true, refs: [] };
  const base = typeof at.schema.$id === 'string' ? at.schema.$id : at.base;
  if (typeof at.schema.$ref === 'string' && hops < 64) {
    const { $ref, ...rest } = at.schema;
    return { own: rest, refs: [resolve(side, $ref as string, base)] };
  }
  return { own: at.schema, refs: [] };
}

function types(schema: JsonObject): Set<string> | null {
  if (schema.type === undefined) return null;
  return new Set(Array.isArray(schema.type) ? schema.type.map(String) : [String(schema.type)]);
}

function values(schema: JsonObject): Json[] | null {
  if (schema.const !== undefined) return [schema.const];
  if (Array.isArray(schema.enum)) return schema.enum;
  return null;
}

const describe = (v: Json) => JSON.stringify(v);

export class SubsetChecker {
  private readonly x: Side;
  private readonly y: Side;
  private readonly active = new Set<string>();
  private readonly sameMemo = new Map<string, boolean>();

  constructor(xDocs: readonly SchemaDoc[], yDocs: readonly SchemaDoc[]) {
    this.x = { docs: new Map(xDocs.map((d) => [d.id, d.schema as Json])) };
    this.y = { docs: new Map(yDocs.map((d) => [d.id, d.schema as Json])) };
  }

  /** Reasons why the document `xId` (of X) may accept an instance that `yId` (of Y) rejects. */
  compareDocuments(xId: string, yId: string): SubsetReason[] {
    const xs = this.x.docs.get(xId);
    const ys = this.y.docs.get(yId);
    if (xs === undefined || ys === undefined) throw new Error(`unknown schema ${xs === undefined ? xId : yId}`);
    const out: SubsetReason[] = [];
    this.compare({ schema: xs, base: xId }, { schema: ys, base: yId }, '', out);
    return dedupe(out);
  }

  /**
   * Same text and every `$ref` inside resolving to the same text on both sides, transitively:
   * then X = Y exactly. The keyword rules below are conservative approximations, so they only
   * ever run on the parts of a schema that really changed.
   */
  private same(x: Located, y: Located, seen = new Set<string>()): boolean {
    if (!deepEqual(x.schema, y.schema)) return false;
    const refs: [string, string, string][] = [];
    collectRefs(x.schema, x.base, y.base, refs);
    for (const [ref, xBase, yBase] of refs) {
      const key = `${new URL(ref, xBase).href}|${new URL(ref, yBase).href}`;
      if (seen.has(key)) continue;
      seen.add(key);
      let xt: Located;
      let yt: Located;
      try {
        xt = resolve(this.x, ref, xBase);
        yt = resolve(this.y, ref, yBase);
      } catch {
        return false;
      }
      if (!this.same(xt, yt, seen)) return false;
    }
    return true;
  }

  private compare(x: Located, y: Located, path: string, out: SubsetReason[]): void {
    const memo = `${x.base}|${y.base}|${JSON.stringify(x.schema)}|${JSON.stringify(y.schema)}`;
    let same = this.sameMemo.get(memo);
    if (same === undefined) {
      same = this.same(x, y);
      this.sameMemo.set(memo, same);
    }
    if (same) return;
    // Recursive schemas: a pair already under comparison is assumed to hold (co-induction).
    const key = `${x.base}|${JSON.stringify(x.schema)}|${y.base}|${JSON.stringify(y.schema)}`;
    if (this.active.has(key)) return;
    this.active.add(key);
    try {
      this.compareViews(x, y, path, out);
    } finally {
      this.active.delete(key);
    }
  }

  private compareViews(x: Located, y: Located, path: string, out: SubsetReason[]): void {
    const xv = view(this.x, x);
    const yv = view(this.y, y);
    // Y's constraints must each be implied by X: check Y's $ref target and Y's own keywords.
    for (const yr of yv.refs) this.compare(x, yr, path, out);
    if (yv.own === true) return;
    if (xv.own === false) return;
    if (yv.own === false) {
      out.push({ path, what: 'the receiver accepts nothing here' });
      return;
    }
    // X's $ref target narrows X: compare the target (X ∩ target ⊆ X's target), and X's own part.
    const xs: JsonObject = xv.own === true ? {} : xv.own;
    if (xv.refs.length > 0 && Object.keys(xs).every((k) => !CONSTRAINTS.has(k))) {
      for (const xr of xv.refs) this.compare(xr, { schema: yv.own, base: y.base }, path, out);
      return;
    }
    this.compareObjects({ schema: xs, base: x.base }, xv.refs, { schema: yv.own, base: y.base }, path, out);
  }

  private compareObjects(x: Located, xRefs: Located[], y: Located, path: string, out: SubsetReason[]): void {
    const xs = x.schema as JsonObject;
    const ys = y.schema as JsonObject;

    // Combinators on the receiver side.
    if (Array.isArray(ys.allOf)) for (const branch of ys.allOf) this.compare(x, { schema: branch, base: y.base }, path, out);
    for (const k of ['anyOf', 'oneOf'] as const) {
      if (!Array.isArray(ys[k])) continue;
      const branches = ys[k] as Json[];
      const direct = this.closestBranch(x, branches, y.base, path);
      if (direct.length === 0) continue;
      // X itself a union: each of its branches must fit some branch of Y.
      const xb = Array.isArray(xs.anyOf) ? xs.anyOf : Array.isArray(xs.oneOf) ? xs.oneOf : null;
      if (xb !== null) {
        const perBranch = xb.map((b) => this.closestBranch({ schema: { ...stripUnion(xs), ...asObject(b) }, base: x.base }, branches, y.base, path));
        if (perBranch.every((r) => r.length === 0)) continue;
        out.push(...perBranch.flat());
        continue;
      }
      out.push(...direct);
    }
    for (const k of ['if', 'not'] as const) {
      if (ys[k] !== undefined && !deepEqual(xs[k], ys[k])) out.push({ path, what: `the receiver's "${k}" condition changed` });
    }
    if (ys.if !== undefined && (!deepEqual(xs.then, ys.then) || !deepEqual(xs.else, ys.else))) {
      out.push({ path, what: 'the receiver\'s conditional (if/then/else) changed' });
    }
    // A union in X with no union in Y: every branch of X must fit Y.
    const xUnion = Array.isArray(xs.anyOf) ? xs.anyOf : Array.isArray(xs.oneOf) ? xs.oneOf : null;
    if (xUnion !== null && ys.anyOf === undefined && ys.oneOf === undefined) {
      const rest = stripUnion(ys);
      for (const b of xUnion) this.compare({ schema: { ...stripUnion(xs), ...asObject(b) }, base: x.base }, { schema: rest, base: y.base }, path, out);
      return;
    }

    const xAll = [xs, ...(Array.isArray(xs.allOf) ? xs.allOf.filter(isObject) : []), ...xRefs.map((r) => r.schema).filter(isObject)];
    const pick = <T>(f: (s: JsonObject) => T | null): T | null => {
      for (const s of xAll) {
        const v = f(s);
        if (v !== null) return v;
      }
      return null;
    };

    // Values.
    const yValues = values(ys);
    if (yValues !== null) {
      const xValues = pick(values);
      if (xValues === null) out.push({ path, what: `may be any value; the receiver accepts only ${yValues.map(describe).join(', ')}` });
      else {
        const extra = xValues.filter((v) => !yValues.some((w) => deepEqual(v, w)));
        if (extra.length > 0) out.push({ path, what: `value ${extra.map(describe).join(', ')} is rejected by the receiver` });
      }
    }
    // Types.
    const yTypes = types(ys);
    if (yTypes !== null) {
      const xValues = pick(values);
      const xTypes = pick(types) ?? (xValues === null ? null : new Set(xValues.map(jsonType)));
      if (xTypes === null) out.push({ path, what: `may be of any type; the receiver accepts only ${[...yTypes].join(' | ')}` });
      else {
        const extra = [...xTypes].filter((t) => !yTypes.has(t) && !(t === 'integer' && yTypes.has('number')));
        if (extra.length > 0) out.push({ path, what: `type ${extra.join(' | ')} is rejected by the receiver (accepts ${[...yTypes].join(' | ')})` });
      }
    }
    // Bounds: X's must be at least as tight as Y's.
    const pinned = pick(values);
    for (const [kw, tighter] of BOUNDS) {
      if (typeof ys[kw] !== 'number') continue;
      if (pinned !== null && pinned.every((v) => withinBound(kw, v, ys[kw] as number))) continue;
      const xb = pick((s) => (typeof s[kw] === 'number' ? (s[kw] as number) : null));
      if (xb === null || !tighter(xb, ys[kw] as number)) {
        out.push({ path, what: `${kw} ${String(ys[kw])} on the receiver, ${xb === null ? 'none' : String(xb)} on the sender` });
      }
    }
    for (const kw of ['pattern', 'format', 'multipleOf', 'uniqueItems'] as const) {
      if (ys[kw] === undefined) continue;
      const xv = pick((s) => (s[kw] !== undefined ? s[kw] : null));
      const xValues = pick(values);
      if (kw === 'pattern' && xValues !== null && xValues.every((v) => typeof v === 'string' && new RegExp(String(ys.pattern), 'u').test(v))) continue;
      if (!deepEqual(xv ?? undefined, ys[kw])) out.push({ path, what: `${kw} ${describe(ys[kw]!)} on the receiver, ${xv === null ? 'none' : describe(xv)} on the sender` });
    }
    // Objects.
    if (Array.isArray(ys.required)) {
      const xRequired = new Set(xAll.flatMap((s) => (Array.isArray(s.required) ? s.required.map(String) : [])));
      for (const r of ys.required.map(String)) {
        if (!xRequired.has(r)) out.push({ path: `${path}/${r}`, what: 'required by the receiver, optional for the sender' });
      }
    }
    const xProps = mergeProperties(xAll);
    if (isObject(ys.properties)) {
      for (const [name, sub] of Object.entries(ys.properties)) {
        const xp = xProps.get(name);
        if (xp !== undefined) this.compare({ schema: xp, base: x.base }, { schema: sub, base: y.base }, `${path}/${name}`, out);
      }
    }
    if (ys.additionalProperties !== undefined && ys.additionalProperties !== true) {
      const closed = xAll.some((s) => s.additionalProperties === false);
      const known = isObject(ys.properties) ? new Set(Object.keys(ys.properties)) : new Set<string>();
      if (!closed) out.push({ path, what: 'may carry fields the receiver refuses (additionalProperties)' });
      else for (const name of xProps.keys()) if (!known.has(name)) out.push({ path: `${path}/${name}`, what: 'a field the receiver refuses (additionalProperties: false)' });
    }
    if (ys.propertyNames !== undefined && !deepEqual(pick((s) => s.propertyNames ?? null) ?? undefined, ys.propertyNames)) {
      out.push({ path, what: 'the receiver\'s propertyNames changed' });
    }
    if (isObject(ys.dependentRequired) && !deepEqual(pick((s) => s.dependentRequired ?? null) ?? undefined, ys.dependentRequired)) {
      out.push({ path, what: 'the receiver\'s dependentRequired changed' });
    }
    // Arrays.
    if (ys.items !== undefined) {
      const xi = pick((s) => (s.items !== undefined ? s.items : null));
      if (xi === null) out.push({ path: `${path}/*`, what: 'items are unconstrained on the sender' });
      else this.compare({ schema: xi, base: x.base }, { schema: ys.items, base: y.base }, `${path}/*`, out);
    }
  }

  /** The reasons of the receiver's branch that X misses least ([] when one branch holds). */
  private closestBranch(x: Located, branches: Json[], base: string, path: string): SubsetReason[] {
    let best: SubsetReason[] | null = null;
    for (const b of branches) {
      const probe: SubsetReason[] = [];
      this.compare(x, { schema: b, base }, path, probe);
      if (probe.length === 0) return [];
      if (best === null || probe.length < best.length) best = probe;
    }
    return best ?? [];
  }
}

/** Keywords that constrain instances (everything else is an annotation). */
const CONSTRAINTS = new Set([
  'type', 'const', 'enum', 'required', 'properties', 'additionalProperties', 'items', 'minLength', 'maxLength', 'minimum',
  'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'minItems', 'maxItems', 'minProperties', 'maxProperties', 'pattern',
  'format', 'anyOf', 'oneOf', 'allOf', 'not', 'if', 'then', 'else', 'dependentRequired', 'propertyNames', 'multipleOf', 'uniqueItems',
]);

const BOUNDS: ReadonlyArray<readonly [string, (x: number, y: number) => boolean]> = [
  ['minimum', (x, y) => x >= y], ['exclusiveMinimum', (x, y) => x >= y], ['minLength', (x, y) => x >= y],
  ['minItems', (x, y) => x >= y], ['minProperties', (x, y) => x >= y],
  ['maximum', (x, y) => x <= y], ['exclusiveMaximum', (x, y) => x <= y], ['maxLength', (x, y) => x <= y],
  ['maxItems', (x, y) => x <= y], ['maxProperties', (x, y) => x <= y],
];

/** Every `$ref` in a schema, with the base it resolves against on each side (nested `$id`s move it). */
function collectRefs(node: Json, xBase: string, yBase: string, out: [string, string, string][]): void {
  if (Array.isArray(node)) {
    for (const v of node) collectRefs(v, xBase, yBase, out);
    return;
  }
  if (!isObject(node)) return;
  const xb = typeof node.$id === 'string' ? new URL(node.$id, xBase).href : xBase;
  const yb = typeof node.$id === 'string' ? new URL(node.$id, yBase).href : yBase;
  if (typeof node.$ref === 'string') out.push([node.$ref, xb, yb]);
  for (const [k, v] of Object.entries(node)) if (k !== 'examples' && k !== 'enum' && k !== 'const') collectRefs(v, xb, yb, out);
}

/** Whether one pinned value satisfies a bound keyword (keywords for other types hold vacuously). */
function withinBound(kw: string, v: Json, bound: number): boolean {
  const size = typeof v === 'string' ? [...v].length : Array.isArray(v) ? v.length : isObject(v) ? Object.keys(v).length : null;
  const n = typeof v === 'number' ? v : null;
  switch (kw) {
    case 'minimum': return n === null || n >= bound;
    case 'exclusiveMinimum': return n === null || n > bound;
    case 'maximum': return n === null || n <= bound;
    case 'exclusiveMaximum': return n === null || n < bound;
    case 'minLength': return typeof v !== 'string' || size! >= bound;
    case 'maxLength': return typeof v !== 'string' || size! <= bound;
    case 'minItems': return !Array.isArray(v) || size! >= bound;
    case 'maxItems': return !Array.isArray(v) || size! <= bound;
    default: return isObject(v) ? (kw === 'minProperties' ? size! >= bound : size! <= bound) : true;
  }
}

function jsonType(v: Json): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function asObject(v: Json): JsonObject {
  return isObject(v) ? v : {};
}

function stripUnion(s: JsonObject): JsonObject {
  const { anyOf: _a, oneOf: _o, ...rest } = s;
  return rest;
}

function mergeProperties(all: readonly JsonObject[]): Map<string, Json> {
  const props = new Map<string, Json>();
  for (const s of all) if (isObject(s.properties)) for (const [k, v] of Object.entries(s.properties)) if (!props.has(k)) props.set(k, v);
  return props;
}

function dedupe(reasons: SubsetReason[]): SubsetReason[] {
  const seen = new Set<string>();
  return reasons.filter((r) => {
    const k = `${r.path}\u0000${r.what}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
