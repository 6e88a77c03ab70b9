// Entry to the load + model stage: schema directory in, checked ProtocolModel out.
import { buildModel } from '../model/build-model.js';
import type { ProtocolModel } from '../model/ir.js';
import { readSchemaTree, type SchemaTree } from './read-schemas.js';

export { SchemaLoadError } from './schema-error.js';
export type { SchemaTree } from './read-schemas.js';

/** Reads and checks `schemaDir`, returning the model and the raw tree (tests use its examples). */
export function loadProtocol(schemaDir: string): { model: ProtocolModel; tree: SchemaTree } {
  const tree = readSchemaTree(schemaDir);
  return { model: buildModel(tree), tree };
}
