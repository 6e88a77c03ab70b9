// generated/schemas.ts: the bundled strict schemas as data (for fast-check arbitraries and
// tools that need the shapes at run time) and each message type's schema `$id`.
import { StructureKind, VariableDeclarationKind } from 'ts-morph';
import type { ProtocolModel } from '../model/ir.js';
import { codeHeader, documentSources } from './header.js';
import type { OutputFile } from './output-file.js';
import { literal, newSourceFile, printSource } from './ts-source.js';

export function emitSchemas(model: ProtocolModel): OutputFile[] {
  const file = newSourceFile('schemas.ts');
  file.addImportDeclaration({ moduleSpecifier: './types.js', isTypeOnly: true, namedImports: ['EventKind', 'MessageType'] });
  const constant = (name: string, type: string, value: unknown, doc: string) => ({
    kind: StructureKind.VariableStatement as const, isExported: true, declarationKind: VariableDeclarationKind.Const,
    docs: [doc], declarations: [{ name, type, initializer: literal(value) }],
  });
  file.addVariableStatements([
    constant('SCHEMA_BUNDLE', 'Readonly<Record<string, unknown>>', model.bundle,
      'Every strict schema under `definitions` (keyed by title), `$ref`s internal to this one document.'),
    constant('MESSAGE_SCHEMA_IDS', 'Readonly<Record<MessageType, string>>',
      Object.fromEntries(model.messages.map((m) => [m.type, m.schemaId])), 'Wire type -> `$id` of its schema file.'),
    constant('MESSAGE_SCHEMA_POINTERS', 'Readonly<Record<MessageType, string>>',
      Object.fromEntries(model.messages.map((m) => [m.type, `#/definitions/${m.title}`])),
      'Wire type -> JSON pointer of its schema inside SCHEMA_BUNDLE.'),
    constant('EVENT_SCHEMA_POINTERS', 'Readonly<Record<EventKind, string>>',
      Object.fromEntries(model.eventKinds.map((e) => [e.kind, `#/definitions/${e.title}`])),
      'Event kind -> JSON pointer of its body schema inside SCHEMA_BUNDLE.'),
  ]);
  return [{ root: 'generated', path: 'schemas.ts', contents: printSource(codeHeader(documentSources(model.sources)), file) }];
}
