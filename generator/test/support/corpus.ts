// Test-only: the instances schema/ ships for checking validators (examples, counter-examples,
// variants, spec examples), each tied to the schema it targets, plus runtime-compiled checkers.
import { createRequire } from 'node:module';
import type { Ajv2020 } from 'ajv/dist/2020.js';
import type { SchemaTree } from '../../load/read-schemas.js';
import type { Json, ProtocolModel } from '../../model/ir.js';
import { schemaIdFor } from '../../model/names.js';
import { isObject } from '../../model/schema-walk.js';
import { createAjv } from '../../validation/ajv-setup.js';

export type Mode = 'strict' | 'lenient';
export interface Verdict { ok: boolean; issues: { path: string; keyword: string; message: string }[] }
/** A schema/ instance and the schema it is meant for (`messages/x.json`, `defs/y.json#/$defs/Z`). */
export interface Instance { label: string; target: string; value: Json }
export interface CounterExample extends Instance { field: string }
export interface Variant extends Instance { strict: 'accept' | 'reject'; lenient: 'accept' | 'reject' }

function list(json: Json): Json[] {
  return Array.isArray(json) ? json : [];
}

/** `job.submit` -> messages/job.submit.json; `log` -> events/log.json; `defs.lease` -> defs/lease.json. */
export function targetOf(model: ProtocolModel, name: string): string {
  if (name.startsWith('defs.')) return `defs/${name.slice(5)}.json`;
  if (model.messages.some((m) => m.type === name)) return `messages/${name}.json`;
  return `events/${name}.json`;
}

/** Top-level examples of every document and the examples of its `$defs` entries. */
export function examples(tree: SchemaTree): Instance[] {
  const out: Instance[] = [];
  for (const file of [...tree.defs, ...tree.messages, ...tree.events]) {
    const doc = file.json;
    if (!isObject(doc)) continue;
    list(doc.examples ?? []).forEach((value, i) => out.push({ label: `${file.relPath} examples[${i}]`, target: file.relPath, value }));
    for (const [name, sub] of Object.entries(isObject(doc.$defs) ? doc.$defs : {})) {
      if (!isObject(sub)) continue;
      list(sub.examples ?? []).forEach((value, i) =>
        out.push({ label: `${file.relPath}#/$defs/${name} examples[${i}]`, target: `${file.relPath}#/$defs/${name}`, value }));
    }
  }
  return out;
}

export function counterExamples(tree: SchemaTree, model: ProtocolModel): CounterExample[] {
  return tree.counterExamples.flatMap((file) => {
    const name = file.relPath.slice('counter-examples/'.length, -'.json'.length);
    return list(file.json).filter(isObject).map((c, i) => ({
      label: `${file.source.path}[${i}] (${String(c.why)})`, target: targetOf(model, name), value: c.value ?? null, field: String(c.field),
    }));
  });
}

export function variants(tree: SchemaTree, model: ProtocolModel): Variant[] {
  return tree.variants.flatMap((file) => {
    const name = file.relPath.slice('variants/'.length, -'.json'.length);
    return list(file.json).filter(isObject).map((v, i) => ({
      label: `${file.source.path}[${i}] (${String(v.why)})`, target: targetOf(model, name), value: v.value ?? null,
      strict: v.strict === 'accept' ? 'accept' as const : 'reject' as const,
      lenient: v.lenient === 'accept' ? 'accept' as const : 'reject' as const,
    }));
  });
}

export function specExamples(tree: SchemaTree): Instance[] {
  return list(tree.specExamples?.json ?? []).filter(isObject).map((e, i) => ({
    label: `spec-examples.json[${i}] ${String(e.section)}`, target: String(e.schema), value: e.example ?? null,
  }));
}

/** The generated validators module's API (contracts.md §2), as the tests use it. */
export interface ValidatorsApi {
  validateMessage(mode: Mode, value: unknown): { ok: true } | { ok: false; issues: Verdict['issues'] };
  validateEventBody(mode: Mode, kind: string, body: unknown): { ok: true } | { ok: false; issues: Verdict['issues'] } | { ok: 'unknown-kind' };
}

function ajvIssues(ajv: Ajv2020, id: string, value: unknown): Verdict {
  const validate = ajv.getSchema(id);
  if (validate === undefined) throw new Error(`no schema ${id}`);
  if (validate(value)) return { ok: true, issues: [] };
  return {
    ok: false,
    issues: (validate.errors ?? []).map((e) => {
      const key = e.params.missingProperty ?? e.params.additionalProperty;
      return { path: e.instancePath + (typeof key === 'string' ? `/${key}` : ''), keyword: e.keyword, message: e.message ?? '' };
    }),
  };
}

/** Runtime-compiled ajv per mode over the model's schema docs (same options as the emitter). */
export function runtimeAjv(model: ProtocolModel): Record<Mode, Ajv2020> {
  return {
    strict: createAjv(model.strictSchemas, { forStandalone: false }),
    lenient: createAjv(model.lenientSchemas, { forStandalone: false }),
  };
}

/**
 * Checks an instance the way a consumer would: messages and event bodies through the generated
 * API; defs and `$defs` fragments (which have no generated entry point) through runtime ajv.
 */
export function makeChecker(api: ValidatorsApi, model: ProtocolModel): (mode: Mode, target: string, value: unknown) => Verdict {
  const ajv = runtimeAjv(model);
  return (mode, target, value) => {
    const message = /^messages\/([^#]+)\.json$/.exec(target);
    if (message) {
      const r = api.validateMessage(mode, value);
      return r.ok === true ? { ok: true, issues: [] } : { ok: false, issues: r.issues };
    }
    const event = /^events\/([^#]+)\.json$/.exec(target);
    if (event) {
      const r = api.validateEventBody(mode, event[1], value);
      if (r.ok === 'unknown-kind') throw new Error(`generated validators do not know event kind ${event[1]}`);
      return r.ok === true ? { ok: true, issues: [] } : { ok: false, issues: r.issues };
    }
    const [file, fragment] = target.split('#');
    return ajvIssues(ajv[mode], schemaIdFor(file) + (fragment ? `#${fragment}` : ''), value);
  };
}

/** Loads a generated standalone module (CommonJS) from an output directory. */
export function loadStandalone(outDir: string, mode: Mode): Record<string, ((v: unknown) => boolean) & { errors?: unknown }> {
  return createRequire(import.meta.url)(`${outDir}/validators.${mode}.cjs`);
}
