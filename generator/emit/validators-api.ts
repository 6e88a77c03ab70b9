// generated/validators.ts: the typed ESM API of contracts.md §2 over the standalone CommonJS
// validators. Loads them through createRequire (no ESM `require(`, no ajv compile at start-up)
// and maps ajv errors to ValidationIssue with a JSON pointer naming the field.
import { StructureKind, VariableDeclarationKind } from 'ts-morph';
import { referencedDocIds } from '../load/refs.js';
import { EVENT_CARRIER } from '../model/event-carrier.js';
import type { ProtocolModel } from '../model/ir.js';
import { strictFirstSafe } from '../model/monotonic.js';
import { codeHeader, documentSources } from './header.js';
import type { OutputFile } from './output-file.js';
import { literal, newSourceFile, printSource } from './ts-source.js';
import { validatorExports, validatorModuleName } from './validators-code.js';

export { EVENT_CARRIER };

const SUPPORT_CODE = `
interface AjvError { instancePath: string; keyword: string; message?: string; params: Record<string, unknown> }
type CompiledValidator = ((value: unknown) => boolean) & { errors?: AjvError[] | null };

const load = createRequire(import.meta.url);
const COMPILED: Record<Mode, Record<string, CompiledValidator>> = {
  strict: load('./${validatorModuleName('strict')}') as Record<string, CompiledValidator>,
  lenient: load('./${validatorModuleName('lenient')}') as Record<string, CompiledValidator>,
};

function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\\//g, '~1');
}

/** ajv reports a missing or extra key at its parent; the issue path names the key itself. */
function toIssues(errors: AjvError[] | null | undefined, prefix: string): ValidationIssue[] {
  const seen = new Set<string>();
  const issues: ValidationIssue[] = [];
  for (const error of errors ?? []) {
    let path = prefix + error.instancePath;
    const key = error.params.missingProperty ?? error.params.additionalProperty ?? error.params.unevaluatedProperty;
    if (typeof key === 'string') path += '/' + escapePointer(key);
    const issue = { path, keyword: error.keyword, message: error.message ?? error.keyword };
    const id = issue.path + '\\u0000' + issue.keyword + '\\u0000' + issue.message;
    if (!seen.has(id)) {
      seen.add(id);
      issues.push(issue);
    }
  }
  return issues;
}

function run(mode: Mode, name: string, value: unknown, prefix: string): ValidationIssue[] | null {
  // A fast verdict (validators.fast.ts) answers valid frames without ajv; on false ajv decides and reports.
  const fast = FAST_VERDICTS[mode][name];
  if (fast !== undefined && fast(value)) return null;
  // Lenient only widens strict, so a strictly valid frame is leniently valid; strict is cheaper.
  if (mode === 'lenient' && STRICT_FIRST.has(name) && (COMPILED.strict[name] as CompiledValidator)(value)) return null;
  // Names come from the generated tables above, so the export always exists.
  const validate = COMPILED[mode][name] as CompiledValidator;
  return validate(value) ? null : toIssues(validate.errors, prefix);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
`;

/** Used only when the job.event schema does not itself dispatch bodies by kind. */
const BODY_CHECK = `
  if (type === ${JSON.stringify(EVENT_CARRIER)}) {
    const payload = value.payload as Record<string, unknown>;
    const body = validateEventBody(mode, String(payload.kind), payload.body);
    if (body.ok === false) return { ok: false, issues: body.issues.map((i) => ({ ...i, path: '/payload/body' + i.path })) };
  }`;

/** True when the carrier's schema already \`$ref\`s every event-body schema (so bodies are checked once). */
export function carrierDispatchesBodies(model: ProtocolModel): boolean {
  const carrier = model.messages.find((m) => m.type === EVENT_CARRIER);
  const doc = model.strictSchemas.find((d) => d.id === carrier?.schemaId);
  if (doc === undefined) return false;
  const referenced = new Set(referencedDocIds(doc.schema, doc.id));
  return model.eventKinds.every((e) => referenced.has(e.schemaId));
}

