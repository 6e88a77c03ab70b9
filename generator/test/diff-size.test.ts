// Invariant (issue 14 item 3): a schema change touches only the generated files whose content
// depends on it, and inside them only the affected part. Measured the way a reviewer sees it:
// `git diff --numstat` between a generation of schema/ and one of schema/ plus one new event kind.
// Before stable names this was ~1,700 changed lines (every helper and ajv function renumbered).
import { execFileSync } from 'node:child_process';
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCHEMA_DIR, copySchema, generateToTemp, type TempGeneration } from './support/temp-output.js';

const NEW_KIND = join(import.meta.dirname, 'fixtures', 'spec-change', 'events');

/** Changed lines (added + deleted) per file between two directories. */
function numstat(a: string, b: string): Map<string, number> {
  let out = '';
  try {
    out = execFileSync('git', ['diff', '--no-index', '--numstat', a, b], { encoding: 'utf8' });
  } catch (e) {
    out = (e as { stdout: string }).stdout; // exit 1 means "differences found"
  }
  const changed = new Map<string, number>();
  for (const line of out.trim().split('\n').filter(Boolean)) {
    const [added, deleted, path] = line.split('\t') as [string, string, string];
    const file = path.replace(/^.*[/{]([^/{}]+)\}?$/, '$1').replace(/^.* => /, '');
    changed.set(file, Number(added) + Number(deleted));
  }
  return changed;
}

describe('one new event kind changes a small, local part of the generated output', () => {
  let before: TempGeneration;
  let after: TempGeneration;
  let schema: { dir: string; cleanup(): void };
  beforeAll(async () => {
    schema = copySchema(SCHEMA_DIR, 'diff-size');
    before = await generateToTemp(schema.dir, 'diff-size-before');
    cpSync(NEW_KIND, join(schema.dir, 'events'), { recursive: true });
    after = await generateToTemp(schema.dir, 'diff-size-after');
  }, 120_000);
  afterAll(() => {
    before?.cleanup();
    after?.cleanup();
    schema?.cleanup();
  });

  it('changes fewer than 150 lines across generated/ and docs/reference/', () => {
    const generated = numstat(before.out, after.out);
    const docs = numstat(before.docs, after.docs);
    const total = [...generated.values(), ...docs.values()].reduce((a, b) => a + b, 0);
    expect(total, JSON.stringify(Object.fromEntries([...generated, ...docs]))).toBeLessThan(150);
  });

  it('leaves the files that do not depend on event kinds byte-identical', () => {
    const generated = numstat(before.out, after.out);
    expect(generated.has('machines.ts')).toBe(false);
    expect(generated.has('index.ts')).toBe(false);
    expect(numstat(before.docs, after.docs).has('machines.md')).toBe(false);
  });

  it('renames no validator: every ajv declaration of the old output is still there', () => {
    for (const file of ['validators.strict.cjs', 'validators.lenient.cjs', 'validators.fast.ts']) {
      const names = (text: string) => new Set(text.match(/^(?:function|const) [A-Za-z_][\w]*/gm));
      const old = names(before.files.find((f) => f.root === 'generated' && f.path === file)!.contents);
      const fresh = names(after.files.find((f) => f.root === 'generated' && f.path === file)!.contents);
      const lost = [...old].filter((n) => !fresh.has(n));
      // Only the declarations of the derived EventKind enum may change content; names stay.
      expect(lost, file).toEqual([]);
    }
  });
});
