// The generator pipeline: schema/ -> load + check -> ProtocolModel -> one emitter per artefact.
// Adding an artefact = one file under emit/ and one entry in EMITTERS (style.md item 2).
import { loadProtocol } from './load/index.js';
import type { ProtocolModel } from './model/ir.js';
import { emitBarrel } from './emit/barrel.js';
import { emitDocs } from './emit/docs.js';
import { emitMachines } from './emit/machines.js';
import type { Emitter, OutputFile } from './emit/output-file.js';
import { emitRegistry } from './emit/registry.js';
import { emitSchemas } from './emit/schemas.js';
import { emitTypes } from './emit/types.js';
import { emitValidatorApi } from './emit/validators-api.js';
import { emitValidatorCode } from './emit/validators-code.js';
import { emitValidatorFast } from './emit/validators-fast.js';
import { by } from './model/order.js';

export { SchemaLoadError } from './load/index.js';
export type { OutputFile } from './emit/output-file.js';

/** Every artefact, by name (the name shows in progress output). */
export const EMITTERS: ReadonlyArray<readonly [string, Emitter]> = [
  ['types', emitTypes],
  ['validator code', emitValidatorCode],
  ['validator fast verdicts', emitValidatorFast],
  ['validator API', emitValidatorApi],
  ['registry', emitRegistry],
  ['machines', emitMachines],
  ['schemas', emitSchemas],
  ['barrel', emitBarrel],
  ['docs', emitDocs],
];

export interface GenerateResult {
  readonly model: ProtocolModel;
  /** Sorted by root then path, so output order never depends on emitter timing. */
  readonly files: readonly OutputFile[];
}

/** Runs the whole pipeline in memory; nothing is written. */
export async function generate(
  schemaDir: string, onStep?: (step: string, ms: number) => void,
): Promise<GenerateResult> {
  let t = performance.now();
  const lap = (step: string) => {
    const now = performance.now();
    onStep?.(step, now - t);
    t = now;
  };
  const { model } = loadProtocol(schemaDir);
  lap('load + model');
  const files: OutputFile[] = [];
  for (const [name, emit] of EMITTERS) {
    files.push(...(await emit(model)));
    lap(name);
  }
  files.sort(by((f) => `${f.root}/${f.path}`));
  return { model, files };
}
