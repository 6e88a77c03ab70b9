// Invariant: all generated TypeScript compiles together under strict settings (NodeNext, strict,
// noUncheckedIndexedAccess, exactOptionalPropertyTypes), for schema/ and for the mini fixture.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GENERATED_DIR, MINI_FIXTURE, generateToTemp } from './support/temp-output.js';
import { diagnostics } from './support/typecheck.js';

describe('generated TypeScript type-checks under strict settings', () => {
  it('committed generated/', () => {
    expect(diagnostics(join(GENERATED_DIR, 'index.ts'))).toEqual([]);
  });

  it('fresh output of the mini fixture', async () => {
    const gen = await generateToTemp(MINI_FIXTURE, 'typecheck');
    try {
      expect(diagnostics(join(gen.out, 'index.ts'))).toEqual([]);
    } finally {
      gen.cleanup();
    }
  });
});
