// Authoring rules about the instances schema/ ships (formerly schema/tools/check.mjs, which nothing
// ran): every example validates in both forms; every counter-example fails in both forms with an
// issue at its `field`; every variant gets its documented verdicts; every spec example validates
// strictly and is one of its schema's examples; pinned error codes are really pinned. Runs inside
// `arcp generate` and `--check` on the derived model, compiled with the emitter's ajv options.
import { isDeepStrictEqual } from 'node:util';
import type { Ajv2020 } from 'ajv/dist/2020.js';
import { EVENT_CARRIER } from '../model/event-carrier.js';
import type { Json, JsonObject, ProtocolModel } from '../model/ir.js';
import { schemaIdFor } from '../model/names.js';
import { escapePointer, getPointer, isObject } from '../model/schema-walk.js';
import { createAjv } from '../validation/ajv-setup.js';
import type { SchemaFile, SchemaTree } from './read-schemas.js';
import type { ProblemList } from './schema-error.js';

type Mode = 'strict' | 'lenient';
const MODES: readonly Mode[] = ['strict', 'lenient'];
interface Issue { path: string; keyword: string; message: string }
interface Verdict { ok: boolean; issues: Issue[] }

/** Validates instances like generated/validators.ts does (legacy strict rejection, body dispatch). */
class InstanceChecker {
  private readonly ajv: Record<Mode, Ajv2020>;
  private readonly legacy: Set<string>;
  private readonly kinds: Map<string, string>;

  constructor(private readonly model: ProtocolModel) {
    this.ajv = {
      strict: createAjv(model.strictSchemas, { forStandalone: false }),
      lenient: createAjv(model.lenientSchemas, { forStandalone: false }),
    };
    this.legacy = new Set(model.messages.filter((m) => m.legacy).map((m) => m.schemaId));
    this.kinds = new Map(model.eventKinds.map((e) => [e.kind, e.schemaId]));
  }

  /** `id` is a `$id`, optionally with a `#/$defs/...` fragment. Compile failures surface as one issue. */
  check(mode: Mode, id: string, value: unknown): Verdict {
    let validate;
    try {
      validate = this.ajv[mode].getSchema(id);
    } catch (err) {
      return { ok: false, issues: [{ path: '', keyword: 'compile', message: (err as Error).message }] };
    }
    if (validate === undefined) return { ok: false, issues: [{ path: '', keyword: 'compile', message: `no schema ${id}` }] };
    const issues: Issue[] = [];
    if (!validate(value)) {
      for (const e of validate.errors ?? []) {
        const key = e.params.missingProperty ?? e.params.additionalProperty;
        issues.push({ path: e.instancePath + (typeof key === 'string' ? `/${escapePointer(key)}` : ''), keyword: e.keyword, message: e.message ?? e.keyword });
      }
    }
    if (mode === 'strict' && this.legacy.has(id)) issues.unshift({ path: '/type', keyword: 'x-arcp-legacy', message: 'legacy: never sent' });
    if (issues.length === 0 && id === this.carrierId() && isObject(value as Json) && isObject((value as JsonObject).payload)) {
      const payload = (value as JsonObject).payload as JsonObject;
      const body = this.kinds.get(String(payload.kind));
      if (body !== undefined) {
        const inner = this.check(mode, body, payload.body);
        for (const i of inner.issues) issues.push({ ...i, path: `/payload/body${i.path}` });
      }
    }
    return { ok: issues.length === 0, issues };
  }

  private carrierId(): string | undefined {
    return this.model.messages.find((m) => m.type === EVENT_CARRIER)?.schemaId;
  }

  isLegacy(id: string): boolean {
    return this.legacy.has(id);
  }
}

function list(json: Json): readonly Json[] {
  return Array.isArray(json) ? json : [];
}

/** Where an entry of a counter-examples / variants list lives, for problem messages. */
function entryLocation(file: SchemaFile, i: number): { file: string; pointer: string } {
  const [path, inner] = file.source.path.split('#');
  return { file: path, pointer: `${inner ?? ''}/${i}` };
}

