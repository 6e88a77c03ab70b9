// Cross-file authoring rules (formerly schema/tools/check.mjs, which nothing ran), enforced by
// `arcp generate` and `--check`. Each problem names the file, the JSON pointer and the fix.
// Instance rules (examples, counter-examples, variants, spec examples) are in check-instances.ts.
import type { JsonObject } from '../model/ir.js';
import { EVENT_CARRIER } from '../model/event-carrier.js';
import { forEachSchema, isObject } from '../model/schema-walk.js';
import type { CheckedMachine } from './check-protocol.js';
import type { EventMeta, MessageMeta } from './check-schemas.js';
import { IN_FILE_COUNTER_EXAMPLES } from './derive.js';
import type { SchemaFile, SchemaTree } from './read-schemas.js';
import type { ProblemList } from './schema-error.js';

const same = (a: readonly string[], b: readonly string[]) => [...a].sort().join('\0') === [...b].sort().join('\0');
const show = (xs: readonly string[]) => JSON.stringify([...xs].sort());

/** `answers` of each message = the messages whose `replies` name it (one fact, written once). */
export function deriveAnswers(messages: readonly MessageMeta[]): Map<string, string[]> {
  const answers = new Map(messages.map((m) => [m.type, [] as string[]]));
  for (const m of messages) for (const r of m.replies) answers.get(r)?.push(m.type);
  for (const list of answers.values()) list.sort();
  return answers;
}

function checkAnswers(messages: readonly MessageMeta[], problems: ProblemList): void {
  const derived = deriveAnswers(messages);
  for (const m of messages) {
    if (m.declaredAnswers === null) continue;
    const want = derived.get(m.type) ?? [];
    if (same(m.declaredAnswers, want)) continue;
    const oneSided = m.declaredAnswers.filter((a) => !want.includes(a));
    const missing = want.filter((a) => !m.declaredAnswers!.includes(a));
    const parts = [
      ...oneSided.map((a) => `answers "${a}" but ${a}'s replies do not name ${m.type}`),
      ...missing.map((a) => `${a} replies with ${m.type} but answers lacks "${a}"`),
    ];
    problems.add(`schema/messages/${m.type}.json`, `one-sided replies/answers pair: ${parts.join('; ')}`, {
      pointer: '/x-arcp/answers',
      fix: `delete x-arcp.answers (it is derived from every message's replies: ${show(want)}), or fix the replies of ${[...oneSided, ...missing].join(', ')}`,
    });
  }
}

/** An explicit `if kind == k then body: $ref` dispatch in the carrier must cover exactly the events/ files. */
function checkExplicitDispatch(tree: SchemaTree, events: readonly EventMeta[], problems: ProblemList): void {
  const carrier = tree.messages.find((f) => f.relPath === `messages/${EVENT_CARRIER}.json`);
  if (carrier === undefined) return;
  const branches: { kind: string; pointer: string }[] = [];
  let dispatchAt: string | null = null;
  forEachSchema(carrier.json, (schema, pointer) => {
    if (!Array.isArray(schema.allOf)) return;
    schema.allOf.forEach((member, i) => {
      const kindConst = isObject(member) && isObject(member.if) && isObject(member.if.properties) && isObject(member.if.properties.kind)
        ? member.if.properties.kind.const : undefined;
      if (typeof kindConst === 'string') {
        branches.push({ kind: kindConst, pointer: `${pointer}/allOf/${i}` });
        dispatchAt = `${pointer}/allOf`;
      }
    });
  });
  if (dispatchAt === null) return; // derived: the validator API dispatches by the events/ files
  const kinds = events.map((e) => e.kind);
  const listed = branches.map((b) => b.kind);
  const missing = kinds.filter((k) => !listed.includes(k));
  const extra = branches.filter((b) => !kinds.includes(b.kind));
  for (const k of missing) {
    problems.add(carrier.source.path, `the job.event body dispatch has no branch for event kind "${k}" (schema/events/${k}.json)`, {
      pointer: dispatchAt, fix: `delete the hand-written if/then dispatch (it is derived from events/), or add { "if": { "properties": { "kind": { "const": "${k}" } }, "required": ["kind"] }, "then": { "properties": { "body": { "$ref": "../events/${k}.json" } } } }`,
    });
  }
  for (const b of extra) {
    problems.add(carrier.source.path, `the job.event body dispatch names "${b.kind}", which has no schema/events/${b.kind}.json`, {
      pointer: b.pointer, fix: `add schema/events/${b.kind}.json or remove the branch`,
    });
  }
}

