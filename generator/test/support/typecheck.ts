// Test-only: compiles generated TypeScript under strict settings and returns the diagnostics.
import ts from 'typescript';

export const STRICT_OPTIONS: ts.CompilerOptions = {
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

/** Diagnostics of compiling `entry` (and what it imports) with STRICT_OPTIONS. */
export function diagnostics(entry: string): string[] {
  const program = ts.createProgram([entry], STRICT_OPTIONS);
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const where = d.file ? `${d.file.fileName}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}` : '';
    return `${where} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
  });
}
