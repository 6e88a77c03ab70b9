// Entry to the load + model stage: schema directory in, checked ProtocolModel out.
import { buildModel } from '../model/build-model.js';
import type { ProtocolModel } from '../model/ir.js';
import { checkInstances } from './check-instances.js';
import { deriveFacts } from './derive.js';
import { readSchemaTree, type SchemaTree } from './read-schemas.js';
import { ProblemList } from './schema-error.js';

export { SchemaLoadError } from './schema-error.js';
export type { SchemaTree } from './read-schemas.js';

/**
 * Reads `schemaDir`, derives the facts that follow from the files present (derive.ts), checks every
 * authoring rule (shapes, cross-file facts, then every shipped instance against the derived model)
 * and returns the model with the derived tree (tests use its examples).
 */
export function loadProtocol(schemaDir: string): { model: ProtocolModel; tree: SchemaTree } {
  const tree = deriveFacts(readSchemaTree(schemaDir));
  const model = buildModel(tree);
  const problems = new ProblemList();
  checkInstances(tree, model, problems);
  problems.throwIfAny();
  return { model, tree };
}
