// Invariant: a generated fast verdict (generated/validators.fast.ts) never disagrees with the ajv
// standalone validator of the same export and mode — on every instance schema/ ships, and on
// thousands of schema-generated and mutated instances. A fast `true` skips ajv in validateMessage,
// so a disagreement would accept a frame ajv rejects (or slow down a valid one).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arbitraryForRef, indexSchemas } from '../../conformance/arbitraries/from-schema.js';
import { SCHEMA_BUNDLE } from '../../generated/schemas.js';
import { FAST_FALLBACKS, FAST_MESSAGE, FAST_VERDICTS } from '../../generated/validators.fast.js';
import { validateMessage } from '../../generated/validators.js';
import { carrierDispatchesBodies, EVENT_CARRIER } from '../emit/validators-api.js';
import { compileFastVerdicts } from '../emit/validators-fast.js';
import { validatorExports } from '../emit/validators-code.js';
import { loadProtocol } from '../load/index.js';
import type { Json, SchemaDoc } from '../model/ir.js';
import { counterExamples, examples, loadStandalone, specExamples, variants, type Mode } from './support/corpus.js';
import { GENERATED_DIR, SCHEMA_DIR } from './support/temp-output.js';

const MODES: Mode[] = ['strict', 'lenient'];
const { model, tree } = loadProtocol(SCHEMA_DIR);
const exportNames = Object.keys(validatorExports(model)).sort();
const corpus: Json[] = [
  ...examples(tree), ...counterExamples(tree, model), ...variants(tree, model), ...specExamples(tree),
].map((c) => c.value);

/** One mutation of the brief's list, applied at the `at`-th object/array/string node of a value. */
type Mutation = 'drop-key' | 'retype' | 'wrong-const' | 'bad-pattern' | 'extra-key' | 'empty-string';

function nodes(value: unknown, out: unknown[][] = [], path: unknown[] = []): unknown[][] {
  out.push(path);
  if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) nodes(v, out, [...path, Array.isArray(value) ? Number(k) : k]);
  }
  return out;
}

function mutate(value: unknown, mutation: Mutation, at: number, seed: number): unknown {
  const copy = structuredClone(value);
  const paths = nodes(copy);
  const path = paths[at % paths.length];
  const holder = { root: copy } as Record<string, unknown>;
  let parent: Record<string | number, unknown> = holder;
  let key: string | number = 'root';
  for (const step of path) {
    parent = parent[key] as Record<string | number, unknown>;
    key = step as string | number;
  }
  const target = parent[key];
  const retyped = [0, 1.5, -1, 'x', '', true, null, [], {}][seed % 9];
  switch (mutation) {
    case 'drop-key':
      if (target !== null && typeof target === 'object' && !Array.isArray(target)) {
        const keys = Object.keys(target);
        if (keys.length > 0) delete (target as Record<string, unknown>)[keys[seed % keys.length]];
      } else if (!Array.isArray(parent)) delete parent[key];
      break;
    case 'retype': parent[key] = retyped; break;
    case 'wrong-const': parent[key] = typeof target === 'string' ? `${target}_wrong` : typeof target === 'number' ? target + 0.5 : 'wrong'; break;
    case 'bad-pattern': parent[key] = typeof target === 'string' ? ['!', ' ', 'Z', '.', '\u{1F600}'][seed % 5] + target : 'not a pattern!'; break;
    case 'extra-key':
      if (target !== null && typeof target === 'object' && !Array.isArray(target)) (target as Record<string, unknown>)[`extra_${seed % 3}`] = retyped;
      else parent[key] = { extra: retyped };
      break;
    case 'empty-string': parent[key] = ''; break;
  }
  return holder.root;
}

const mutationArb = fc.record({
  mutation: fc.constantFrom<Mutation>('drop-key', 'retype', 'wrong-const', 'bad-pattern', 'extra-key', 'empty-string'),
  at: fc.nat(), seed: fc.nat(),
});

