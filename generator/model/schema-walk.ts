// Generic traversal of a JSON Schema document that never descends into instance data
// (`examples`, `const`, `enum`, `default`), so a `$ref` or `x-arcp-*` key inside an example is
// never mistaken for a keyword. Used by the ref checker, the bundler and the lenient rewrite.
import type { Json, JsonObject } from './ir.js';

const DATA_KEYWORDS = new Set(['examples', 'const', 'enum', 'default', 'x-arcp']);
/** Keywords whose value maps names to subschemas: a key inside them is a name, never a keyword. */
const NAME_MAPS = new Set(['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas', 'x-arcp-accept-extra']);

export function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Rebuilds a schema bottom-up: `rewrite` sees each schema object after its children were
 * rewritten and returns its replacement. Inputs are never mutated.
 */
export function mapSchema(node: Json, rewrite: (schema: JsonObject) => Json): Json {
  if (Array.isArray(node)) return node.map((item) => mapSchema(item, rewrite));
  if (!isObject(node)) return node;
  const out: { [key: string]: Json } = {};
  for (const [key, value] of Object.entries(node)) {
    if (DATA_KEYWORDS.has(key)) out[key] = value;
    else if (NAME_MAPS.has(key) && isObject(value)) {
      const named: { [name: string]: Json } = {};
      for (const [name, sub] of Object.entries(value)) named[name] = mapSchema(sub, rewrite);
      out[key] = named;
    } else out[key] = mapSchema(value, rewrite);
  }
  return rewrite(out);
}

/** Calls `visit` with every schema object (pre-order) and its JSON pointer in the document. */
export function forEachSchema(node: Json, visit: (schema: JsonObject, pointer: string) => void, pointer = ''): void {
  if (Array.isArray(node)) {
    node.forEach((item, i) => forEachSchema(item, visit, `${pointer}/${i}`));
    return;
  }
  if (!isObject(node)) return;
  visit(node, pointer);
  for (const [key, value] of Object.entries(node)) {
    if (DATA_KEYWORDS.has(key)) continue;
    const here = `${pointer}/${escapePointer(key)}`;
    if (NAME_MAPS.has(key) && isObject(value)) {
      for (const [name, sub] of Object.entries(value)) forEachSchema(sub, visit, `${here}/${escapePointer(name)}`);
    } else forEachSchema(value, visit, here);
  }
}

export function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Follows a JSON pointer (`/properties/payload`) inside a document; undefined if absent. */
export function getPointer(doc: Json, pointer: string): Json | undefined {
  if (pointer === '' || pointer === '/') return doc;
  let node: Json | undefined = doc;
  for (const raw of pointer.replace(/^\//, '').split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node)) node = node[Number(key)];
    else if (isObject(node)) node = node[key];
    else return undefined;
  }
  return node;
}

/** Sorts object keys recursively so serialised output does not depend on authoring order. */
export function sortKeysDeep(node: Json): Json {
  if (Array.isArray(node)) return node.map(sortKeysDeep);
  if (!isObject(node)) return node;
  const out: { [key: string]: Json } = {};
  for (const key of Object.keys(node).sort()) out[key] = sortKeysDeep(node[key]);
  return out;
}
