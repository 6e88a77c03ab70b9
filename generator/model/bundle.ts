// One root schema holding every message, event body and def under `definitions`, with all `$ref`s
// rewritten to internal pointers. json-schema-to-typescript compiles it once, so shared types
// are declared once (style.md item 7; jstt issues #258, #579, #677); fast-check arbitraries
// read it as SCHEMA_BUNDLE.
import { resolveRef } from '../load/refs.js';
import type { Json, JsonObject } from './ir.js';
import { isObject, mapSchema } from './schema-walk.js';

export const BUNDLE_ID = 'https://arcp-kit.dev/schema/bundle.json';

/** A document going into the bundle under `definitions[name]`. */
export interface BundleMember {
  readonly name: string;
  readonly schema: JsonObject;
  /** Extra JSDoc line naming the source file and spec section. */
  readonly provenance: string;
}

/**
 * Builds the root schema: an empty object type (`ArcpSchemaBundle`) whose `definitions` hold every
 * member plus `rootTitle`, the union of `rootNames`. json-schema-to-typescript declares
 * definitions only under an object root (with unreachableDefinitions), hence this shape.
 */
export function bundleSchemas(members: readonly BundleMember[], rootTitle: string, rootNames: readonly string[]): JsonObject {
  const nameById = new Map<string, string>();
  for (const m of members) if (typeof m.schema.$id === 'string') nameById.set(m.schema.$id, m.name);
  const defs: { [name: string]: Json } = {
    [rootTitle]: {
      title: rootTitle,
      description: 'Any ARCP message (union of schema/messages/*.json).',
      anyOf: rootNames.map((name) => ({ $ref: `#/definitions/${name}` })),
    },
  };
  for (const member of members) {
    const baseId = typeof member.schema.$id === 'string' ? member.schema.$id : '';
    const rewritten = mapSchema(member.schema, (schema) => {
      if (typeof schema.$ref !== 'string') return schema;
      const { docId, pointer } = resolveRef(baseId, schema.$ref);
      const target = nameById.get(docId);
      // Unknown targets were already reported by checkRefs; keep the ref so the failure stays visible.
      return target === undefined ? schema : { ...schema, $ref: `#/definitions/${target}${pointer}` };
    }) as JsonObject;
    const { $id: _id, $schema: _schema, ...body } = rewritten;
    const description = typeof body.description === 'string' ? `${body.description}\n\n${member.provenance}` : member.provenance;
    defs[member.name] = { ...body, description };
  }
  const sortedDefs: { [name: string]: Json } = {};
  for (const name of Object.keys(defs).sort()) sortedDefs[name] = defs[name];
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: BUNDLE_ID,
    title: 'ArcpSchemaBundle',
    description: 'Container of every ARCP schema under `definitions`; not a wire shape.',
    type: 'object',
    properties: {},
    additionalProperties: false,
    definitions: sortedDefs,
  };
}

/** Gives an untitled inline `payload` schema the title `<Name>Payload` so it gets a named type. */
export function titlePayload(schema: JsonObject, payloadName: string): JsonObject {
  const props = schema.properties;
  if (isObject(props) && isObject(props.payload) && props.payload.$ref === undefined) {
    if (props.payload.title !== undefined) return schema;
    return { ...schema, properties: { ...props, payload: { ...props.payload, title: payloadName } } };
  }
  if (Array.isArray(schema.allOf)) {
    return { ...schema, allOf: schema.allOf.map((m) => (isObject(m) ? titlePayload(m, payloadName) : m)) };
  }
  return schema;
}
