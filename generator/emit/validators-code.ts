// generated/validators.strict.cjs and generated/validators.lenient.cjs: ajv standalone code,
// one export per message, event body and the envelope. Emitted as CommonJS because ajv's
// standalone ESM output still calls `require(...)` (dependencies.md; ajv #1976, #2209), so no
// ajv compilation happens at process start-up and no ESM module contains `require(`.
import standaloneCode from 'ajv/dist/standalone/index.js';
import type { ProtocolModel, SchemaDoc } from '../model/ir.js';
import { createAjv } from '../validation/ajv-setup.js';
import { codeHeader, documentSources } from './header.js';
import type { OutputFile } from './output-file.js';
import { stabilizeAjvNames } from './stable-ajv-names.js';

export type Mode = 'strict' | 'lenient';

/** File name of the standalone module for a mode (the wrapper imports these). */
export function validatorModuleName(mode: Mode): string {
  return `validators.${mode}.cjs`;
}

/** Export name -> schema `$id` for one mode (legacy messages too: the API rejects them in strict). */
export function validatorExports(model: ProtocolModel): Record<string, string> {
  const exports: Record<string, string> = { Envelope: model.envelope.schemaId };
  for (const m of model.messages) exports[m.names.typeName] = m.schemaId;
  for (const e of model.eventKinds) exports[e.names.typeName] = e.schemaId;
  return exports;
}

const standalone = ((standaloneCode as unknown as { default?: unknown }).default ?? standaloneCode) as
  typeof import('ajv/dist/standalone/index.js').default;

function emitMode(model: ProtocolModel, mode: Mode, docs: readonly SchemaDoc[]): OutputFile {
  const ajv = createAjv(docs, { forStandalone: true });
  const code = stabilizeAjvNames(standalone(ajv, validatorExports(model)));
  return { root: 'generated', path: validatorModuleName(mode), contents: `${codeHeader(documentSources(model.sources))}${code}\n` };
}

export function emitValidatorCode(model: ProtocolModel): OutputFile[] {
  return [emitMode(model, 'strict', model.strictSchemas), emitMode(model, 'lenient', model.lenientSchemas)];
}