/** `job.submit` -> messages/job.submit.json, `log` -> events/log.json, `defs.lease` -> defs/lease.json (or null). */
function targetId(model: ProtocolModel, name: string): string | null {
  if (name.startsWith('defs.')) {
    const id = schemaIdFor(`defs/${name.slice(5)}.json`);
    return model.defs.some((d) => d.schemaId === id) ? id : null;
  }
  return model.messages.find((m) => m.type === name)?.schemaId ?? model.eventKinds.find((e) => e.kind === name)?.schemaId ?? null;
}

function nameOf(file: SchemaFile): string {
  return file.relPath.slice(file.relPath.indexOf('/') + 1, -'.json'.length);
}

function checkExamples(tree: SchemaTree, checker: InstanceChecker, problems: ProblemList): void {
  for (const file of [...tree.defs, ...tree.messages, ...tree.events]) {
    const doc = file.json;
    if (!isObject(doc)) continue;
    const id = schemaIdFor(file.relPath);
    const targets: [string, string, Json | undefined][] = [[id, '', doc.examples]];
    for (const [name, sub] of Object.entries(isObject(doc.$defs) ? doc.$defs : {})) {
      if (isObject(sub)) targets.push([`${id}#/$defs/${name}`, `/$defs/${escapePointer(name)}`, sub.examples]);
    }
    for (const [target, at, examples] of targets) {
      list(examples ?? []).forEach((example, i) => {
        for (const mode of MODES) {
          if (mode === 'strict' && checker.isLegacy(target)) continue;
          const r = checker.check(mode, target, example);
          if (!r.ok) {
            problems.add(file.source.path, `example ${i} is invalid in the ${mode} form: ${summary(r.issues)}`, {
              pointer: `${at}/examples/${i}`,
              fix: 'correct the example, or the schema if the example is right (examples must validate in both forms)',
            });
          }
        }
      });
    }
  }
}

function summary(issues: readonly Issue[]): string {
  return issues.slice(0, 3).map((i) => `${i.path || '/'} ${i.message}`).join('; ');
}

function checkCounterExamples(tree: SchemaTree, model: ProtocolModel, checker: InstanceChecker, problems: ProblemList): void {
  for (const file of tree.counterExamples) {
    const id = targetId(model, nameOf(file));
    const [path] = file.source.path.split('#');
    if (id === null || id.includes('/defs/')) {
      problems.add(path, `names no message type or event kind ("${nameOf(file)}")`, { pointer: '', fix: 'name the file <wire type>.json or <event kind>.json' });
      continue;
    }
    if (!Array.isArray(file.json)) {
      problems.add(path, 'counter-examples must be an array of { "why", "field", "value" }', { pointer: entryLocation(file, 0).pointer.slice(0, -2), fix: 'make it a JSON array of { "why": "...", "field": "<JSON pointer>", "value": <invalid instance> }' });
      continue;
    }
    file.json.forEach((c, i) => {
      const at = entryLocation(file, i);
      if (!isObject(c) || typeof c.why !== 'string' || typeof c.field !== 'string' || !('value' in c)) {
        problems.add(at.file, 'a counter-example needs "why" (text), "field" (JSON pointer) and "value"', { pointer: at.pointer, fix: 'add the missing keys' });
        return;
      }
      for (const mode of MODES) {
        const r = checker.check(mode, id, c.value);
        if (r.ok) {
          problems.add(at.file, `counter-example (${c.why}) is accepted by the ${mode} form`, {
            pointer: at.pointer, fix: 'make the value invalid in both forms, or tighten the schema',
          });
        } else if (!(mode === 'strict' && checker.isLegacy(id)) && !r.issues.some((x) => x.path === c.field)) {
          problems.add(at.file, `counter-example (${c.why}): no ${mode} issue at "${c.field}" (found ${summary(r.issues)})`, {
            pointer: `${at.pointer}/field`, fix: `set "field" to the JSON pointer the validator names, or fix the value so ${c.field} is what fails`,
          });
        }
      }
    });
  }
}

