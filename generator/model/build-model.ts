// Turns the checked schema/ tree into the one ProtocolModel every emitter reads. The only code
// that interprets raw schema documents (style.md item 1); all rule checks run first so a broken
// schema stops generation with a message naming the file.
import { checkDefSchema, checkEventSchema, checkMessageSchema, checkRefs } from '../load/check-schemas.js';
import type { EventMeta, MessageMeta } from '../load/check-schemas.js';
import {
  checkErrorCodes, checkFeatures, checkMachine, checkReservedCapabilities,
} from '../load/check-protocol.js';
import { checkAuthoring, deriveAnswers } from '../load/check-authoring.js';
import type { SchemaFile, SchemaTree } from '../load/read-schemas.js';
import { ProblemList } from '../load/schema-error.js';
import { bundleSchemas, titlePayload, type BundleMember } from './bundle.js';
import { bodyFields, follow, messageFields, type DocLookup } from './fields.js';
import type {
  DefModel, EventKindModel, Json, JsonObject, MachineModel, MessageModel, ProtocolModel, SchemaDoc, VariantModel,
} from './ir.js';
import { eventNames, machineNames, messageNames } from './names.js';
import { forEachSchema, isObject } from './schema-walk.js';
import { toLenient, toStrict } from './strict-lenient.js';
import { by } from './order.js';

function doc(file: SchemaFile): JsonObject {
  return file.json as JsonObject;
}

function text(value: Json | undefined): string {
  return typeof value === 'string' ? value : '';
}

function examplesOf(schema: JsonObject): readonly Json[] {
  return Array.isArray(schema.examples) ? schema.examples : [];
}

/** Cross-file consistency: reply pairing, feature names, unique titles, derived enums, the envelope def. */
function crossCheck(
  messages: readonly MessageMeta[], events: readonly EventMeta[], features: readonly string[], errorCodes: readonly string[],
  documents: readonly SchemaFile[], tree: SchemaTree, problems: ProblemList,
): void {
  const types = new Set(messages.map((m) => m.type));
  const featureSet = new Set(features);
  for (const m of messages) {
    const where = `schema/messages/${m.type}.json`;
    for (const t of [...m.replies, ...(m.declaredAnswers ?? [])]) if (!types.has(t)) problems.add(where, `x-arcp names unknown message type "${t}"`, { pointer: m.replies.includes(t) ? '/x-arcp/replies' : '/x-arcp/answers', fix: `add schema/messages/${t}.json or correct the name` });
    if (m.feature !== null && featureSet.size > 0 && !featureSet.has(m.feature)) {
      problems.add(where, `x-arcp.feature "${m.feature}" is not in protocol/features.json`, { pointer: '/x-arcp/feature', fix: 'set null, or add the flag to protocol/features.json' });
    }
  }
  for (const e of events) {
    if (e.feature !== null && featureSet.size > 0 && !featureSet.has(e.feature)) {
      problems.add(`schema/events/${e.kind}.json`, `x-arcp.feature "${e.feature}" is not in protocol/features.json`, { pointer: '/x-arcp/feature', fix: 'set null, or add the flag to protocol/features.json' });
    }
  }
  const titles = new Map<string, string>();
  for (const file of documents) {
    const title = text(doc(file).title);
    const prev = titles.get(title);
    if (prev !== undefined) problems.add(file.source.path, `"title" ${title} is already used by ${prev}`, { pointer: '/title', fix: 'give one of the two schemas another title (titles name generated types)' });
    titles.set(title, file.source.path);
  }
  // A def may spell out an enum the generator also derives (EventKind from events/, ...); the
  // two must agree or the registry would not type-check against types.ts.
  const derived: Record<string, readonly string[]> = {
    EventKind: events.map((e) => e.kind), ErrorCode: errorCodes, Feature: features, MessageType: messages.map((m) => m.type),
  };
  for (const file of tree.defs) {
    const d = file.json;
    if (!isObject(d) || typeof d.title !== 'string' || !(d.title in derived) || !Array.isArray(d.enum)) continue;
    const want = [...derived[d.title]].sort();
    const have = d.enum.map(String).sort();
    if (want.join() !== have.join()) {
      problems.add(file.source.path, `enum of ${d.title} must list exactly ${JSON.stringify(want)} (found ${JSON.stringify(have)})`, { pointer: '/enum', fix: 'delete the enum (it is derived from the files present) or make it agree' });
    }
  }
  if (!tree.defs.some((f) => f.relPath === 'defs/envelope.json')) {
    problems.add('schema/defs/envelope.json', 'is missing (the envelope every message shares, §5)', { pointer: '', fix: 'add schema/defs/envelope.json' });
  }
}

