#!/usr/bin/env node
// Self-check for the schema/ tree (an authoring aid, not the project's test suite — the
// generator's tests in generator/test/ are the permanent ones). It derives the strict and
// lenient forms the way contracts.md §1 describes, compiles every schema with ajv (draft
// 2020-12), and checks: every example validates; every counter-example fails in BOTH forms with
// an issue at its `field`; every variant gets its documented strict/lenient verdict; every
// spec example is among its schema's examples; and the protocol data agrees with the shapes.
// Usage: node schema/tools/check.mjs            (exit 1 and a list of problems on failure)
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import Ajv2020 from 'ajv/dist/2020.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const BASE = 'https://arcp-kit.dev/schema/';
const DATA_KEYWORDS = new Set(['examples', 'const', 'enum', 'default', 'x-arcp']);
const DOCUMENT_KEYS = ['$id', '$schema', '$defs', 'title', 'description', 'examples', 'x-arcp'];
const problems = [];
const fail = (where, msg) => problems.push(`${where}: ${msg}`);
const isObj = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);

const readJson = (rel) => JSON.parse(readFileSync(join(ROOT, rel), 'utf8'));
const list = (dir) => (existsSync(join(ROOT, dir)) ? readdirSync(join(ROOT, dir)).filter((f) => f.endsWith('.json')).sort() : []);

/** Bottom-up rewrite that never descends into instance data (mirrors generator/model/schema-walk.ts). */
function mapSchema(node, rewrite) {
  if (Array.isArray(node)) return node.map((n) => mapSchema(n, rewrite));
  if (!isObj(node)) return node;
  const out = {};
  for (const [k, v] of Object.entries(node)) out[k] = DATA_KEYWORDS.has(k) ? v : mapSchema(v, rewrite);
  return rewrite(out);
}
function toStrict(doc) {
  return mapSchema(doc, (s) => {
    const { 'x-arcp-accept': _a, 'x-arcp-accept-optional': _o, 'x-arcp-accept-extra': extra, ...rest } = s;
    if (isObj(extra)) {
      rest.properties = { ...(rest.properties ?? {}) };
      for (const k of Object.keys(extra)) if (!(k in rest.properties)) rest.properties[k] = false;
    }
    return rest;
  });
}
function toLenient(doc) {
  return mapSchema(doc, (s) => {
    const { 'x-arcp-accept': accept, 'x-arcp-accept-optional': optional, 'x-arcp-accept-extra': extra, ...rest } = s;
    if (isObj(extra)) rest.properties = { ...(rest.properties ?? {}), ...extra };
    if (Array.isArray(optional) && Array.isArray(rest.required)) {
      rest.required = rest.required.filter((k) => !optional.includes(k));
      if (rest.required.length === 0) delete rest.required;
    }
    if (accept === undefined) return rest;
    const outer = {};
    for (const k of DOCUMENT_KEYS) if (k in rest) { outer[k] = rest[k]; delete rest[k]; }
    return { ...outer, anyOf: [rest, accept] };
  });
}

// ---- load
const docs = {}; // rel -> json
for (const dir of ['defs', 'messages', 'events']) for (const f of list(dir)) docs[`${dir}/${f}`] = readJson(`${dir}/${f}`);
const protocol = {};
for (const f of list('protocol')) protocol[f.replace(/\.json$/, '')] = readJson(`protocol/${f}`);

// ---- document rules
const pascal = (w) => w.split(/[^A-Za-z0-9]+/).filter(Boolean).map((p) => p[0].toUpperCase() + p.slice(1)).join('');
for (const [rel, d] of Object.entries(docs)) {
  if (d.$id !== BASE + rel) fail(rel, `$id must be ${BASE + rel}`);
  if (d.$schema !== 'https://json-schema.org/draft/2020-12/schema') fail(rel, '$schema must be draft 2020-12');
  if (!/^[A-Z][A-Za-z0-9]*$/.test(d.title ?? '')) fail(rel, 'title must be PascalCase');
  if (!Array.isArray(d.examples) || d.examples.length === 0) fail(rel, 'needs examples');
  const name = rel.split('/')[1].replace(/\.json$/, '');
  if (rel.startsWith('messages/')) {
    if (d.title !== pascal(name)) fail(rel, `title must be ${pascal(name)}`);
    if (d.properties?.type?.const !== name) fail(rel, `properties.type must be {const: "${name}"}`);
    if (!d.$defs?.[`${d.title}Payload`]) fail(rel, `needs $defs/${d.title}Payload`);
    else if (d.$defs[`${d.title}Payload`].title !== `${d.title}Payload`) fail(rel, `$defs/${d.title}Payload needs that title`);
  }
  if (rel.startsWith('events/')) {
    if (d.title !== `${pascal(name)}Body`) fail(rel, `title must be ${pascal(name)}Body`);
    if (d['x-arcp']?.kind !== name) fail(rel, 'x-arcp.kind must equal the file name');
  }
}

