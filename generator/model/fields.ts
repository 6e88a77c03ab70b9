// Flattens a message or event-body schema into the field rows shown in the reference docs:
// envelope fields, then payload fields one level deep, with a short type summary each.
import { resolveRef } from '../load/refs.js';
import type { FieldModel, Json, JsonObject } from './ir.js';
import { getPointer, isObject } from './schema-walk.js';

/** Looks up schema documents by `$id`. */
export type DocLookup = (id: string) => JsonObject | undefined;

export interface Located {
  readonly schema: JsonObject;
  readonly baseId: string;
}

/** Follows `$ref`s (up to 10 hops) to the schema they name. */
export function follow(located: Located, lookup: DocLookup): Located {
  let current = located;
  for (let hops = 0; hops < 10 && typeof current.schema.$ref === 'string'; hops++) {
    const { docId, pointer } = resolveRef(current.baseId, current.schema.$ref);
    const target = getPointer(lookup(docId) ?? {}, pointer);
    if (!isObject(target)) break;
    current = { schema: target, baseId: docId };
  }
  return current;
}

/** Short human type summary: `string`, `integer >= 1`, `"1.1"`, `Lease`, `string[]`, `a | b`. */
export function summarize(schema: Json, baseId: string, lookup: DocLookup): string {
  if (schema === true) return 'any';
  if (schema === false) return 'never (forbidden)';
  if (!isObject(schema)) return 'any';
  if (typeof schema.$ref === 'string') {
    const target = follow({ schema, baseId }, lookup).schema;
    return typeof target.title === 'string' ? target.title : summarize(target, baseId, lookup);
  }
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  if (Array.isArray(schema.enum)) return schema.enum.map((v) => JSON.stringify(v)).join(' \\| ');
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (Array.isArray(alternatives)) return alternatives.map((a) => summarize(a, baseId, lookup)).join(' \\| ');
  const types = Array.isArray(schema.type) ? schema.type : typeof schema.type === 'string' ? [schema.type] : [];
  const parts = types.map((t) => {
    if (t === 'array') return `${summarize(schema.items ?? true, baseId, lookup)}[]`;
    let text = String(t);
    if (typeof schema.format === 'string') text += ` (${schema.format})`;
    if (typeof schema.minimum === 'number') text += ` >= ${schema.minimum}`;
    if (typeof schema.exclusiveMinimum === 'number') text += ` > ${schema.exclusiveMinimum}`;
    if (typeof schema.minLength === 'number' && schema.minLength > 0) text += ', non-empty';
    return text;
  });
  if (parts.length > 0) return parts.join(' \\| ');
  return typeof schema.title === 'string' ? schema.title : 'any';
}

/** Collects properties/required across `allOf` members and `$ref`s. */
function collectObject(located: Located, lookup: DocLookup): { props: Map<string, Located>; required: Set<string>; extra: Set<string> } {
  const props = new Map<string, Located>();
  const required = new Set<string>();
  const extra = new Set<string>();
  const visit = (loc: Located, depth: number): void => {
    if (depth > 8) return;
    const here = follow(loc, lookup);
    const s = here.schema;
    // allOf members (the shared envelope) first, so their field order leads and the message's
    // own, tighter property schemas replace them below.
    if (Array.isArray(s.allOf)) for (const m of s.allOf) if (isObject(m)) visit({ schema: m, baseId: here.baseId }, depth + 1);
    if (isObject(s.properties)) {
      for (const [k, v] of Object.entries(s.properties)) if (isObject(v)) props.set(k, { schema: v, baseId: here.baseId });
    }
    if (Array.isArray(s.required)) for (const k of s.required) if (typeof k === 'string') required.add(k);
    if (isObject(s['x-arcp-accept-extra'])) {
      for (const [k, v] of Object.entries(s['x-arcp-accept-extra'])) {
        extra.add(k);
        if (isObject(v)) props.set(k, { schema: v, baseId: here.baseId });
      }
    }
  };
  visit(located, 0);
  return { props, required, extra };
}

function rows(located: Located, prefix: string, lookup: DocLookup): FieldModel[] {
  const { props, required, extra } = collectObject(located, lookup);
  return [...props.entries()].map(([name, loc]) => ({
    pointer: `${prefix}/${name}`,
    name,
    required: required.has(name),
    summary: summarize(loc.schema, loc.baseId, lookup),
    description: oneLine(follow(loc, lookup).schema.description ?? loc.schema.description),
    acceptOnly: extra.has(name),
  }));
}

function oneLine(value: Json | undefined): string {
  return typeof value === 'string' ? value.replace(/\s+/g, ' ').replace(/\|/g, '\\|').trim() : '';
}

/** Field rows of a message: top-level (envelope) fields then `/payload/*` fields. */
export function messageFields(doc: JsonObject, lookup: DocLookup): FieldModel[] {
  const root: Located = { schema: doc, baseId: String(doc.$id) };
  const top = rows(root, '', lookup);
  const payload = collectObject(root, lookup).props.get('payload');
  return payload === undefined ? top : [...top, ...rows(payload, '/payload', lookup)];
}

/** Field rows of an event body. */
export function bodyFields(doc: JsonObject, lookup: DocLookup): FieldModel[] {
  return rows({ schema: doc, baseId: String(doc.$id) }, '', lookup);
}
