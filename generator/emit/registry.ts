// generated/registry.ts: the protocol facts that are not shapes (direction, feature gate,
// sequencing, reply pairing, error codes, features) as typed constants (contracts.md §2).
import { StructureKind, VariableDeclarationKind, type VariableStatementStructure } from 'ts-morph';
import type { ProtocolModel } from '../model/ir.js';
import { codeHeader } from './header.js';
import type { OutputFile } from './output-file.js';
import { literal, newSourceFile, printSource } from './ts-source.js';

function constant(name: string, type: string, value: unknown, doc: string): VariableStatementStructure {
  return {
    kind: StructureKind.VariableStatement,
    isExported: true,
    declarationKind: VariableDeclarationKind.Const,
    docs: [doc],
    declarations: [{ name, type, initializer: literal(value) }],
  };
}

export function emitRegistry(model: ProtocolModel): OutputFile[] {
  const file = newSourceFile('registry.ts');
  file.addImportDeclaration({
    moduleSpecifier: './types.js', isTypeOnly: true, namedImports: ['ErrorCode', 'EventKind', 'Feature', 'MessageType'],
  });
  file.addInterfaces([
    {
      isExported: true, name: 'MessageInfo', docs: ['Protocol facts of one message type (schema/messages/<type>.json x-arcp).'],
      properties: [
        { name: 'type', type: 'MessageType' }, { name: 'title', type: 'string' }, { name: 'spec', type: 'string' },
        { name: 'direction', type: `'client_to_runtime' | 'runtime_to_client' | 'both'` },
        { name: 'feature', type: 'Feature | null' }, { name: 'sequenced', type: 'boolean' },
        { name: 'replies', type: 'readonly MessageType[]' }, { name: 'answers', type: 'readonly MessageType[]' },
        { name: 'correlation', type: `'connection' | 'request_id' | 'job_id' | 'nonce' | 'none'` },
        { name: 'legacy', type: 'boolean' },
      ],
    },
    {
      isExported: true, name: 'EventKindInfo', docs: ['Protocol facts of one job.event body kind (§8.2).'],
      properties: [{ name: 'kind', type: 'EventKind' }, { name: 'spec', type: 'string' }, { name: 'feature', type: 'Feature | null' }],
    },
    {
      isExported: true, name: 'ErrorCodeInfo', docs: ['One §12 error code; `pinned` means its `retryable` value is a MUST.'],
      properties: [
        { name: 'code', type: 'ErrorCode' }, { name: 'meaning', type: 'string' },
        { name: 'retryable', type: 'boolean' }, { name: 'pinned', type: 'boolean' },
      ],
    },
  ]);
  const messages = Object.fromEntries(model.messages.map((m) => [m.type, {
    type: m.type, title: m.title, spec: m.spec, direction: m.direction, feature: m.feature, sequenced: m.sequenced,
    replies: m.replies, answers: m.answers, correlation: m.correlation, legacy: m.legacy,
  }]));
  const events = Object.fromEntries(model.eventKinds.map((e) => [e.kind, { kind: e.kind, spec: e.spec, feature: e.feature }]));
  const errors = Object.fromEntries(model.errorCodes.map((c) => [c.code, {
    code: c.code, meaning: c.meaning, retryable: c.retryable, pinned: c.pinned,
  }]));
  file.addVariableStatements([
    constant('PROTOCOL_VERSION', `'${model.protocolVersion}'`, model.protocolVersion, 'The envelope `arcp` value (§5).'),
    constant('MESSAGES', 'Readonly<Record<MessageType, MessageInfo>>', messages, 'Every message type with its protocol facts.'),
    constant('MESSAGE_TYPES', 'readonly MessageType[]', model.messages.map((m) => m.type), 'Every message type, sorted.'),
    constant('EVENT_KINDS', 'Readonly<Record<EventKind, EventKindInfo>>', events, 'Every job.event body kind (§8.2).'),
    constant('ERROR_CODES', 'Readonly<Record<ErrorCode, ErrorCodeInfo>>', errors,
      'The §12 error codes with default retryability; pinned => retryable is a MUST.'),
    constant('FEATURES', 'readonly Feature[]', model.features.map((f) => f.name), 'The negotiable feature flags (§6.2).'),
    constant('RESERVED_CAPABILITIES', 'readonly string[]', model.reservedCapabilities, 'Reserved lease capability names (§9.1).'),
  ]);
  const sources = model.sources.filter((s) => /^schema\/(messages|events)\/|^schema\/protocol\/(errors|features|capabilities|reserved-capabilities)\.json$/.test(s.path));
  return [{ root: 'generated', path: 'registry.ts', contents: printSource(codeHeader(sources), file) }];
}
