// Every name the generator derives from a wire name lives here, so types, validators, registry
// and docs always agree (style.md item 8; the table is in schema/README.md).
import type { DerivedNames } from './ir.js';

const RESERVED = new Set([
  'break', 'case', 'catch', 'class', 'const', 'continue', 'debugger', 'default', 'delete', 'do',
  'else', 'enum', 'export', 'extends', 'false', 'finally', 'for', 'function', 'if', 'import', 'in',
  'instanceof', 'new', 'null', 'return', 'super', 'switch', 'this', 'throw', 'true', 'try',
  'typeof', 'var', 'void', 'while', 'with', 'let', 'static', 'yield', 'await', 'implements',
  'interface', 'package', 'private', 'protected', 'public',
]);

/** `job.submit` -> `JobSubmit`, `session.list_jobs` -> `SessionListJobs`, `tool_call` -> `ToolCall`. */
export function pascalCase(wireName: string): string {
  return wireName
    .split(/[^A-Za-z0-9]+/)
    .filter((part) => part.length > 0)
    .map((part) => part[0].toUpperCase() + part.slice(1))
    .join('');
}

/** Escapes a reserved word or a leading digit so the result is a valid identifier. */
export function safeIdentifier(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9_$]/g, '_');
  if (/^[0-9]/.test(cleaned)) return `_${cleaned}`;
  return RESERVED.has(cleaned) ? `${cleaned}_` : cleaned;
}

/** GitHub-style markdown heading anchor for a wire name. */
export function anchorOf(wireName: string): string {
  return wireName.toLowerCase().replace(/[^a-z0-9_ -]/g, '').replace(/ /g, '-');
}

/** Names for a message type: `job.submit` -> `JobSubmit` / `JobSubmitPayload`. */
export function messageNames(type: string): DerivedNames {
  const typeName = safeIdentifier(pascalCase(type));
  return {
    typeName, payloadName: `${typeName}Payload`, anchor: anchorOf(type),
    validatorName: `validate${typeName}`, guardName: `is${typeName}`, arbitraryName: `arb${typeName}`,
  };
}

/** Names for an event body kind: `tool_call` -> `ToolCallBody`. */
export function eventNames(kind: string): DerivedNames {
  const typeName = safeIdentifier(`${pascalCase(kind)}Body`);
  return { typeName, payloadName: '', anchor: anchorOf(kind), validatorName: '', guardName: '', arbitraryName: `arb${typeName}` };
}

/** Names for a state machine: `session` -> `SESSION_MACHINE`, `SessionState`, `SessionMachineEvent`. */
export function machineNames(name: string): { constName: string; stateTypeName: string; eventTypeName: string } {
  const pascal = pascalCase(name);
  return {
    constName: `${name.replace(/[^A-Za-z0-9]+/g, '_').toUpperCase()}_MACHINE`,
    stateTypeName: `${pascal}State`,
    eventTypeName: `${pascal}MachineEvent`,
  };
}

/** The canonical `$id` for a file under schema/ (contracts.md §1). */
export function schemaIdFor(relPath: string): string {
  return `https://arcp-kit.dev/schema/${relPath}`;
}
