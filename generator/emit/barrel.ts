// generated/index.ts: re-exports every generated module (contracts.md §2).
import type { ProtocolModel } from '../model/ir.js';
import { codeHeader, documentSources } from './header.js';
import type { OutputFile } from './output-file.js';
import { newSourceFile, printSource } from './ts-source.js';

export const BARREL_MODULES = ['./types.js', './validators.js', './registry.js', './machines.js', './schemas.js'];

export function emitBarrel(model: ProtocolModel): OutputFile[] {
  const file = newSourceFile('index.ts');
  for (const moduleSpecifier of BARREL_MODULES) file.addExportDeclaration({ moduleSpecifier });
  return [{ root: 'generated', path: 'index.ts', contents: printSource(codeHeader(documentSources(model.sources)), file) }];
}