const API_CODE = `
/** Validates a whole message: the envelope plus the payload schema of its \`type\`. */
export function validateMessage(mode: Mode, value: unknown):
  { ok: true; message: ArcpMessage } | { ok: false; issues: ValidationIssue[] } {
  // One switch to the fast verdicts answers valid frames; the table path below decides (and reports) the rest.
  if (FAST_MESSAGE[mode](value)) return { ok: true, message: value as unknown as ArcpMessage };
  if (!isRecord(value)) return { ok: false, issues: [{ path: '', keyword: 'type', message: 'must be object' }] };
  const type = value.type;
  if (typeof type !== 'string') {
    return { ok: false, issues: [{ path: '/type', keyword: 'required', message: 'must have string property type' }] };
  }
  if (!isKnownMessageType(type)) {
    return { ok: false, issues: [{ path: '/type', keyword: 'enum', message: 'unknown message type ' + JSON.stringify(type) }] };
  }
  const issues = run(mode, MESSAGE_VALIDATORS[type], value, '');
  if (mode === 'strict' && LEGACY_MESSAGE_TYPES.has(type)) {
    // Never sent: always rejected, with any shape problems listed after the reason.
    const legacy = { path: '/type', keyword: 'x-arcp-legacy', message: type + ' is accepted for compatibility but never sent (legacy)' };
    return { ok: false, issues: [legacy, ...(issues ?? [])] };
  }
  if (issues !== null) return { ok: false, issues };
BODY_CHECK
  return { ok: true, message: value as unknown as ArcpMessage };
}

function validateAs(type: MessageType, mode: Mode, value: unknown):
  { ok: true; message: ArcpMessage } | { ok: false; issues: ValidationIssue[] } {
  if (isRecord(value) && value.type !== type) {
    return { ok: false, issues: [{ path: '/type', keyword: 'const', message: 'must be ' + JSON.stringify(type) }] };
  }
  return validateMessage(mode, value);
}

/** Validates only the shared envelope fields (§5), whatever the \`type\`. */
export function validateEnvelope(mode: Mode, value: unknown):
  { ok: true; message: ArcpMessage } | { ok: false; issues: ValidationIssue[] } {
  const issues = run(mode, 'Envelope', value, '');
  return issues === null ? { ok: true, message: value as ArcpMessage } : { ok: false, issues };
}

/** Validates a \`job.event\` body against its kind; unknown (e.g. vendor) kinds are reported, not failed. */
export function validateEventBody(mode: Mode, kind: string, body: unknown):
  { ok: true } | { ok: false; issues: ValidationIssue[] } | { ok: 'unknown-kind' } {
  if (!Object.prototype.hasOwnProperty.call(EVENT_VALIDATORS, kind)) return { ok: 'unknown-kind' };
  const issues = run(mode, EVENT_VALIDATORS[kind as EventKind], body, '');
  return issues === null ? { ok: true } : { ok: false, issues };
}

/** True for the wire types of schema/messages/ (vendor \`x-vendor.*\` types are not known). */
export function isKnownMessageType(type: string): type is MessageType {
  return Object.prototype.hasOwnProperty.call(MESSAGE_VALIDATORS, type);
}
`;