function checkCounterExamplesPresent(tree: SchemaTree, problems: ProblemList): void {
  const have = new Set(tree.counterExamples.filter((f) => Array.isArray(f.json) && f.json.length > 0).map((f) => f.relPath));
  for (const file of [...tree.messages, ...tree.events]) {
    const name = file.relPath.slice(file.relPath.indexOf('/') + 1);
    if (!have.has(`counter-examples/${name}`)) {
      problems.add(file.source.path, 'has no counter-examples (invalid instances that pin what the schema rejects)', {
        pointer: `/${IN_FILE_COUNTER_EXAMPLES}`,
        fix: `add "${IN_FILE_COUNTER_EXAMPLES}": [{ "why": "...", "field": "<JSON pointer>", "value": <invalid instance> }] to the file (or schema/counter-examples/${name})`,
      });
    }
  }
}

/** Marks that make the lenient form accept more (x-arcp-accept, -optional) need a variant showing it. */
function checkVariantsWhereDeclared(tree: SchemaTree, problems: ProblemList): void {
  const documented = new Set(
    tree.variants.filter((f) => Array.isArray(f.json) && f.json.some((v) => isObject(v) && v.strict === 'reject' && v.lenient === 'accept'))
      .map((f) => f.relPath.slice('variants/'.length)),
  );
  for (const file of [...tree.messages, ...tree.events]) {
    let mark: string | null = null;
    forEachSchema(file.json, (schema, pointer) => {
      if (mark !== null) return;
      if (schema['x-arcp-accept'] !== undefined) mark = `${pointer}/x-arcp-accept`;
      else if (schema['x-arcp-accept-optional'] !== undefined) mark = `${pointer}/x-arcp-accept-optional`;
    });
    const name = file.relPath.slice(file.relPath.indexOf('/') + 1);
    if (mark !== null && !documented.has(name)) {
      problems.add(file.source.path, 'declares a lenient-only variant but documents none (strict "reject", lenient "accept")', {
        pointer: mark,
        fix: `add "x-arcp-variants": [{ "why": "...", "source": "catalog §...", "strict": "reject", "lenient": "accept", "value": <instance> }] to the file (or schema/variants/${name})`,
      });
    }
  }
}

function checkSequenced(files: readonly SchemaFile[], messages: readonly MessageMeta[], problems: ProblemList): void {
  for (const m of messages) {
    const file = files.find((f) => f.relPath === `messages/${m.type}.json`);
    const props = file !== undefined && isObject(file.json) && isObject(file.json.properties) ? file.json.properties : {};
    const forbidden = props.event_seq === false;
    // Absent means "the envelope's rule"; only a contradiction is a mistake.
    if (m.sequenced ? forbidden : props.event_seq !== undefined && !forbidden) {
      problems.add(`schema/messages/${m.type}.json`, `x-arcp.sequenced is ${m.sequenced} but properties.event_seq is ${forbidden ? 'false (never sent)' : 'allowed'}`, {
        pointer: '/properties/event_seq',
        fix: m.sequenced ? 'reference defs/envelope.json#/$defs/EventSeq and require event_seq' : 'set "event_seq": false (and accept it leniently through x-arcp-accept-extra)',
      });
    }
  }
}

