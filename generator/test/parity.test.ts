// Invariant: the committed standalone validators give the same verdict as ajv compiling the same
// schemas at run time, for every export and every instance schema/ ships (both modes).
import { describe, expect, it } from 'vitest';
import { validatorExports } from '../emit/validators-code.js';
import { loadProtocol } from '../load/index.js';
import { counterExamples, examples, loadStandalone, runtimeAjv, specExamples, variants, type Mode } from './support/corpus.js';
import { GENERATED_DIR, SCHEMA_DIR } from './support/temp-output.js';

describe('validator parity (standalone vs runtime-compiled ajv)', () => {
  const { model, tree } = loadProtocol(SCHEMA_DIR);
  const values = [
    ...examples(tree), ...counterExamples(tree, model), ...variants(tree, model), ...specExamples(tree),
  ].map((c) => c.value);
  const exports = Object.entries(validatorExports(model));

  it.each<Mode>(['strict', 'lenient'])('%s: identical verdicts on every instance', (mode) => {
    const runtime = runtimeAjv(model)[mode];
    const standalone = loadStandalone(GENERATED_DIR, mode);
    expect(values.length).toBeGreaterThan(100);
    let accepted = 0;
    const mismatches: string[] = [];
    for (const [name, id] of exports) {
      const compiled = runtime.getSchema(id);
      expect(compiled, id).toBeDefined();
      expect(typeof standalone[name], name).toBe('function');
      values.forEach((value, i) => {
        const expected = compiled!(value);
        if (expected) accepted++;
        if (standalone[name](value) !== expected) mismatches.push(`${name} on instance ${i}: runtime says ${expected}`);
      });
    }
    expect(mismatches).toEqual([]);
    // Each export sees values of every shape, so both verdicts must occur.
    expect(accepted).toBeGreaterThan(0);
    expect(accepted).toBeLessThan(values.length * exports.length);
  });
});
