// Invariant: all generated TypeScript compiles together under strict settings (NodeNext, strict,
// noUncheckedIndexedAccess, exactOptionalPropertyTypes), for schema/ and for the mini fixture.
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { GENERATED_DIR, MINI_FIXTURE, generateToTemp } from './support/temp-output.js';

const OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  strict: true,
  noUncheckedIndexedAccess: true,
  exactOptionalPropertyTypes: true,
  noImplicitOverride: true,
  noEmit: true,
  skipLibCheck: true,
  types: ['node'],
};

function diagnostics(entry: string): string[] {
  const program = ts.createProgram([entry], OPTIONS);
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const where = d.file ? `${d.file.fileName}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}` : '';
    return `${where} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
  });
}

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
