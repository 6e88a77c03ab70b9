// Invariant: the committed generated/ validators agree with every instance schema/ ships: examples
// and spec examples pass (strict and lenient), counter-examples fail at their field, variants get their verdict.
import { describe, expect, it } from 'vitest';
import * as generatedValidators from '../../generated/validators.js';
import { loadProtocol } from '../load/index.js';
import {
  counterExamples, examples, makeChecker, specExamples, variants, type Mode, type ValidatorsApi,
} from './support/corpus.js';
import { MINI_FIXTURE, SCHEMA_DIR, generateToTemp } from './support/temp-output.js';

const MODES: Mode[] = ['strict', 'lenient'];

function corpusSuite(name: string, schemaDir: string, api: () => Promise<ValidatorsApi>) {
  describe(name, () => {
    const { model, tree } = loadProtocol(schemaDir);
    const legacyTargets = new Set(model.messages.filter((m) => m.legacy).map((m) => `messages/${m.type}.json`));

    it('every schema example validates in both modes (legacy messages: lenient only)', async () => {
      const check = makeChecker(await api(), model);
      const cases = examples(tree);
      expect(cases.length).toBeGreaterThan(0);
      const wrong = cases.flatMap((c) => MODES.flatMap((mode) => {
        const expected = !(mode === 'strict' && legacyTargets.has(c.target));
        const r = check(mode, c.target, c.value);
        return r.ok === expected ? [] : [`${c.label} ${mode}: ${JSON.stringify(r.issues)}`];
      }));
      expect(wrong).toEqual([]);
    });

    it('every spec example validates strictly', async () => {
      const check = makeChecker(await api(), model);
      const cases = specExamples(tree);
      expect(cases.length).toBeGreaterThan(0);
      const wrong = cases.filter((c) => !check('strict', c.target, c.value).ok || !check('lenient', c.target, c.value).ok);
      expect(wrong.map((c) => c.label)).toEqual([]);
    });

    it('every counter-example fails in both modes with an issue at its field', async () => {
      const check = makeChecker(await api(), model);
      const cases = counterExamples(tree, model);
      expect(cases.length).toBeGreaterThan(0);
      const wrong = cases.flatMap((c) => MODES.flatMap((mode) => {
        const r = check(mode, c.target, c.value);
        if (r.ok) return [`${c.label} ${mode}: accepted`];
        return r.issues.some((i) => i.path === c.field || i.path.startsWith(`${c.field}/`))
          ? [] : [`${c.label} ${mode}: no issue at ${c.field}: ${JSON.stringify(r.issues)}`];
      }));
      expect(wrong).toEqual([]);
    });

    it('every variant gets its declared strict and lenient verdict', async () => {
      const check = makeChecker(await api(), model);
      const cases = variants(tree, model);
      expect(cases.length).toBeGreaterThan(0);
      expect(cases.some((c) => c.strict === 'reject' && c.lenient === 'accept')).toBe(true);
      const wrong = cases.flatMap((c) => MODES.flatMap((mode) => {
        const r = check(mode, c.target, c.value);
        return r.ok === (c[mode] === 'accept') ? [] : [`${c.label} ${mode} should ${c[mode]}: ${JSON.stringify(r.issues)}`];
      }));
      expect(wrong).toEqual([]);
    });
  });
}

corpusSuite('schema/ against committed generated/', SCHEMA_DIR, async () => generatedValidators);

corpusSuite('fixture mini/ against a fresh generation', MINI_FIXTURE, async () => {
  const gen = await generateToTemp(MINI_FIXTURE, 'corpus-mini');
  try {
    return (await import(`${gen.out}/validators.ts`)) as ValidatorsApi;
  } finally {
    // The module is loaded (and its .cjs required) before the directory goes away.
    gen.cleanup();
  }
});