// ---- compile both forms
function makeAjv(mode) {
  const ajv = new Ajv2020({ strictSchema: true, strictNumbers: true, strictTypes: false, strictTuples: true, strictRequired: false, allErrors: true, allowUnionTypes: true });
  for (const kw of ['x-arcp', 'x-arcp-accept', 'x-arcp-accept-optional', 'x-arcp-accept-extra']) ajv.addKeyword({ keyword: kw, schemaType: ['object', 'array', 'boolean'] });
  for (const [rel, d] of Object.entries(docs)) {
    let form = mode === 'strict' ? toStrict(d) : toLenient(d);
    if (mode === 'strict' && d['x-arcp']?.legacy === true) form = { $id: form.$id, $defs: form.$defs, not: {} }; // legacy: never sent
    ajv.addSchema(form);
  }
  return ajv;
}
const ajvs = { strict: makeAjv('strict'), lenient: makeAjv('lenient') };
const validator = (mode, id) => {
  try {
    const v = ajvs[mode].getSchema(id);
    if (!v) throw new Error(`no schema ${id}`);
    return v;
  } catch (e) {
    fail(id, `${mode} compile: ${e.message}`);
    return null;
  }
};
/** Issues as the generator reports them: JSON pointer of the offending value. */
function issues(v) {
  return (v.errors ?? []).map((e) => {
    let path = e.instancePath;
    if (e.keyword === 'required' || e.keyword === 'dependentRequired') path += `/${e.params.missingProperty}`;
    return { path, keyword: e.keyword, message: e.message };
  });
}
const check = (mode, id, value) => {
  const v = validator(mode, id);
  if (!v) return { ok: false, issues: [] };
  const ok = v(value);
  return { ok, issues: ok ? [] : issues(v) };
};
const idOf = (name) => (existsSync(join(ROOT, 'messages', `${name}.json`)) ? `${BASE}messages/${name}.json` : `${BASE}events/${name}.json`);

// ---- examples (documents and their $defs)
for (const [rel, d] of Object.entries(docs)) {
  const legacy = d['x-arcp']?.legacy === true;
  const targets = [[BASE + rel, d.examples ?? []], ...Object.entries(d.$defs ?? {}).map(([k, s]) => [`${BASE + rel}#/$defs/${k}`, s.examples ?? []])];
  for (const [id, examples] of targets) {
    examples.forEach((ex, i) => {
      for (const mode of ['strict', 'lenient']) {
        const r = check(mode, id, ex);
        const expect = !(legacy && mode === 'strict' && !id.includes('#'));
        if (r.ok !== expect) fail(`${id} examples[${i}]`, `${mode}: expected ${expect ? 'valid' : 'invalid'} ${JSON.stringify(r.issues)}`);
      }
    });
  }
}

// ---- counter-examples: invalid in both forms, with an issue at `field`
for (const f of list('counter-examples')) {
  const name = f.replace(/\.json$/, '');
  const id = idOf(name);
  if (!docs[id.slice(BASE.length)]) { fail(`counter-examples/${f}`, 'names no message or event'); continue; }
  const legacy = docs[id.slice(BASE.length)]['x-arcp']?.legacy === true;
  readJson(`counter-examples/${f}`).forEach((c, i) => {
    for (const mode of ['strict', 'lenient']) {
      const r = check(mode, id, c.value);
      if (r.ok) fail(`counter-examples/${f}[${i}]`, `${mode} accepted it (${c.why})`);
      else if (legacy && mode === 'strict') continue; // strict rejects every legacy message; the field is checked leniently
      else if (!r.issues.some((x) => x.path === c.field)) fail(`counter-examples/${f}[${i}]`, `${mode}: no issue at ${c.field}: ${JSON.stringify(r.issues)}`);
    }
  });
}
for (const rel of Object.keys(docs).filter((r) => r.startsWith('messages/') || r.startsWith('events/'))) {
  const name = rel.split('/')[1];
  if (!existsSync(join(ROOT, 'counter-examples', name))) fail(rel, 'has no counter-examples file');
}

// ---- variants: documented strict/lenient verdicts
for (const f of list('variants')) {
  const name = f.replace(/\.json$/, '');
  const id = name.startsWith('defs.') ? `${BASE}defs/${name.slice(5)}.json` : idOf(name);
  readJson(`variants/${f}`).forEach((v, i) => {
    for (const mode of ['strict', 'lenient']) {
      const r = check(mode, id, v.value);
      const want = v[mode] === 'accept';
      if (r.ok !== want) fail(`variants/${f}[${i}]`, `${mode} should ${v[mode]} (${v.why}) ${JSON.stringify(r.issues)}`);
    }
  });
}

// ---- spec examples: validate strictly and are among the schema's examples
if (existsSync(join(ROOT, 'spec-examples.json'))) {
  readJson('spec-examples.json').forEach((e, i) => {
    const [file, frag] = e.schema.split('#');
    const d = docs[file];
    if (!d) return fail(`spec-examples[${i}]`, `unknown schema ${e.schema}`);
    const r = check('strict', BASE + e.schema, e.example);
    if (!r.ok) fail(`spec-examples[${i}] ${e.section}`, `strict rejects: ${JSON.stringify(r.issues)}`);
    const holder = frag ? frag.split('/').filter(Boolean).reduce((n, k) => n?.[k], d) : d;
    if (!(holder?.examples ?? []).some((x) => isDeepStrictEqual(x, e.example))) fail(`spec-examples[${i}] ${e.section}`, `not among ${e.schema} examples`);
  });
}

