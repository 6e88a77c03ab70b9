// Invariant: lenient validation may try the strict validator first only where strict acceptance
// implies lenient acceptance; a widened subschema under not / if / oneOf (also via $ref) disables it.
import { describe, expect, it } from 'vitest';
import { validatorExports } from '../emit/validators-code.js';
import { loadProtocol } from '../load/index.js';
import type { JsonObject, ProtocolModel } from '../model/ir.js';
import { strictFirstSafe } from '../model/monotonic.js';
import { counterExamples, examples, loadStandalone, specExamples, variants } from './support/corpus.js';
import { GENERATED_DIR, SCHEMA_DIR } from './support/temp-output.js';

const ID = (name: string) => `https://arcp-kit.dev/schema/defs/${name}.json`;
const modelOf = (docs: Record<string, JsonObject>) =>
  ({ strictSchemas: Object.entries(docs).map(([name, schema]) => ({ id: ID(name), schema: { $id: ID(name), ...schema } })) }) as unknown as ProtocolModel;
const widened = { type: 'string', pattern: '^a$', 'x-arcp-accept': { type: 'string' } };

describe('strict-first fast path safety', () => {
  it.each([
    ['positive positions only', { properties: { a: widened }, allOf: [{ required: ['a'], 'x-arcp-accept-optional': ['a'] }] }, true],
    ['widened under not', { not: { properties: { a: widened } } }, false],
    ['widened in an if condition', { if: { properties: { a: widened } }, then: { required: ['b'] } }, false],
    ['widened in a oneOf branch', { oneOf: [{ properties: { a: widened } }, { required: ['b'] }] }, false],
    ['alias key in a oneOf branch', { oneOf: [{ 'x-arcp-accept-extra': { b: {} } }, { required: ['c'] }] }, false],
    ['marker only in then (positive)', { if: { required: ['a'] }, then: { properties: { a: widened } } }, true],
  ])('%s', (_name, schema, safe) => {
    expect(strictFirstSafe(modelOf({ root: schema as JsonObject }), [ID('root')]).has(ID('root'))).toBe(safe);
  });

  it('follows $refs: a negative position pointing at a widened def is unsafe, for every doc that reaches it', () => {
    const model = modelOf({
      leaf: widened,
      middle: { not: { $ref: 'leaf.json' } },
      root: { properties: { m: { $ref: 'middle.json' } } },
      other: { properties: { l: { $ref: 'leaf.json' } } },
    });
    const safe = strictFirstSafe(model, [ID('root'), ID('middle'), ID('other'), ID('leaf')]);
    expect([...safe].sort()).toEqual([ID('leaf'), ID('other')]);
  });

  it('on schema/: strict acceptance implies lenient acceptance for every fast-path export and instance', () => {
    const { model, tree } = loadProtocol(SCHEMA_DIR);
    const strict = loadStandalone(GENERATED_DIR, 'strict');
    const lenient = loadStandalone(GENERATED_DIR, 'lenient');
    const exports = Object.entries(validatorExports(model));
    const safe = strictFirstSafe(model, exports.map(([, id]) => id));
    expect(safe.size).toBeGreaterThan(0);
    const values = [...examples(tree), ...counterExamples(tree, model), ...variants(tree, model), ...specExamples(tree)].map((c) => c.value);
    const violations: string[] = [];
    let strictAccepted = 0;
    for (const [name, id] of exports) {
      if (!safe.has(id)) continue;
      values.forEach((v, i) => {
        if (!strict[name](v)) return;
        strictAccepted++;
        if (!lenient[name](v)) violations.push(`${name} instance ${i}`);
      });
    }
    expect(strictAccepted).toBeGreaterThan(50);
    expect(violations).toEqual([]);
  });
});
