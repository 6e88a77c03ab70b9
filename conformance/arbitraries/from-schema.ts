// JSON Schema (draft 2020-12 subset used by schema/) -> fast-check arbitrary. Written here because
// the npm candidate (json-schema-fast-check 0.0.6) pins fast-check 1 and faker 4: a second fast-check
// would lose seeds and shrinking. Values are best-effort valid; callers filter with the generated
// strict validator, so an unsupported keyword costs a filtered case, never a false verdict.
import fc from 'fast-check';

export type Schema = boolean | Record<string, unknown>;

/** Every subschema that declares an `$id`, by that id (works for any bundle layout). */
export function indexSchemas(bundle: unknown): Map<string, Record<string, unknown>> {
  const index = new Map<string, Record<string, unknown>>();
  const walk = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(walk);
    const o = node as Record<string, unknown>;
    if (typeof o.$id === 'string' && !index.has(o.$id)) index.set(o.$id, o);
    for (const v of Object.values(o)) walk(v);
  };
  walk(bundle);
  return index;
}

interface Ctx {
  readonly index: Map<string, Record<string, unknown>>;
  readonly base: string;
  readonly depth: number;
}

function resolvePointer(root: unknown, pointer: string): unknown {
  if (pointer === '' || pointer === '/') return root;
  let cur: unknown = root;
  for (const raw of pointer.replace(/^\//, '').split('/')) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    cur = cur && typeof cur === 'object' ? (cur as Record<string, unknown>)[key] : undefined;
  }
  return cur;
}

function resolveRef(ref: string, ctx: Ctx): { schema: Schema; base: string } {
  const url = new URL(ref, ctx.base);
  const doc = url.href.split('#')[0];
  const root = ctx.index.get(doc);
  if (!root) throw new Error(`unresolvable $ref ${ref} from ${ctx.base}`);
  const target = resolvePointer(root, url.hash.slice(1));
  if (target === undefined) throw new Error(`unresolvable pointer in $ref ${ref}`);
  return { schema: target as Schema, base: doc };
}

const smallJson = fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<unknown>;

function stringArb(s: Record<string, unknown>): fc.Arbitrary<string> {
  if (s.format === 'date-time') {
    return fc.date({ min: new Date('2030-01-01T00:00:00Z'), max: new Date('2039-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString());
  }
  const minLength = typeof s.minLength === 'number' ? s.minLength : 0;
  const maxLength = typeof s.maxLength === 'number' ? Math.min(s.maxLength, minLength + 24) : minLength + 24;
  if (typeof s.pattern === 'string') {
    // fast-check cannot generate lookaheads: generate without them, filter with the full pattern.
    const full = new RegExp(s.pattern);
    const max = typeof s.maxLength === 'number' ? s.maxLength : Infinity;
    return fc
      .stringMatching(new RegExp(s.pattern.replace(/\(\?![^)]*\)/g, '')))
      .filter((x) => full.test(x) && x.length >= minLength && x.length <= max);
  }
  return fc.string({ minLength, maxLength });
}

function numberArb(s: Record<string, unknown>, integer: boolean): fc.Arbitrary<number> {
  const lo = typeof s.minimum === 'number' ? s.minimum : typeof s.exclusiveMinimum === 'number' ? s.exclusiveMinimum + (integer ? 1 : 1e-6) : -1e6;
  const hi = typeof s.maximum === 'number' ? s.maximum : typeof s.exclusiveMaximum === 'number' ? s.exclusiveMaximum - (integer ? 1 : 1e-6) : 1e6;
  if (integer) return fc.integer({ min: Math.ceil(lo), max: Math.floor(Math.min(hi, Number.MAX_SAFE_INTEGER)) });
  return fc.double({ min: lo, max: hi, noNaN: true, noDefaultInfinity: true });
}

function objectArb(s: Record<string, unknown>, ctx: Ctx): fc.Arbitrary<Record<string, unknown>> {
  const props = (s.properties ?? {}) as Record<string, Schema>;
  const required = new Set(Array.isArray(s.required) ? (s.required as string[]) : []);
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [key, sub] of Object.entries(props)) {
    if (sub === false) continue;
    // Deep optional keys are dropped past a depth to keep values small.
    if (!required.has(key) && ctx.depth > 4) continue;
    model[key] = arbitraryFor(sub, { ...ctx, depth: ctx.depth + 1 });
  }
  for (const key of required) if (!(key in model)) model[key] = smallJson;
  if (Object.keys(model).length === 0 && s.additionalProperties && typeof s.additionalProperties === 'object') {
    const val = arbitraryFor(s.additionalProperties as Schema, { ...ctx, depth: ctx.depth + 1 });
    return fc.dictionary(fc.stringMatching(/^[a-z][a-z0-9._-]{0,10}$/), val, { maxKeys: 3 });
  }
  return fc.record(model, { requiredKeys: [...required].filter((k) => k in model) });
}

/** An arbitrary for values of `schema` (refs resolved against `base` in `index`). */
export function arbitraryFor(schema: Schema, ctx: Ctx): fc.Arbitrary<unknown> {
  if (schema === true) return smallJson;
  if (schema === false) return fc.constant(undefined);
  const s = schema;
  const here: Ctx = typeof s.$id === 'string' ? { ...ctx, base: s.$id } : ctx;
  if (typeof s.$ref === 'string') {
    const r = resolveRef(s.$ref, here);
    return arbitraryFor(r.schema, { ...here, base: r.base });
  }
  if ('const' in s) return fc.constant(s.const);
  if (Array.isArray(s.enum)) return fc.constantFrom(...(s.enum as unknown[]));
  const branches = (s.oneOf ?? s.anyOf) as Schema[] | undefined;
  if (Array.isArray(branches) && branches.length > 0) {
    return fc.oneof(...branches.map((b) => arbitraryFor(b, here)));
  }
  if (Array.isArray(s.allOf) && s.allOf.length > 0) {
    // Merge object parts; other keywords of the first part win.
    const parts = s.allOf as Record<string, unknown>[];
    const merged: Record<string, unknown> = { type: 'object', properties: {}, required: [] };
    for (const p of [s, ...parts]) {
      const resolved = typeof p.$ref === 'string' ? (resolveRef(p.$ref as string, here).schema as Record<string, unknown>) : p;
      Object.assign(merged.properties as object, resolved.properties ?? {});
      (merged.required as string[]).push(...((resolved.required as string[]) ?? []));
    }
    return objectArb(merged, here);
  }
  const type = s.type;
  if (Array.isArray(type)) return fc.oneof(...type.map((t) => arbitraryFor({ ...s, type: t }, here)));
  if (ctx.depth > 8) return fc.constant(type === 'object' ? {} : type === 'array' ? [] : null);
  switch (type) {
    case 'object':
      return objectArb(s, here);
    case 'array': {
      const items = (s.items ?? true) as Schema;
      const minLength = typeof s.minItems === 'number' ? s.minItems : 0;
      const maxLength = Math.min(typeof s.maxItems === 'number' ? s.maxItems : 3, minLength + 3);
      return fc.array(arbitraryFor(items, { ...here, depth: here.depth + 1 }), { minLength, maxLength });
    }
    case 'string':
      return stringArb(s);
    case 'integer':
      return numberArb(s, true);
    case 'number':
      return numberArb(s, false);
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    default:
      if (s.properties || s.required) return objectArb(s, here);
      return smallJson;
  }
}

/** Arbitrary for the schema with `$id` `id` in the bundle index. */
export function arbitraryForId(index: Map<string, Record<string, unknown>>, id: string): fc.Arbitrary<unknown> {
  const root = index.get(id);
  if (!root) throw new Error(`no schema with $id ${id}`);
  return arbitraryFor(root, { index, base: id, depth: 0 });
}

/** Arbitrary for `ref` (e.g. `#/definitions/JobSubmit`) resolved against the document `baseId`. */
export function arbitraryForRef(index: Map<string, Record<string, unknown>>, baseId: string, ref: string): fc.Arbitrary<unknown> {
  return arbitraryFor({ $ref: ref }, { index, base: baseId, depth: 0 });
}
