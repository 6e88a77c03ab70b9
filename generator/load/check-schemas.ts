// Enforces the schema authoring rules of schema/README.md and contracts.md §1: file name ==
// wire type, `type` const, canonical `$id`, PascalCase `title`, complete `x-arcp` data, examples,
// and `$ref`s that resolve. Returns the typed x-arcp metadata so nothing else parses it again.
import type { Correlation, Direction, EventKindFacts, Json, JsonObject, MessageFacts } from '../model/ir.js';
import { eventNames, messageNames, schemaIdFor } from '../model/names.js';
import { forEachSchema, getPointer, isObject } from '../model/schema-walk.js';
import type { SchemaFile } from './read-schemas.js';
import { resolveRef } from './refs.js';
import type { ProblemList } from './schema-error.js';

/**
 * x-arcp data of one message schema, checked (the IR's MessageFacts). `answers` is derived from
 * every message's `replies` (build-model); `declaredAnswers` is what the file wrote, if anything.
 */
export type MessageMeta = MessageFacts & { readonly declaredAnswers: readonly string[] | null };

/** x-arcp data of one event-body schema, checked (the IR's EventKindFacts). */
export type EventMeta = EventKindFacts;

const DIRECTIONS: readonly Direction[] = ['client_to_runtime', 'runtime_to_client', 'both'];
const CORRELATIONS: readonly Correlation[] = ['connection', 'request_id', 'job_id', 'nonce', 'none'];
const DRAFT_2020 = 'https://json-schema.org/draft/2020-12/schema';

function baseName(file: SchemaFile): string {
  return file.relPath.slice(file.relPath.lastIndexOf('/') + 1, -'.json'.length);
}

function needsExamples(where: string, problems: ProblemList): void {
  problems.add(where, 'needs at least one entry in "examples"', {
    pointer: '/examples', fix: 'add "examples": [ <a valid instance> ] (valid in both forms; legacy messages: lenient)',
  });
}

/** Rules shared by every schema document: object, `$id`, `title`, `$schema`, examples array. */
function checkDocument(file: SchemaFile, problems: ProblemList): file is SchemaFile & { json: JsonObject } {
  const where = file.source.path;
  if (!isObject(file.json)) {
    problems.add(where, 'must be a JSON object (a JSON Schema)', { pointer: '', fix: 'write the file as one JSON Schema object' });
    return false;
  }
  const doc = file.json;
  const expectedId = schemaIdFor(file.relPath);
  if (doc.$id !== expectedId) problems.add(where, `"$id" must be "${expectedId}" (found ${JSON.stringify(doc.$id)})`, { pointer: '/$id', fix: `set "$id": "${expectedId}" (the $id follows the file's path)` });
  if (typeof doc.title !== 'string' || !/^[A-Z][A-Za-z0-9]*$/.test(doc.title)) {
    problems.add(where, `"title" must be a PascalCase TypeScript name (found ${JSON.stringify(doc.title)})`, { pointer: '/title', fix: 'set "title" to the PascalCase name the generated type should have' });
  }
  if (doc.$schema !== DRAFT_2020) {
    problems.add(where, `"$schema" must be "${DRAFT_2020}" (found ${JSON.stringify(doc.$schema)})`, {
      pointer: '/$schema', fix: `add "$schema": "${DRAFT_2020}"`,
    });
  }
  if (doc.examples !== undefined && !Array.isArray(doc.examples)) problems.add(where, '"examples" must be an array', { pointer: '/examples', fix: 'write "examples": [ <a valid instance> ]' });
  checkLenientKeywords(file, problems);
  return true;
}

/** x-arcp-accept-optional / x-arcp-accept-extra must be well-formed wherever they appear. */
function checkLenientKeywords(file: SchemaFile, problems: ProblemList): void {
  forEachSchema(file.json, (schema, pointer) => {
    const optional = schema['x-arcp-accept-optional'];
    if (optional !== undefined) {
      const required = Array.isArray(schema.required) ? schema.required : [];
      if (!Array.isArray(optional) || optional.some((k) => typeof k !== 'string' || !required.includes(k))) {
        problems.add(file.source.path, '"x-arcp-accept-optional" must list keys of "required"', { pointer: `${pointer}/x-arcp-accept-optional`, fix: 'list only names that appear in "required" beside it' });
      }
    }
    const extra = schema['x-arcp-accept-extra'];
    if (extra !== undefined && !isObject(extra)) {
      problems.add(file.source.path, '"x-arcp-accept-extra" must map alias keys to schemas', { pointer: `${pointer}/x-arcp-accept-extra`, fix: 'write { "<alias key>": <schema of the alias> }' });
    }
  });
}

/** Every `$ref` must land on a known document and an existing pointer inside it. */
export function checkRefs(files: readonly SchemaFile[], problems: ProblemList): void {
  const byId = new Map<string, Json>();
  for (const file of files) if (isObject(file.json) && typeof file.json.$id === 'string') byId.set(file.json.$id, file.json);
  for (const file of files) {
    const baseId = isObject(file.json) && typeof file.json.$id === 'string' ? file.json.$id : schemaIdFor(file.relPath);
    forEachSchema(file.json, (schema, pointer) => {
      if (typeof schema.$ref !== 'string') return;
      const { docId, pointer: target } = resolveRef(baseId, schema.$ref);
      const doc = byId.get(docId);
      if (doc === undefined) problems.add(file.source.path, `$ref "${schema.$ref}" names no schema file`, { pointer: `${pointer}/$ref`, fix: 'point the $ref at a file under schema/ (relative to this file)' });
      else if (getPointer(doc, target) === undefined) {
        problems.add(file.source.path, `$ref "${schema.$ref}": no "${target}" in ${docId}`, { pointer: `${pointer}/$ref`, fix: `add "${target}" to ${docId} or correct the fragment` });
      }
    });
  }
}