function checkVariants(tree: SchemaTree, model: ProtocolModel, checker: InstanceChecker, problems: ProblemList): void {
  for (const file of tree.variants) {
    const id = targetId(model, nameOf(file));
    const [path] = file.source.path.split('#');
    if (id === null) {
      problems.add(path, `names no message type, event kind or defs.<name> ("${nameOf(file)}")`, { pointer: '', fix: 'rename the file after its target' });
      continue;
    }
    list(file.json).forEach((v, i) => {
      const at = entryLocation(file, i);
      const verdicts = ['accept', 'reject'];
      if (!isObject(v) || typeof v.why !== 'string' || !verdicts.includes(String(v.strict)) || !verdicts.includes(String(v.lenient)) || !('value' in v)) {
        problems.add(at.file, 'a variant needs "why", "strict" and "lenient" ("accept" | "reject") and "value"', { pointer: at.pointer, fix: 'add the missing keys' });
        return;
      }
      for (const mode of MODES) {
        const r = checker.check(mode, id, v.value);
        const want = v[mode] === 'accept';
        if (r.ok !== want) {
          problems.add(at.file, `variant (${v.why}): the ${mode} form should ${String(v[mode])} it${r.ok ? '' : ` (${summary(r.issues)})`}`, {
            pointer: `${at.pointer}/${mode}`, fix: `change the schema (an x-arcp-accept* mark for the lenient form) or the documented "${mode}" verdict`,
          });
        }
      }
    });
  }
}

function checkSpecExamples(tree: SchemaTree, checker: InstanceChecker, problems: ProblemList): void {
  const file = tree.specExamples;
  if (file === null) return;
  const docs = new Map([...tree.defs, ...tree.messages, ...tree.events].map((f) => [f.relPath, f.json]));
  list(file.json).forEach((e, i) => {
    if (!isObject(e) || typeof e.schema !== 'string') {
      problems.add(file.source.path, 'a spec example needs "section", "schema", "made_valid" and "example"', { pointer: `/${i}`, fix: 'add the missing keys' });
      return;
    }
    const [rel, fragment] = e.schema.split('#');
    const doc = docs.get(rel);
    if (doc === undefined) {
      problems.add(file.source.path, `names unknown schema "${e.schema}"`, { pointer: `/${i}/schema`, fix: 'use a path under schema/ (messages/x.json, defs/y.json#/$defs/Z)' });
      return;
    }
    const r = checker.check('strict', schemaIdFor(rel) + (fragment ? `#${fragment}` : ''), e.example ?? null);
    if (!r.ok) problems.add(file.source.path, `spec example (${String(e.section)}) is invalid strictly: ${summary(r.issues)}`, { pointer: `/${i}/example`, fix: 'make it valid and say how in "made_valid"' });
    const holder = fragment ? getPointer(doc, fragment) : doc;
    const examples = isObject(holder) ? list(holder.examples ?? []) : [];
    if (!examples.some((x) => isDeepStrictEqual(x, e.example))) {
      problems.add(file.source.path, `spec example (${String(e.section)}) is not among the examples of ${e.schema}`, { pointer: `/${i}/example`, fix: `copy it into the "examples" of ${e.schema}` });
    }
  });
}

/** A pinned code (§12) whose strict error payload accepts the other `retryable` value is not pinned. */
function checkPinnedCodes(model: ProtocolModel, checker: InstanceChecker, problems: ProblemList): void {
  const payloadId = schemaIdFor('defs/error-payload.json');
  if (!model.defs.some((d) => d.schemaId === payloadId)) return;
  for (const c of model.errorCodes.filter((e) => e.pinned)) {
    if (checker.check('strict', payloadId, { code: c.code, message: 'x', retryable: !c.retryable }).ok) {
      problems.add('schema/protocol/errors.json', `${c.code} is pinned to retryable: ${c.retryable} but strict defs/error-payload.json accepts retryable: ${!c.retryable}`, {
        pointer: '', fix: `add an if/then rule to defs/error-payload.json pinning retryable for ${c.code}`,
      });
    }
  }
}

/** Checks every instance schema/ ships against the derived model. */
export function checkInstances(tree: SchemaTree, model: ProtocolModel, problems: ProblemList): void {
  const checker = new InstanceChecker(model);
  checkExamples(tree, checker, problems);
  checkCounterExamples(tree, model, checker, problems);
  checkVariants(tree, model, checker, problems);
  checkSpecExamples(tree, checker, problems);
  checkPinnedCodes(model, checker, problems);
}
