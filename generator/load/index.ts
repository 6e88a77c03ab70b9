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

/**
 * The model without the instance rules (examples, counter-examples, variants): what
 * `arcp schema diff` needs from a tree, so an old revision written before a rule existed, or a
 * draft whose examples are not yet updated, can still be compared. Shape problems still throw.
 */
export function loadProtocolShapes(schemaDir: string): ProtocolModel {
  return buildModel(deriveFacts(readSchemaTree(schemaDir)));
}
