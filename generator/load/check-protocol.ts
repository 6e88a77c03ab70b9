// Reads the non-shape protocol facts in schema/protocol/ (features, error codes, state
// machines, reserved capabilities) and checks them for consistency before modelling.
import type { ErrorCodeModel, FeatureModel, Json, JsonObject, TransitionModel } from '../model/ir.js';
import { isObject } from '../model/schema-walk.js';
import type { SchemaFile } from './read-schemas.js';
import type { ProblemList } from './schema-error.js';
import { by } from '../model/order.js';

/**
 * Accepts the list shapes an author may reasonably write: an array of entries, an object whose
 * only array property holds them (`{ "codes": [...] }`), or an object keyed by name.
 */
function entriesOf(json: Json, keyField: string, skip: readonly string[] = []): JsonObject[] | null {
  if (Array.isArray(json)) return json.filter(isObject);
  if (!isObject(json)) return null;
  const arrays = Object.entries(json).filter(([k, v]) => Array.isArray(v) && !skip.includes(k) && !k.startsWith('$'));
  if (arrays.length === 1) return (arrays[0][1] as Json[]).filter(isObject);
  return Object.entries(json)
    .filter(([k, v]) => !k.startsWith('$') && k !== 'title' && k !== 'description' && isObject(v))
    .map(([k, v]) => ({ [keyField]: k, ...(v as JsonObject) }));
}

function str(value: Json | undefined): string {
  return typeof value === 'string' ? value : '';
}

/** protocol/features.json -> feature flags sorted by name. */
export function checkFeatures(file: SchemaFile | undefined, problems: ProblemList): FeatureModel[] {
  if (file === undefined) {
    problems.add('schema/protocol/features.json', 'is missing (the feature flags: name, spec section, what it gates)', { pointer: '', fix: 'add schema/protocol/features.json: [{ "name", "spec", "gates" }]' });
    return [];
  }
  const entries = entriesOf(file.json, 'name');
  if (entries === null || entries.length === 0) {
    problems.add(file.source.path, 'must list feature flags as [{ "name", "spec", "gates" }]', { pointer: '', fix: 'make the file a JSON array of { "name", "spec", "gates" }' });
    return [];
  }
  const features = entries.map((e) => ({
    name: str(e.name ?? e.flag),
    spec: str(e.spec),
    gates: str(e.gates ?? e.description ?? e.meaning),
  }));
  for (const f of features) if (f.name === '') problems.add(file.source.path, 'a feature entry has no "name"', { pointer: `/${features.indexOf(f)}/name`, fix: 'give the feature its wire name (lower_snake)' });
  return features.sort(by((f) => f.name));
}

/** protocol/errors.json -> error codes sorted by code; pinned codes keep their MUST value. */
export function checkErrorCodes(file: SchemaFile | undefined, problems: ProblemList): ErrorCodeModel[] {
  if (file === undefined) {
    problems.add('schema/protocol/errors.json', 'is missing (the error codes: meaning, retryable, pinned)', { pointer: '', fix: 'add schema/protocol/errors.json: [{ "code", "meaning", "retryable", "pinned" }]' });
    return [];
  }
  const entries = entriesOf(file.json, 'code');
  if (entries === null || entries.length === 0) {
    problems.add(file.source.path, 'must list error codes as [{ "code", "meaning", "retryable", "pinned" }]', { pointer: '', fix: 'make the file a JSON array of { "code", "meaning", "retryable", "pinned" }' });
    return [];
  }
  const codes = entries.map((e) => ({
    code: str(e.code),
    meaning: str(e.meaning ?? e.description),
    retryable: e.retryable === true,
    pinned: e.pinned === true,
    spec: str(e.spec) || '§12',
  }));
  for (const [i, e] of entries.entries()) {
    if (!/^[A-Z][A-Z0-9_]*$/.test(codes[i].code)) problems.add(file.source.path, `error entry ${i}: "code" must be UPPER_SNAKE`, { pointer: `/${i}/code`, fix: 'spell the code as the spec does (UPPER_SNAKE, §12)' });
    if (typeof e.retryable !== 'boolean') problems.add(file.source.path, `${codes[i].code}: "retryable" must be true or false`, { pointer: `/${i}/retryable`, fix: 'set "retryable" to the §12 default for this code' });
  }
  return codes.sort(by((c) => c.code));
}

/** A state machine as read from protocol/<name>-machine.json, before naming. */
export interface CheckedMachine {
  readonly name: string;
  readonly spec: string;
  readonly file: SchemaFile;
  readonly states: string[];
  readonly initial: string;
  readonly terminal: string[];
  readonly transitions: TransitionModel[];
}

