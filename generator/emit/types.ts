// generated/types.ts: the data types, compiled by json-schema-to-typescript from the one bundled
// root schema so every shared def is declared once (style.md items 3 and 7).
import { compile } from 'json-schema-to-typescript';
import type { JsonObject, ProtocolModel } from '../model/ir.js';
import { mapSchema } from '../model/schema-walk.js';
import { codeHeader, documentSources } from './header.js';
import type { OutputFile } from './output-file.js';

const ANNOTATIONS = new Set(['description', '$comment', 'examples', 'default', 'deprecated', 'readOnly', 'writeOnly', 'title']);

/**
 * `{ "$ref": X, "description": ... }` makes jstt declare a copy of X named `X1`; a ref whose
 * siblings are annotations only is the same type, so the siblings are dropped for typing.
 */
function withoutRefSiblings(bundle: JsonObject): JsonObject {
  return mapSchema(bundle, (withAccept) => {
    // Types describe the strict form; the lenient x-arcp-accept* marks only matter to validators.
    const { 'x-arcp-accept': _a, 'x-arcp-accept-optional': _o, 'x-arcp-accept-extra': _e, ...schema } = withAccept;
    if (typeof schema.$ref !== 'string' || !Object.keys(schema).every((k) => k === '$ref' || ANNOTATIONS.has(k))) return schema;
    return { $ref: schema.$ref };
  }) as JsonObject;
}

/**
 * The bundle root exists only so jstt declares every definition; drop its empty interface and
 * the "referenced by ArcpSchemaBundle" note jstt adds to each top-level type (each already has
 * an `@see` line naming its schema file).
 */
function withoutBundleArtifacts(code: string): string {
  return code
    .replace(/\n \*\n \* This interface was referenced by `ArcpSchemaBundle`'s JSON-Schema\n \* via the `definition` "[^"]+"\.\n/g, '\n')
    .replace(/\n\/\*\*\n \* Container of every ARCP schema[^\n]*\n \*\/\nexport interface ArcpSchemaBundle \{\}\n/, '\n');
}

/**
 * `EventBodies`: the body type of each reserved job.event kind, keyed by `kind`, so consumers
 * (the client's `JobEvent` union) derive typed bodies from the schemas instead of restating them.
 */
function eventBodiesMap(model: ProtocolModel): string {
  const entries = [...model.eventKinds]
    .sort((a, b) => (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0))
    .map((e) => `  ${e.kind}: ${e.names.typeName};`);
  return [
    '/**',
    ' * Body type of each reserved `job.event` kind (§8.2), keyed by `kind` (one entry per schema/events/<kind>.json).',
    ' */',
    'export interface EventBodies {',
    ...entries,
    '}',
    '',
  ].join('\n');
}

export async function emitTypes(model: ProtocolModel): Promise<OutputFile[]> {
  // jstt annotates the schema it is given; hand it a private copy so the model stays untouched.
  const schema = structuredClone(withoutRefSiblings(model.bundle)) as Parameters<typeof compile>[0];
  const body = await compile(schema, 'ArcpMessage', {
    bannerComment: '',
    // Index signatures would make every typo type-check; objects stay open on the wire (§5).
    additionalProperties: false,
    unreachableDefinitions: true,
    strictIndexSignatures: true,
    unknownAny: true,
    format: true,
    style: { printWidth: 110, singleQuote: true },
    $refOptions: { resolve: { external: false } } as never,
  });
  return [{ root: 'generated', path: 'types.ts', contents: `${codeHeader(documentSources(model.sources))}\n${withoutBundleArtifacts(body)}${eventBodiesMap(model)}` }];
}