function checkFeatureGates(tree: SchemaTree, messages: readonly MessageMeta[], events: readonly EventMeta[], problems: ProblemList): void {
  const file = tree.protocol.features;
  const list = file !== undefined && isObject(file.json) && Array.isArray(file.json.features) ? file.json.features : [];
  list.forEach((f, i) => {
    if (!isObject(f) || !isObject(f.gated)) return;
    const gated = f.gated;
    for (const [key, facts, folder] of [['messages', messages.map((m) => [m.type, m.feature] as const), 'messages'], ['event_kinds', events.map((e) => [e.kind, e.feature] as const), 'events']] as const) {
      const names = Array.isArray(gated[key]) ? gated[key] : [];
      names.forEach((n, j) => {
        const fact = facts.find(([name]) => name === n);
        if (fact === undefined || fact[1] !== f.name) {
          problems.add(file!.source.path, `feature "${String(f.name)}" gates ${String(n)} but ${fact === undefined ? 'there is no such file' : `its x-arcp.feature is ${JSON.stringify(fact[1])}`}`, {
            pointer: `/features/${i}/gated/${key}/${j}`, fix: `set x-arcp.feature to "${String(f.name)}" in schema/${folder}/${String(n)}.json, or drop it from this list`,
          });
        }
      });
    }
  });
}

function defEnum(tree: SchemaTree, rel: string, pointer: (doc: JsonObject) => unknown): string[] | null {
  const doc = tree.defs.find((f) => f.relPath === rel)?.json;
  if (!isObject(doc)) return null;
  const value = pointer(doc);
  return Array.isArray(value) ? value.map(String) : null;
}

function checkCapabilities(tree: SchemaTree, reserved: readonly string[], problems: ProblemList): void {
  const names = defEnum(tree, 'defs/lease.json', (d) => {
    const cap = isObject(d.$defs) ? d.$defs.CapabilityName : undefined;
    const first = isObject(cap) && Array.isArray(cap.anyOf) ? cap.anyOf[0] : cap;
    return isObject(first) ? first.enum : undefined;
  });
  if (names !== null && reserved.length > 0 && !same(names, reserved)) {
    problems.add('schema/protocol/capabilities.json', `reserved names ${show(reserved)} differ from defs/lease.json CapabilityName ${show(names)}`, {
      pointer: '/reserved', fix: 'list the same names in both places',
    });
  }
}

function checkMachines(tree: SchemaTree, machines: readonly CheckedMachine[], problems: ProblemList): void {
  for (const m of machines) {
    const where = m.file.source.path;
    m.transitions.forEach((t) => {
      if (m.terminal.includes(t.from)) problems.add(where, `transition ${t.from} --${t.event}--> leaves terminal state "${t.from}"`, { pointer: '/transitions', fix: `remove it or take "${t.from}" out of "terminal"` });
      if (t.trigger === '') problems.add(where, `transition ${t.from} --${t.event}--> has no "trigger"`, { pointer: '/transitions', fix: 'say which wire message or timer fires it in "trigger"' });
    });
    for (const s of m.states) {
      if (!m.terminal.includes(s) && !m.transitions.some((t) => t.from === s)) {
        problems.add(where, `non-terminal state "${s}" has no transition out`, { pointer: '/states', fix: `add a transition from "${s}" or list it in "terminal"` });
      }
    }
  }
  const job = machines.find((m) => m.name === 'job');
  const statuses = defEnum(tree, 'defs/job-status.json', (d) => d.enum);
  if (job !== undefined && statuses !== null && !same(job.states, statuses)) {
    problems.add(job.file.source.path, `states ${show(job.states)} differ from defs/job-status.json ${show(statuses)}`, { pointer: '/states', fix: 'keep the job states and the JobStatus enum equal' });
  }
}

/** Every cross-file rule; problems are collected, the caller throws. */
export function checkAuthoring(
  tree: SchemaTree, messages: readonly MessageMeta[], events: readonly EventMeta[], reserved: readonly string[],
  machines: readonly CheckedMachine[], problems: ProblemList,
): void {
  checkAnswers(messages, problems);
  checkExplicitDispatch(tree, events, problems);
  checkCounterExamplesPresent(tree, problems);
  checkVariantsWhereDeclared(tree, problems);
  checkSequenced(tree.messages, messages, problems);
  checkFeatureGates(tree, messages, events, problems);
  checkCapabilities(tree, reserved, problems);
  checkMachines(tree, machines, problems);
}