export function emitValidatorApi(model: ProtocolModel): OutputFile[] {
  const file = newSourceFile('validators.ts');
  file.addImportDeclaration({ moduleSpecifier: 'node:module', namedImports: ['createRequire'] });
  file.addImportDeclaration({ moduleSpecifier: './validators.fast.js', namedImports: ['FAST_MESSAGE', 'FAST_VERDICTS'] });
  file.addImportDeclaration({
    moduleSpecifier: './types.js', isTypeOnly: true,
    namedImports: ['ArcpMessage', 'EventKind', 'MessageType', ...model.messages.map((m) => m.names.typeName)],
  });
  file.addInterface({
    isExported: true,
    name: 'ValidationIssue',
    docs: ['One validation failure. `path` is a JSON pointer naming the field, e.g. `/payload/agent`.'],
    properties: [
      { name: 'path', type: 'string' }, { name: 'keyword', type: 'string' }, { name: 'message', type: 'string' },
    ],
  });
  file.addTypeAlias({
    isExported: true, name: 'Mode', type: `'strict' | 'lenient'`,
    docs: ['`strict`: what we send (Appendix A "emit"); `lenient`: what we accept (Appendix A "accept").'],
  });
  const messageTable = Object.fromEntries(model.messages.map((m) => [m.type, m.names.typeName]));
  const eventTable = Object.fromEntries(model.eventKinds.map((e) => [e.kind, e.names.typeName]));
  const legacy = model.messages.filter((m) => m.legacy).map((m) => m.type);
  const exports = Object.entries(validatorExports(model));
  const safe = strictFirstSafe(model, exports.map(([, id]) => id));
  const strictFirst = exports.filter(([, id]) => safe.has(id)).map(([name]) => name).sort();
  file.addVariableStatements([
    {
      kind: StructureKind.VariableStatement, declarationKind: VariableDeclarationKind.Const,
      docs: ['Wire type -> standalone validator export name.'],
      declarations: [{ name: 'MESSAGE_VALIDATORS', type: 'Readonly<Record<MessageType, string>>', initializer: literal(messageTable) }],
    },
    {
      kind: StructureKind.VariableStatement, declarationKind: VariableDeclarationKind.Const,
      docs: ['Event kind -> standalone validator export name.'],
      declarations: [{ name: 'EVENT_VALIDATORS', type: 'Readonly<Record<EventKind, string>>', initializer: literal(eventTable) }],
    },
    {
      kind: StructureKind.VariableStatement, declarationKind: VariableDeclarationKind.Const,
      docs: ['Exports where strict acceptance implies lenient acceptance (generator/model/monotonic.ts).'],
      declarations: [{ name: 'STRICT_FIRST', type: 'ReadonlySet<string>', initializer: `new Set(${literal(strictFirst)})` }],
    },
    {
      kind: StructureKind.VariableStatement, declarationKind: VariableDeclarationKind.Const,
      docs: ['x-arcp legacy types: accepted (lenient) but never sent, so strict rejects them.'],
      declarations: [{ name: 'LEGACY_MESSAGE_TYPES', type: 'ReadonlySet<string>', initializer: `new Set(${literal(legacy)})` }],
    },
  ]);
  file.addStatements(SUPPORT_CODE.trim());
  file.addStatements(API_CODE.trim().replace('BODY_CHECK', carrierDispatchesBodies(model) ? '' : BODY_CHECK));
  // Per-message entry points named by names.ts (schema/README.md naming table).
  for (const m of model.messages) {
    file.addFunctions([
      {
        isExported: true, name: m.names.validatorName,
        docs: [`Validates a \`${m.type}\` message (${m.source.path}, ${m.spec}); other types fail at \`/type\`.`],
        parameters: [{ name: 'mode', type: 'Mode' }, { name: 'value', type: 'unknown' }],
        returnType: `{ ok: true; message: ${m.names.typeName} } | { ok: false; issues: ValidationIssue[] }`,
        statements: `return validateAs('${m.type}', mode, value) as { ok: true; message: ${m.names.typeName} } | { ok: false; issues: ValidationIssue[] };`,
      },
      {
        isExported: true, name: m.names.guardName,
        docs: [`True when \`value\` is an acceptable (lenient) \`${m.type}\` message.`],
        parameters: [{ name: 'value', type: 'unknown' }],
        returnType: `value is ${m.names.typeName}`,
        statements: `return validateAs('${m.type}', 'lenient', value).ok;`,
      },
    ]);
  }
  return [{ root: 'generated', path: 'validators.ts', contents: printSource(codeHeader(documentSources(model.sources)), file) }];
}
