// generated/validators.strict.cjs and generated/validators.lenient.cjs: ajv standalone code,
// one export per message, event body and the envelope. Emitted as CommonJS because ajv's
// standalone ESM output still calls `require(...)` (dependencies.md; ajv #1976, #2209), so no
// ajv compilation happens at process start-up and no ESM module contains `require(`.
// The bundles are self-contained: ajv's run-time helpers they reference are inlined, so an
// embedder validates frames without ajv installed (it is the generator's peer, not a dependency).
import standaloneCode from 'ajv/dist/standalone/index.js';
import type { ProtocolModel, SchemaDoc } from '../model/ir.js';
import { createAjv } from '../validation/ajv-setup.js';
import { codeHeader, documentSources } from './header.js';
import type { OutputFile } from './output-file.js';

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

/**
 * ajv run-time helpers the standalone code may `require`, each with an equivalent inline
 * definition. A helper missing here fails generation by name rather than shipping a `require`.
 */
const INLINE_HELPERS: Readonly<Record<string, { name: string; code: string }>> = {
  'ajv/dist/runtime/ucs2length': {
    name: 'ucs2length',
    // Length in code points (what JSON Schema's minLength/maxLength count): a surrogate pair is one.
    code: [
      'function ucs2length(str) {',
      '  const len = str.length;',
      '  let length = 0;',
      '  let pos = 0;',
      '  while (pos < len) {',
      '    length++;',
      '    const value = str.charCodeAt(pos++);',
      '    if (value >= 0xd800 && value <= 0xdbff && pos < len && (str.charCodeAt(pos) & 0xfc00) === 0xdc00) pos++;',
      '  }',
      '  return length;',
      '}',
    ].join('\n'),
  },
};

/** Replaces every `require("<helper>").default` with an inline definition of the helper. */
export function inlineRuntimeHelpers(code: string): string {
  const used = new Set<string>();
  const inlined = code.replace(/require\("([^"]+)"\)\.default/g, (whole, spec: string) => {
    const helper = INLINE_HELPERS[spec];
    if (helper === undefined) return whole;
    used.add(spec);
    return helper.name;
  });
  const left = /require\("([^"]+)"\)/.exec(inlined);
  if (left) throw new Error(`ajv standalone code requires ${left[1]}, which has no inline definition in generator/emit/validators-code.ts`);
  const definitions = [...used].sort().map((spec) => INLINE_HELPERS[spec]!.code);
  if (definitions.length === 0) return inlined;
  const strict = '"use strict";\n';
  const at = inlined.startsWith(strict) ? strict.length : 0;
  return `${inlined.slice(0, at)}${definitions.join('\n')}\n${inlined.slice(at)}`;
}

function emitMode(model: ProtocolModel, mode: Mode, docs: readonly SchemaDoc[]): OutputFile {
  const ajv = createAjv(docs, { forStandalone: true });
  const code = inlineRuntimeHelpers(standalone(ajv, validatorExports(model)));
  return { root: 'generated', path: validatorModuleName(mode), contents: `${codeHeader(documentSources(model.sources))}${code}\n` };
}

export function emitValidatorCode(model: ProtocolModel): OutputFile[] {
  return [emitMode(model, 'strict', model.strictSchemas), emitMode(model, 'lenient', model.lenientSchemas)];
}