function mutated(base: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc.tuple(base, fc.array(mutationArb, { maxLength: 3 }))
    .map(([value, ms]) => ms.reduce((v, m) => mutate(v, m.mutation, m.at, m.seed), value));
}

describe('fast verdicts equal ajv verdicts', () => {
  it('job.event, every event body and every message have a fast verdict in both modes', () => {
    for (const mode of MODES) {
      expect(FAST_FALLBACKS[mode]).toEqual([]);
      expect(Object.keys(FAST_VERDICTS[mode]).sort()).toEqual(exportNames);
    }
  });

  it.each(MODES)('%s: same verdict as ajv on every schema/ instance, for every export', (mode) => {
    const ajv = loadStandalone(GENERATED_DIR, mode);
    expect(corpus.length).toBeGreaterThan(100);
    let accepted = 0;
    const mismatches: string[] = [];
    for (const [name, fast] of Object.entries(FAST_VERDICTS[mode])) {
      corpus.forEach((value, i) => {
        const expected = ajv[name](value);
        if (expected) accepted++;
        if (fast(value) !== expected) mismatches.push(`${name} on corpus[${i}]: ajv says ${expected}`);
      });
    }
    expect(mismatches).toEqual([]);
    expect(accepted).toBeGreaterThan(0);
  });

  it.each(MODES)('%s: same verdict on schema-generated and mutated instances (fast-check)', (mode) => {
    const ajv = loadStandalone(GENERATED_DIR, mode);
    const index = indexSchemas(SCHEMA_BUNDLE);
    const definitions = SCHEMA_BUNDLE.definitions as Record<string, unknown>;
    const generated = exportNames.filter((n) => n in definitions)
      .map((name) => fc.tuple(fc.constant(name), mutated(arbitraryForRef(index, String(SCHEMA_BUNDLE.$id), `#/definitions/${name}`))));
    const fromCorpus = fc.tuple(fc.constantFrom(...exportNames), mutated(fc.constantFrom(...corpus)));
    let accepted = 0;
    let rejected = 0;
    fc.assert(fc.property(fc.oneof(fc.oneof(...generated), fromCorpus), ([name, value]) => {
      const expected = ajv[name](value);
      if (expected) accepted++;
      else rejected++;
      expect(FAST_VERDICTS[mode][name](value), `${name}: ${JSON.stringify(value)}`).toBe(expected);
    }), { numRuns: 4000, seed: mode === 'strict' ? 2 : 3 });
    // Both verdicts must occur often, or the property would not test the accepting path.
    expect(accepted).toBeGreaterThan(200);
    expect(rejected).toBeGreaterThan(200);
  });

  it.each(MODES)('%s: validateMessage keeps ajv issues for rejected frames', (mode) => {
    const frame = (tree.messages.find((f) => f.relPath === 'messages/job.event.json')!.json as { examples: Record<string, unknown>[] }).examples[0];
    const bad = { ...frame, event_seq: 'seven' };
    const verdict = validateMessage(mode, bad);
    expect(verdict.ok).toBe(false);
    if (verdict.ok === false) expect(verdict.issues.map((i) => i.path)).toContain('/event_seq');
    expect(validateMessage(mode, frame).ok).toBe(true);
  });
});

/** validateMessage's verdict computed from ajv alone: envelope+payload, then the carrier's body by kind. */
function ajvAccepts(ajv: ReturnType<typeof loadStandalone>, mode: Mode, value: unknown): boolean {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const frame = value as Record<string, unknown>;
  const message = model.messages.find((m) => m.type === frame.type);
  if (message === undefined || (mode === 'strict' && message.legacy) || !ajv[message.names.typeName](value)) return false;
  if (message.type !== EVENT_CARRIER || carrierDispatchesBodies(model)) return true;
  const payload = frame.payload as Record<string, unknown>;
  const kind = model.eventKinds.find((e) => e.kind === String(payload.kind));
  return kind === undefined || ajv[kind.names.typeName](payload.body);
}