function stateNames(value: Json | undefined): string[] {
  if (!Array.isArray(value)) return isObject(value) ? Object.keys(value) : [];
  return value.map((s) => (typeof s === 'string' ? s : isObject(s) ? str(s.name ?? s.state) : '')).filter((s) => s !== '');
}

/** protocol/<name>-machine.json -> a checked machine (null if unusable). */
export function checkMachine(file: SchemaFile, problems: ProblemList): CheckedMachine | null {
  const where = file.source.path;
  const json = file.json;
  if (!isObject(json)) {
    problems.add(where, 'must be an object { states, initial, terminal, transitions }', { pointer: '', fix: 'write the machine as { "states": [], "initial": "", "terminal": [], "transitions": [] }' });
    return null;
  }
  const name = file.relPath.slice('protocol/'.length, -'-machine.json'.length);
  const states = stateNames(json.states);
  const initial = str(json.initial);
  const terminal = stateNames(json.terminal);
  if (states.length === 0) problems.add(where, '"states" must list the states', { pointer: '/states', fix: 'list every state of the machine' });
  if (!states.includes(initial)) problems.add(where, `"initial" (${JSON.stringify(json.initial)}) must be one of "states"`, { pointer: '/initial', fix: 'name a state listed in "states", or add it there' });
  for (const t of terminal) if (!states.includes(t)) problems.add(where, `terminal state "${t}" is not in "states"`, { pointer: '/terminal', fix: `add "${t}" to "states" or remove it from "terminal"` });
  const transitions: TransitionModel[] = [];
  const rawTransitions = Array.isArray(json.transitions) ? json.transitions.filter(isObject) : [];
  if (rawTransitions.length === 0) problems.add(where, '"transitions" must be a non-empty array of { from, event, to, trigger }', { pointer: '/transitions', fix: 'add the transitions of the machine' });
  for (const [i, t] of rawTransitions.entries()) {
    const froms = Array.isArray(t.from) ? t.from.map(str) : [str(t.from)];
    const event = str(t.event ?? t.on);
    const to = str(t.to);
    const trigger = str(t.trigger ?? t.description ?? t.when);
    if (event === '') problems.add(where, `transitions[${i}] needs an "event"`, { pointer: `/transitions/${i}/event`, fix: 'name the wire message or internal event that fires it' });
    if (!states.includes(to)) problems.add(where, `transitions[${i}].to "${to}" is not in "states"`, { pointer: `/transitions/${i}/to`, fix: `add "${to}" to "states" or correct the target` });
    for (const from of froms) {
      if (!states.includes(from)) problems.add(where, `transitions[${i}].from "${from}" is not in "states"`, { pointer: `/transitions/${i}/from`, fix: `add "${from}" to "states" or correct the source` });
      transitions.push({ from, event, to, trigger });
    }
  }
  const seen = new Map<string, string>();
  for (const t of transitions) {
    const key = `${t.from} --${t.event}-->`;
    const prev = seen.get(key);
    if (prev !== undefined && prev !== t.to) problems.add(where, `${key} goes to both "${prev}" and "${t.to}" (a table needs one target)`, { pointer: '/transitions', fix: 'keep one of the two transitions' });
    seen.set(key, t.to);
  }
  return { name, spec: str(json.spec ?? (isObject(json['x-arcp']) ? json['x-arcp'].spec : undefined)), file, states, initial, terminal, transitions };
}

/** The reserved capability names (§9.1), from protocol/capabilities.json. */
export function checkReservedCapabilities(file: SchemaFile | undefined, problems: ProblemList): string[] {
  if (file === undefined) {
    problems.add('schema/protocol/capabilities.json', 'is missing (the reserved lease capability names, §9.1)', { pointer: '', fix: 'add schema/protocol/capabilities.json with { "reserved": [...] }' });
    return [];
  }
  const json = file.json;
  const list = Array.isArray(json)
    ? json
    : isObject(json)
      ? (json.reserved ?? json.capabilities ?? json.names ?? [])
      : [];
  const names = (Array.isArray(list) ? list : [])
    .map((e) => (typeof e === 'string' ? e : isObject(e) ? str(e.name ?? e.capability) : ''))
    .filter((s) => s !== '');
  if (names.length === 0) problems.add(file.source.path, 'must list the reserved capability names', { pointer: '/reserved', fix: 'list the §9.1 capability names' });
  return names;
}
