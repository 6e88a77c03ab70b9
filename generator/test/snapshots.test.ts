// Invariant: emitter output for the tiny mini/ fixture only changes on purpose: every file is
// compared with a reviewed copy under fixtures/mini/out/ (update with `npx vitest run -u`).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generate } from '../index.js';
import { MINI_FIXTURE } from './support/temp-output.js';

const { files } = await generate(MINI_FIXTURE);

describe('mini fixture output snapshots', () => {
  it('produces the full set of artefacts', () => {
    expect(files.map((f) => `${f.root}/${f.path}`)).toEqual([
      'docs/README.md', 'docs/errors.md', 'docs/events.md', 'docs/features.md', 'docs/machines.md', 'docs/messages.md',
      'generated/index.ts', 'generated/machines.ts', 'generated/registry.ts', 'generated/schemas.ts', 'generated/types.ts',
      'generated/validators.fast.ts', 'generated/validators.lenient.cjs', 'generated/validators.strict.cjs', 'generated/validators.ts',
    ]);
  });

  // The ajv standalone bundles are covered by behaviour (corpus, parity) instead of text.
  it.each(files.filter((f) => !f.path.endsWith('.cjs')).map((f) => [`${f.root}/${f.path}`, f.contents]))(
    '%s matches its reviewed snapshot', async (path, contents) => {
      await expect(contents).toMatchFileSnapshot(join(MINI_FIXTURE, 'out', path));
    });
});
