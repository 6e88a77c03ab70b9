// One place that configures ajv for ARCP schemas, shared by the standalone-code emitter and
// the parity test (which compiles at run time), so both always use identical options.
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { SchemaDoc } from '../model/ir.js';

// ajv-formats ships CommonJS with `exports.default`; under NodeNext the default import is the module.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as
  (ajv: Ajv2020) => Ajv2020;

/** The x-arcp annotation keywords (contracts.md §1), registered so ajv strict mode accepts them. */
export const ARCP_VOCABULARY = ['x-arcp', 'x-arcp-accept', 'x-arcp-accept-optional', 'x-arcp-accept-extra'];

/** A configured ajv with every schema of one mode added (not yet compiled). */
export function createAjv(docs: readonly SchemaDoc[], opts: { forStandalone: boolean }): Ajv2020 {
  const ajv = new Ajv2020({
    strict: true,
    // Object schemas often omit `type: "object"` beside `properties`; that is valid JSON Schema.
    strictTypes: false,
    strictTuples: false,
    strictRequired: false,
    allowUnionTypes: true,
    // Stop at the first problem of each alternative (issue 13 item 1). With allErrors, ajv's
    // standalone code concatenates the whole error list once per failing $ref'd item
    // (`vErrors.concat(f.errors)`), so a 64 KB session.hello of bad capabilities.agents took 23 s
    // and its issue list grew with the frame. Without it, the failing item still yields an issue
    // naming its field (plus one per anyOf/oneOf branch), validation is O(frame) and the issue
    // list is bounded by the schema, not the input (generator/test/validation-cost.test.ts).
    allErrors: false,
    discriminator: true,
    code: { source: opts.forStandalone, esm: false, lines: true },
  });
  addFormats(ajv);
  ajv.addVocabulary(ARCP_VOCABULARY);
  for (const doc of docs) ajv.addSchema(structuredClone(doc.schema) as object, doc.id);
  return ajv;
}
