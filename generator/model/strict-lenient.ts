// Derives both validation forms from the one authored (strict) schema, per contracts.md §1:
//   x-arcp-accept: S          strict: as written        lenient: anyOf [as written, S]
//   x-arcp-accept-optional: K strict: K required        lenient: K optional
//   x-arcp-accept-extra: {k}  strict: k forbidden       lenient: k allowed with its schema
// Objects stay open in both forms (§5: receivers ignore unknown keys).
import type { Json, JsonObject } from './ir.js';
import { isObject, mapSchema } from './schema-walk.js';

/** Keys that must stay on the outermost object of a document when it is wrapped in anyOf. */
const DOCUMENT_KEYS = ['$id', '$schema', '$defs', 'title', 'description', 'examples', 'x-arcp'];

/** The strict (emit) form: alias keys of x-arcp-accept-extra become `false` (never sent). */
export function toStrict(doc: JsonObject): JsonObject {
  return mapSchema(doc, (schema) => {
    const extra = schema['x-arcp-accept-extra'];
    if (!isObject(extra)) return schema;
    const properties: { [key: string]: Json } = isObject(schema.properties) ? { ...schema.properties } : {};
    for (const key of Object.keys(extra)) if (!(key in properties)) properties[key] = false;
    return { ...schema, properties };
  }) as JsonObject;
}

/** The lenient (accept) form: every documented variant of §9 / Appendix A tolerated. */
export function toLenient(doc: JsonObject): JsonObject {
  return mapSchema(doc, (schema) => {
    const { 'x-arcp-accept': accept, 'x-arcp-accept-optional': optional, 'x-arcp-accept-extra': extra, ...rest } = schema;
    const out: { [key: string]: Json } = { ...rest };
    if (isObject(extra)) out.properties = { ...(isObject(rest.properties) ? rest.properties : {}), ...extra };
    if (Array.isArray(optional) && Array.isArray(rest.required)) {
      const required = rest.required.filter((key) => !optional.includes(key));
      if (required.length > 0) out.required = required;
      else delete out.required;
    }
    if (accept === undefined) return out;
    const outer: { [key: string]: Json } = {};
    for (const key of DOCUMENT_KEYS) {
      if (key in out) {
        outer[key] = out[key];
        delete out[key];
      }
    }
    return { ...outer, anyOf: [out, accept] };
  }) as JsonObject;
}