/** variants/<name>.json entries (name = wire type or event kind) as documentation rows. */
function variantsOf(tree: SchemaTree, name: string): VariantModel[] {
  const file = tree.variants.find((f) => f.relPath === `variants/${name}.json`);
  if (file === undefined || !Array.isArray(file.json)) return [];
  return file.json.filter(isObject).map((v) => ({
    why: text(v.why), source: text(v.source),
    strict: v.strict === 'accept' ? 'accept' : 'reject', lenient: v.lenient === 'accept' ? 'accept' : 'reject',
  }));
}

/** The envelope's `arcp` const (§5), following a `$ref`; null when it is not a string const. */
function envelopeVersion(envelope: JsonObject, lookup: DocLookup): string | null {
  const arcp = isObject(envelope.properties) ? envelope.properties.arcp : undefined;
  if (!isObject(arcp)) return null;
  const target = follow({ schema: arcp, baseId: String(envelope.$id) }, lookup).schema;
  return typeof target.const === 'string' ? target.const : null;
}

function enumDef(title: string, description: string, values: readonly string[]): JsonObject {
  return { title, description, type: 'string', enum: [...values] };
}

/** Builds the model; throws SchemaLoadError listing every broken rule. */
export function buildModel(tree: SchemaTree): ProtocolModel {
  const problems = new ProblemList();
  const defFiles = tree.defs.filter((f) => checkDefSchema(f, problems));
  const messagePairs = tree.messages
    .map((f) => [f, checkMessageSchema(f, problems)] as const)
    .filter((p): p is readonly [SchemaFile, MessageMeta] => p[1] !== null);
  const eventPairs = tree.events
    .map((f) => [f, checkEventSchema(f, problems)] as const)
    .filter((p): p is readonly [SchemaFile, EventMeta] => p[1] !== null);
  const documents = [...defFiles, ...messagePairs.map((p) => p[0]), ...eventPairs.map((p) => p[0])];
  checkRefs(documents, problems);
  const features = checkFeatures(tree.protocol.features, problems);
  const errorCodes = checkErrorCodes(tree.protocol.errors, problems);
  const reservedCapabilities = checkReservedCapabilities(
    tree.protocol.capabilities ?? tree.protocol['reserved-capabilities'], problems);
  const checkedMachines = Object.keys(tree.protocol).sort()
    .filter((name) => name.endsWith('-machine'))
    .map((name) => checkMachine(tree.protocol[name], problems))
    .filter((m) => m !== null);
  crossCheck(messagePairs.map((p) => p[1]), eventPairs.map((p) => p[1]), features.map((f) => f.name), errorCodes.map((c) => c.code), documents, tree, problems);
  checkAuthoring(tree, messagePairs.map((p) => p[1]), eventPairs.map((p) => p[1]), reservedCapabilities, checkedMachines, problems);
  problems.throwIfAny();
  const answers = deriveAnswers(messagePairs.map((p) => p[1]));

  const byId = new Map<string, JsonObject>(documents.map((f) => [String(doc(f).$id), doc(f)]));
  const lookup = (id: string) => byId.get(id);

  const defs: DefModel[] = defFiles.map((f) => ({
    name: f.relPath.slice('defs/'.length, -'.json'.length), title: text(doc(f).title), schemaId: String(doc(f).$id), source: f.source,
  }));
  const messages: MessageModel[] = messagePairs.map(([f, { declaredAnswers: _declared, ...meta }]) => ({
    ...meta,
    answers: answers.get(meta.type) ?? [],
    names: messageNames(meta.type),
    title: text(doc(f).title),
    description: text(doc(f).description),
    schemaId: String(doc(f).$id),
    source: f.source,
    fields: messageFields(doc(f), lookup),
    examples: examplesOf(doc(f)),
    variants: variantsOf(tree, meta.type),
  }));
  const eventKinds: EventKindModel[] = eventPairs.map(([f, meta]) => ({
    ...meta,
    names: eventNames(meta.kind),
    title: text(doc(f).title),
    description: text(doc(f).description),
    schemaId: String(doc(f).$id),
    source: f.source,
    fields: bodyFields(doc(f), lookup),
    examples: examplesOf(doc(f)),
    variants: variantsOf(tree, meta.kind),
  }));
  const machines: MachineModel[] = checkedMachines.map((m) => ({
    name: m.name,
    spec: m.spec,
    ...machineNames(m.name),
    source: m.file.source,
    states: m.states,
    initial: m.initial,
    terminal: m.terminal,
    events: [...new Set(m.transitions.map((t) => t.event))].sort(),
    transitions: m.transitions,
  }));

  const toDocs = (transform: (d: JsonObject) => JsonObject): SchemaDoc[] =>
    documents.map((f) => ({ id: String(doc(f).$id), schema: transform(doc(f)) })).sort(by((d) => d.id));

  // Titles anywhere (also nested, e.g. an ErrorCode enum inside error-payload.json) win over synthesized enums.
  const titles = new Set<string>();
  for (const f of documents) forEachSchema(f.json, (s) => { if (typeof s.title === 'string') titles.add(s.title); });
  const members: BundleMember[] = [
    ...defFiles.map((f) => ({ name: text(doc(f).title), schema: toStrict(doc(f)), provenance: `@see ${f.source.path}` })),
    ...messages.map((m, i) => ({
      name: m.title,
      schema: titlePayload(toStrict(doc(messagePairs[i][0])), m.names.payloadName),
      provenance: `@see ${m.source.path} (${m.spec})`,
    })),
    ...eventKinds.map((e, i) => ({
      name: e.title, schema: toStrict(doc(eventPairs[i][0])), provenance: `@see ${e.source.path} (${e.spec})`,
    })),
  ];
  const synthesized: [string, JsonObject][] = [
    ['MessageType', enumDef('MessageType', 'Every wire message type (schema/messages/).', messages.map((m) => m.type))],
    ['EventKind', enumDef('EventKind', 'Every job.event body kind (schema/events/).', eventKinds.map((e) => e.kind))],
    ['ErrorCode', enumDef('ErrorCode', 'The §12 error codes (schema/protocol/errors.json).', errorCodes.map((c) => c.code))],
    ['Feature', enumDef('Feature', 'The negotiable feature flags (schema/protocol/features.json).', features.map((f) => f.name))],
  ];
  for (const [name, schema] of synthesized) {
    if (!titles.has(name)) members.push({ name, schema, provenance: '@see schema/ (derived by the generator)' });
  }

  const envelopeFile = defFiles.find((f) => f.relPath === 'defs/envelope.json')!;
  const protocolVersion = envelopeVersion(doc(envelopeFile), lookup);
  if (protocolVersion === null) {
    problems.add(envelopeFile.source.path, 'properties.arcp must be (or $ref) { "const": "<protocol version>" }', { pointer: '/properties/arcp', fix: 'set { "$ref": "#/$defs/ProtocolVersion" } with ProtocolVersion { "const": "1.1" }' });
    problems.throwIfAny();
  }
  return {
    protocolVersion: protocolVersion as string,
    // In-file counter-examples / variants (derive.ts) are part of their schema file's source.
    sources: [...tree.defs, ...tree.messages, ...tree.events, ...Object.values(tree.protocol), ...tree.variants]
      .map((f) => f.source).filter((s) => !s.path.includes('#')).sort(by((s) => s.path)),
    envelope: defs.find((d) => d.schemaId === doc(envelopeFile).$id)!,
    envelopeFields: bodyFields(doc(envelopeFile), lookup),
    messages,
    eventKinds,
    defs,
    errorCodes,
    features,
    reservedCapabilities,
    machines,
    strictSchemas: toDocs(toStrict),
    lenientSchemas: toDocs(toLenient),
    bundle: bundleSchemas(members, 'ArcpMessage', messages.map((m) => m.title)),
  };
}