// ---- protocol data vs shapes
const sameSet = (a, b) => a.length === b.length && [...a].sort().join() === [...b].sort().join();
const kinds = list('events').map((f) => f.replace(/\.json$/, ''));
if (!sameSet(docs['defs/event-kind.json'].enum, kinds)) fail('defs/event-kind.json', `enum must equal the events/ files ${kinds}`);
const dispatch = docs['messages/job.event.json'].$defs.JobEventPayload.allOf.map((b) => b.if.properties.kind.const);
if (!sameSet(dispatch, kinds)) fail('messages/job.event.json', 'body dispatch must have one branch per events/ file');
const messageTypes = list('messages').map((f) => f.replace(/\.json$/, ''));
if (protocol.features) {
  const names = protocol.features.features.map((x) => x.name);
  if (!sameSet(names, docs['defs/feature.json'].enum)) fail('protocol/features.json', 'must list exactly defs/feature.json enum');
  for (const ft of protocol.features.features) {
    for (const m of ft.gated.messages ?? []) if (docs[`messages/${m}.json`]?.['x-arcp'].feature !== ft.name) fail('protocol/features.json', `${ft.name} gates ${m} but its x-arcp.feature differs`);
    for (const k of ft.gated.event_kinds ?? []) if (docs[`events/${k}.json`]?.['x-arcp'].feature !== ft.name) fail('protocol/features.json', `${ft.name} gates ${k} but its x-arcp.feature differs`);
  }
  for (const [rel, d] of Object.entries(docs)) {
    const f = d['x-arcp']?.feature;
    if (f && !names.includes(f)) fail(rel, `x-arcp.feature ${f} is not a feature`);
  }
}
for (const t of messageTypes) {
  const x = docs[`messages/${t}.json`]['x-arcp'];
  for (const r of x.replies) {
    if (!messageTypes.includes(r)) fail(t, `replies names unknown ${r}`);
    else if (!docs[`messages/${r}.json`]['x-arcp'].answers.includes(t)) fail(t, `replies ${r} but ${r}.answers lacks ${t}`);
  }
  for (const a of x.answers) {
    if (!messageTypes.includes(a)) fail(t, `answers names unknown ${a}`);
    else if (!docs[`messages/${a}.json`]['x-arcp'].replies.includes(t)) fail(t, `answers ${a} but ${a}.replies lacks ${t}`);
  }
  const seqProp = docs[`messages/${t}.json`].properties.event_seq;
  if (x.sequenced !== (seqProp !== false)) fail(t, 'x-arcp.sequenced disagrees with properties.event_seq');
}
if (protocol.errors) {
  const codes = protocol.errors.codes.map((c) => c.code);
  if (!sameSet(codes, docs['defs/error-code.json'].enum)) fail('protocol/errors.json', 'must list exactly defs/error-code.json enum');
  // pinned codes must agree with the retryable rules of defs/error-payload.json
  for (const c of protocol.errors.codes.filter((c) => c.pinned)) {
    const bad = { code: c.code, message: 'x', retryable: !c.retryable };
    if (check('strict', `${BASE}defs/error-payload.json`, bad).ok) fail('protocol/errors.json', `${c.code} is pinned but strict accepts retryable:${!c.retryable}`);
  }
}
if (protocol.capabilities) {
  const capEnum = docs['defs/lease.json'].$defs.CapabilityName.anyOf[0].enum;
  if (!sameSet(protocol.capabilities.reserved, capEnum)) fail('protocol/capabilities.json', 'must equal defs/lease.json CapabilityName enum');
}
for (const m of ['session-machine', 'job-machine']) {
  const mc = protocol[m];
  if (!mc) continue;
  const states = mc.states.map((s) => s.name);
  if (!states.includes(mc.initial)) fail(m, 'initial not a state');
  for (const t of mc.transitions) {
    if (!states.includes(t.from) || !states.includes(t.to)) fail(m, `bad transition ${JSON.stringify(t)}`);
    if (mc.terminal.includes(t.from)) fail(m, `transition out of terminal ${t.from}`);
    if (!t.trigger) fail(m, `transition ${t.from}--${t.event} has no trigger`);
  }
  for (const s of states) if (!mc.terminal.includes(s) && !mc.transitions.some((t) => t.from === s)) fail(m, `non-terminal ${s} has no way out`);
}
if (protocol['job-machine']) {
  if (!sameSet(protocol['job-machine'].states.map((s) => s.name), docs['defs/job-status.json'].enum)) fail('job-machine', 'states must equal defs/job-status.json');
}

if (problems.length) {
  console.error(problems.join('\n'));
  console.error(`\n${problems.length} problem(s)`);
  process.exit(1);
}
console.log(`schema ok: ${Object.keys(docs).length} schemas, both forms compile, examples/counter-examples/variants/spec examples agree`);
