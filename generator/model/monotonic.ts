// Decides where "strict accepts => lenient accepts" holds, so lenient validation may try the
// cheaper strict validator first. The lenient rewrite only widens subschemas (anyOf with the
// accepted form, fewer required keys, alias keys allowed), which widens the whole schema
// unless a widened subschema sits under `not`, an `if` condition or a `oneOf` branch, where
// widening can reject more. Those positions (followed through $refs) disable the fast path.
import { referencedDocIds } from '../load/refs.js';
import type { Json, ProtocolModel, SchemaDoc } from './ir.js';
import { forEachSchema } from './schema-walk.js';

const MARKERS = ['x-arcp-accept', 'x-arcp-accept-optional', 'x-arcp-accept-extra'];

/** Negative-position children of one schema object. */
function negativeChildren(schema: { readonly [key: string]: Json }): Json[] {
  return [schema.not, schema.if, ...(Array.isArray(schema.oneOf) ? schema.oneOf : [])].filter((c) => c !== undefined);
}

/** Export `$id`s for which the strict validator may run first in lenient mode. */
export function strictFirstSafe(model: ProtocolModel, exportIds: readonly string[]): Set<string> {
  const docs = new Map<string, SchemaDoc>(model.strictSchemas.map((d) => [d.id, d]));
  // Does `node` (or anything it references, transitively) carry a lenient marker?
  const widenedCache = new Map<string, boolean>();
  const docWidened = (id: string): boolean => {
    const cached = widenedCache.get(id);
    if (cached !== undefined) return cached;
    widenedCache.set(id, false); // cycle guard: a cycle adds nothing new
    const doc = docs.get(id);
    const result = doc !== undefined && subtreeWidened(doc.schema, id);
    widenedCache.set(id, result);
    return result;
  };
  const subtreeWidened = (node: Json, baseId: string): boolean => {
    let marked = false;
    forEachSchema(node, (s) => {
      if (MARKERS.some((m) => m in s)) marked = true;
    });
    return marked || referencedDocIds(node, baseId).some(docWidened);
  };
  // Docs whose own negative positions contain something the lenient rewrite widens.
  const unsafeDocs = new Set<string>();
  for (const doc of model.strictSchemas) {
    forEachSchema(doc.schema, (s) => {
      if (negativeChildren(s).some((child) => subtreeWidened(child, doc.id))) unsafeDocs.add(doc.id);
    });
  }
  const reachable = (id: string, seen = new Set<string>()): Set<string> => {
    if (seen.has(id)) return seen;
    seen.add(id);
    const doc = docs.get(id);
    if (doc !== undefined) for (const ref of referencedDocIds(doc.schema, id)) reachable(ref, seen);
    return seen;
  };
  return new Set(exportIds.filter((id) => ![...reachable(id)].some((d) => unsafeDocs.has(d))));
}