/** Finds `properties.<key>.const`, looking through `allOf` members too. */
function findConst(schema: JsonObject, key: string): Json | undefined {
  const props = schema.properties;
  if (isObject(props) && isObject(props[key]) && props[key].const !== undefined) return props[key].const;
  if (Array.isArray(schema.allOf)) {
    for (const member of schema.allOf) {
      const found = isObject(member) ? findConst(member, key) : undefined;
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

function stringList(value: Json | undefined): string[] | null {
  return Array.isArray(value) && value.every((v) => typeof v === 'string') ? [...(value as string[])] : null;
}

/** Checks one messages/<type>.json and returns its x-arcp metadata (null if unusable). */
export function checkMessageSchema(file: SchemaFile, problems: ProblemList): MessageMeta | null {
  if (!checkDocument(file, problems)) return null;
  const where = file.source.path;
  const doc = file.json as JsonObject;
  const type = baseName(file);
  if (findConst(doc, 'type') !== type) {
    problems.add(where, `properties.type must be { "const": "${type}" } (the file name is the wire type)`, { pointer: '/properties/type', fix: `set { "const": "${type}" }, or rename the file after the wire type` });
  }
  const expectedTitle = messageNames(type).typeName;
  if (doc.title !== expectedTitle) problems.add(where, `"title" must be "${expectedTitle}" for wire type ${type}`, { pointer: '/title', fix: `set "title": "${expectedTitle}"` });
  if (!Array.isArray(doc.examples) || doc.examples.length === 0) needsExamples(where, problems);
  const x = doc['x-arcp'];
  if (!isObject(x)) {
    problems.add(where, 'needs an "x-arcp" object (spec, direction, feature, sequenced, replies, correlation)', { pointer: '/x-arcp', fix: 'add "x-arcp": { "spec", "direction", "feature", "sequenced", "replies", "correlation" } (schema/README.md)' });
    return null;
  }
  const bad = (key: string, want: string) => problems.add(where, `x-arcp.${key} must be ${want} (found ${JSON.stringify(x[key])})`, { pointer: `/x-arcp/${key}`, fix: `set x-arcp.${key} to ${want}` });
  if (typeof x.spec !== 'string' || !x.spec.startsWith('§')) bad('spec', 'a section like "§7.1"');
  if (!DIRECTIONS.includes(x.direction as Direction)) bad('direction', DIRECTIONS.join(' | '));
  if (x.feature !== null && typeof x.feature !== 'string') bad('feature', 'null or a feature flag');
  if (typeof x.sequenced !== 'boolean') bad('sequenced', 'true or false');
  const replies = stringList(x.replies);
  const answers = stringList(x.answers);
  if (replies === null) bad('replies', 'an array of message types');
  if (answers === null && x.answers !== undefined) bad('answers', 'an array of message types (or left out: it is derived from replies)');
  if (!CORRELATIONS.includes(x.correlation as Correlation)) bad('correlation', CORRELATIONS.join(' | '));
  if (x.legacy !== undefined && typeof x.legacy !== 'boolean') bad('legacy', 'true or false');
  return {
    type,
    spec: typeof x.spec === 'string' ? x.spec : '',
    direction: x.direction as Direction,
    feature: typeof x.feature === 'string' ? x.feature : null,
    sequenced: x.sequenced === true,
    replies: (replies ?? []).sort(),
    answers: [],
    declaredAnswers: x.answers === undefined ? null : (answers ?? []).sort(),
    correlation: x.correlation as Correlation,
    legacy: x.legacy === true,
  };
}

/** Checks one events/<kind>.json and returns its x-arcp metadata (null if unusable). */
export function checkEventSchema(file: SchemaFile, problems: ProblemList): EventMeta | null {
  if (!checkDocument(file, problems)) return null;
  const where = file.source.path;
  const doc = file.json as JsonObject;
  const kind = baseName(file);
  const expectedTitle = eventNames(kind).typeName;
  if (doc.title !== expectedTitle) problems.add(where, `"title" must be "${expectedTitle}" for event kind ${kind}`, { pointer: '/title', fix: `set "title": "${expectedTitle}"` });
  if (!Array.isArray(doc.examples) || doc.examples.length === 0) needsExamples(where, problems);
  const x = doc['x-arcp'];
  if (!isObject(x)) {
    problems.add(where, 'needs an "x-arcp" object ({ "spec", "kind", "feature" })', { pointer: '/x-arcp', fix: `add "x-arcp": { "spec": "§8.2", "kind": "${kind}", "feature": null }` });
    return null;
  }
  if (x.kind !== kind) problems.add(where, `x-arcp.kind must be "${kind}" (the file name)`, { pointer: '/x-arcp/kind', fix: `set "kind": "${kind}", or rename the file after the kind` });
  if (typeof x.spec !== 'string' || !x.spec.startsWith('§')) problems.add(where, 'x-arcp.spec must be a section like "§8.2"', { pointer: '/x-arcp/spec', fix: 'cite the section of the draft that defines the kind' });
  if (x.feature !== null && x.feature !== undefined && typeof x.feature !== 'string') {
    problems.add(where, 'x-arcp.feature must be null or a feature flag', { pointer: '/x-arcp/feature', fix: 'set null, or a name from protocol/features.json' });
  }
  return { kind, spec: typeof x.spec === 'string' ? x.spec : '', feature: typeof x.feature === 'string' ? x.feature : null };
}

/** Checks one defs/<name>.json (document rules only). */
export function checkDefSchema(file: SchemaFile, problems: ProblemList): boolean {
  return checkDocument(file, problems);
}