describe('the whole-message fast verdict (FAST_MESSAGE) equals the ajv message verdict', () => {
  const messageFrames = corpus.filter((v) => v !== null && typeof v === 'object' && !Array.isArray(v) && 'type' in v);
  const carrierFrames = messageFrames.filter((v) => (v as { type?: unknown }).type === EVENT_CARRIER) as Record<string, Record<string, unknown>>[];
  // Every carrier example re-labelled with every kind (and some unknown or non-string kinds): bodies that do not match.
  const relabelled = carrierFrames.flatMap((f) => [...model.eventKinds.map((e) => e.kind), 'x-vendor.acme.note', 'no_such_kind', 7, null]
    .map((kind) => ({ ...f, payload: { ...f.payload, kind } })));

  it.each(MODES)('%s: accepts every valid message example in one call, and agrees with ajv on the corpus', (mode) => {
    const ajv = loadStandalone(GENERATED_DIR, mode);
    const mismatches: string[] = [];
    let accepted = 0;
    for (const value of [...corpus, ...relabelled]) {
      const expected = ajvAccepts(ajv, mode, value);
      if (expected) accepted++;
      if (FAST_MESSAGE[mode](value) !== expected) mismatches.push(`ajv says ${expected}: ${JSON.stringify(value).slice(0, 200)}`);
      expect(validateMessage(mode, value).ok).toBe(expected);
    }
    expect(mismatches).toEqual([]);
    // Every message type's examples must take the fast path (legacy types only in lenient mode).
    const types = new Set(messageFrames.filter((v) => ajvAccepts(ajv, mode, v)).map((v) => (v as { type: string }).type));
    expect([...types].sort()).toEqual(model.messages.filter((m) => mode === 'lenient' || !m.legacy).map((m) => m.type).sort());
    expect(accepted).toBeGreaterThan(model.messages.length);
  });

  it.each(MODES)('%s: same verdict as ajv on schema-generated and mutated messages (fast-check)', (mode) => {
    const ajv = loadStandalone(GENERATED_DIR, mode);
    const index = indexSchemas(SCHEMA_BUNDLE);
    const generated = model.messages.map((m) => mutated(arbitraryForRef(index, String(SCHEMA_BUNDLE.$id), `#/definitions/${m.names.typeName}`)));
    let accepted = 0;
    let rejected = 0;
    fc.assert(fc.property(fc.oneof(...generated, mutated(fc.constantFrom(...messageFrames, ...relabelled))), (value) => {
      const expected = ajvAccepts(ajv, mode, value);
      if (expected) accepted++;
      else rejected++;
      expect(FAST_MESSAGE[mode](value), JSON.stringify(value)).toBe(expected);
      expect(validateMessage(mode, value).ok).toBe(expected);
    }), { numRuns: 3000, seed: mode === 'strict' ? 4 : 5 });
    expect(accepted).toBeGreaterThan(200);
    expect(rejected).toBeGreaterThan(200);
  });
});

describe('fast verdict compiler falls back on unknown keywords', () => {
  const docs: SchemaDoc[] = [
    { id: 'https://x.test/a.json', schema: { type: 'object', properties: { at: { type: 'string', format: 'date-time' } } } },
    { id: 'https://x.test/b.json', schema: { type: 'object', properties: { a: { $ref: 'a.json' } } } },
    { id: 'https://x.test/c.json', schema: { type: 'string', minLength: 2, pattern: '^[a-z]+$' } },
    { id: 'https://x.test/d.json', schema: { const: { nested: true } } },
  ];
  it('emits no function for a schema that uses (or reaches) an unsupported keyword', () => {
    const out = compileFastVerdicts({ A: 'https://x.test/a.json', B: 'https://x.test/b.json', C: 'https://x.test/c.json', D: 'https://x.test/d.json' }, 'strict', docs);
    expect(out.fallbacks).toEqual(['A', 'B', 'D']);
    expect(Object.keys(out.table)).toEqual(['C']);
    expect(out.code.join('\n')).toContain('new RegExp("^[a-z]+$", "u")');
  });
});
