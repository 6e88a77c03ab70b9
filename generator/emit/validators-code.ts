// generated/validators.strict.cjs and generated/validators.lenient.cjs: ajv standalone code,
// one export per message, event body and the envelope. Emitted as CommonJS because ajv's
// standalone ESM output still calls `require(...)` (dependencies.md; ajv #1976, #2209), so no
// ajv compilation happens at process start-up and no ESM module contains `require(`.
// The bundles are self-contained: the ajv run-time helpers and formats they reference are
// inlined, so an embedder validates frames without ajv installed (a generator peer dependency).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
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

const requireFromGenerator = createRequire(import.meta.url);

/**
 * The source of a CommonJS module the standalone code requires (ajv's run-time helpers such as
 * `ajv/dist/runtime/ucs2length`, ajv-formats' format table), wrapped so it evaluates in place.
 * Only self-contained modules qualify: one that requires further modules fails generation by
 * name rather than shipping a `require` that would make ajv a run-time dependency again.
 */
function inlinedModule(spec: string, binding: string, resolve: (spec: string) => string): string {
  const source = readFileSync(resolve(spec), 'utf8')
    .replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n')
    // `helper.code = 'require("...")'` tells ajv's code generator how to reference the helper;
    // the inlined copy is referenced by its binding instead.
    .replace(/^\w+\.code = .*;$/gm, '');
  const nested = /require\(\s*["']([^"']+)["']\s*\)/.exec(source);
  if (nested) throw new Error(`ajv standalone code requires ${spec}, which requires ${nested[1]}: only self-contained helpers can be inlined (generator/emit/validators-code.ts)`);
  return `// inlined from ${spec}\nconst ${binding} = (() => {\nconst module = { exports: {} };\nconst exports = module.exports;\n${source.trimEnd()}\nreturn module.exports;\n})();`;
}

/** Replaces every `require("<spec>")` of the standalone code with an inline copy of the module. */
export function inlineRuntimeHelpers(code: string, resolve: (spec: string) => string = requireFromGenerator.resolve): string {
  const bindings = new Map<string, string>();
  const inlined = code.replace(/require\("([^"]+)"\)/g, (_whole, spec: string) => {
    let binding = bindings.get(spec);
    if (binding === undefined) {
      binding = `inlined${bindings.size}`;
      bindings.set(spec, binding);
    }
    return binding;
  });
  if (bindings.size === 0) return inlined;
  const modules = [...bindings].map(([spec, binding]) => inlinedModule(spec, binding, resolve));
  const strict = '"use strict";\n';
  const at = inlined.startsWith(strict) ? strict.length : 0;
  return `${inlined.slice(0, at)}${modules.join('\n')}\n${inlined.slice(at)}`;
}

function emitMode(model: ProtocolModel, mode: Mode, docs: readonly SchemaDoc[]): OutputFile {
  const ajv = createAjv(docs, { forStandalone: true });
  // Names first (on ajv's own output), then the inlined helper modules go on top untouched.
  const code = inlineRuntimeHelpers(stabilizeAjvNames(standalone(ajv, validatorExports(model))));
  return { root: 'generated', path: validatorModuleName(mode), contents: `${codeHeader(documentSources(model.sources))}${code}\n` };
}

export function emitValidatorCode(model: ProtocolModel): OutputFile[] {
  return [emitMode(model, 'strict', model.strictSchemas), emitMode(model, 'lenient', model.lenientSchemas)];
}
