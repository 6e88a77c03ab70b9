// Test-only: worst-case instances for validation cost, derived from the schemas themselves so a new
// message, event kind or array field is covered without editing this file. For one root schema it
// finds every place an instance can grow (arrays, objects that take extra or free-form keys) by
// walking properties / items / combinators / `$ref`s, then builds frames from a valid example with
// that place blown up to `n` elements: arrays of failing items, arrays of valid items then one
// failing item, `n` extra keys, and nesting `n` levels deep.
import { resolveRef } from '../../load/refs.js';
import type { Json, JsonObject, SchemaDoc } from '../../model/ir.js';
import { getPointer, isObject } from '../../model/schema-walk.js';

/** Instance path segments; `*` stands for "some item of this array". */
export type Path = readonly string[];
export interface Spot { readonly path: Path; readonly kind: 'array' | 'object' }
export interface WorstCase { readonly label: string; readonly build: (n: number) => unknown }

const MAX_DEPTH = 12;
const COMBINATORS = ['anyOf', 'oneOf', 'allOf'] as const;
const BRANCHES = ['then', 'else', 'not'] as const;

/** Every growable place reachable from `rootId`, deduplicated, in a stable order. */
export function growthSpots(docs: readonly SchemaDoc[], rootId: string): Spot[] {
  const byId = new Map(docs.map((d) => [d.id, d.schema]));
  const spots = new Map<string, Spot>();
  const walk = (schema: Json | undefined, baseId: string, path: Path, onStack: ReadonlySet<string>) => {
    if (!isObject(schema) || path.length > MAX_DEPTH) return;
    if (typeof schema.$ref === 'string') {
      const { docId, pointer } = resolveRef(baseId, schema.$ref);
      const key = `${docId}#${pointer}|${path.join('/')}`;
      if (!onStack.has(key)) walk(getPointer(byId.get(docId) ?? null, pointer), docId, path, new Set([...onStack, key]));
    }
    const base = typeof schema.$id === 'string' ? schema.$id : baseId;
    if (schema.type === 'array' || schema.items !== undefined) {
      spots.set(`${path.join('/')}|array`, { path, kind: 'array' });
      walk(schema.items, base, [...path, '*'], onStack);
    }
    if (schema.type === 'object' || schema.properties !== undefined || schema.additionalProperties !== undefined) {
      spots.set(`${path.join('/')}|object`, { path, kind: 'object' });
    }
    if (isObject(schema.properties)) {
      for (const [name, sub] of Object.entries(schema.properties)) walk(sub, base, [...path, name], onStack);
    }
    if (isObject(schema.additionalProperties)) walk(schema.additionalProperties, base, [...path, 'extra_key'], onStack);
    for (const c of COMBINATORS) if (Array.isArray(schema[c])) for (const sub of schema[c] as Json[]) walk(sub, base, path, onStack);
    for (const b of BRANCHES) walk(schema[b], base, path, onStack);
  };
  walk(byId.get(rootId), rootId, [], new Set());
  return [...spots.values()].sort((a, b) => `${a.path.join('/')}|${a.kind}`.localeCompare(`${b.path.join('/')}|${b.kind}`));
}

function clone<T>(value: T): T {
  return structuredClone(value);
}

/** Reads the value at `path` (first item for `*`), or undefined. */
function readAt(root: unknown, path: Path): unknown {
  let node = root;
  for (const seg of path) {
    if (seg === '*') node = Array.isArray(node) ? node[0] : undefined;
    else node = typeof node === 'object' && node !== null && !Array.isArray(node) ? (node as Record<string, unknown>)[seg] : undefined;
    if (node === undefined) return undefined;
  }
  return node;
}

/** A copy of `root` with `value` at `path`, creating the objects / one-item arrays on the way. */
function writeAt(root: unknown, path: Path, value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  if (head === '*') {
    const list = Array.isArray(root) ? [...root] : [];
    list[0] = writeAt(list[0], rest, value);
    return list;
  }
  const object = typeof root === 'object' && root !== null && !Array.isArray(root) ? { ...(root as object) } : {};
  (object as Record<string, unknown>)[head] = writeAt((object as Record<string, unknown>)[head], rest, value);
  return object;
}

function nested(depth: number, leaf: unknown, asObject: boolean): unknown {
  let node = leaf;
  for (let i = 0; i < depth; i++) node = asObject ? { a: node } : [node];
  return node;
}

/** Item values that fail most item schemas in different ways (wrong type, empty, missing keys). */
const BAD_ITEMS: readonly unknown[] = [5, '', {}, [], null, { name: 5, versions: 5, kind: 5, body: 5 }];

/** The worst cases of one spot, starting from `example` (a valid instance of the root). */
export function worstCasesAt(example: unknown, spot: Spot): WorstCase[] {
  const at = spot.path.join('/') || '(root)';
  const base = clone(example);
  const cases: WorstCase[] = [];
  const put = (label: string, build: (n: number) => unknown) =>
    cases.push({ label: `${at} ${label}`, build: (n) => writeAt(base, spot.path, build(n)) });
  if (spot.kind === 'array') {
    for (const bad of BAD_ITEMS) put(`${JSON.stringify(bad)} x n`, (n) => Array.from({ length: n }, () => clone(bad)));
    put('mixed bad items x n', (n) => Array.from({ length: n }, (_, i) => clone(BAD_ITEMS[i % BAD_ITEMS.length])));
    const current = readAt(base, spot.path);
    if (Array.isArray(current) && current.length > 0) {
      // A valid prefix then one bad item: the validator must walk all of it, once.
      put('valid items x n then one bad', (n) => [...Array.from({ length: n }, (_, i) => clone(current[i % current.length])), 5]);
    }
    put('nested n deep', (n) => [nested(n, 5, false)]);
  } else {
    const current = readAt(base, spot.path);
    const own = typeof current === 'object' && current !== null && !Array.isArray(current) ? current : {};
    put('n extra keys', (n) => ({ ...own, ...Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, 5])) }));
    put('n extra keys of objects', (n) => ({ ...own, ...Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, { a: [5] }])) }));
    put('nested n deep', (n) => nested(n, 5, true));
  }
  return cases;
}

/** All worst cases of a root schema, from one valid example of it. */
export function worstCases(docs: readonly SchemaDoc[], rootId: string, example: unknown): WorstCase[] {
  return growthSpots(docs, rootId).flatMap((spot) => worstCasesAt(example, spot));
}

/** A valid example of a schema root: its first `examples` entry. */
export function firstExample(docs: readonly SchemaDoc[], rootId: string): Json | undefined {
  const schema: JsonObject | undefined = docs.find((d) => d.id === rootId)?.schema;
  return Array.isArray(schema?.examples) ? (schema.examples as Json[])[0] : undefined;
}
