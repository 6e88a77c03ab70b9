// One place per fact (issue 14 item 1): facts that follow from which files exist are derived here,
// before any check, instead of being spelled out a second time by hand.
// - The `enum` of the EventKind / MessageType defs is the list of events/ / messages/ files, when the
//   def leaves it out (an explicit enum is still allowed and must agree: build-model crossCheck).
// - A message or event file may carry its own counter-examples and variants
//   (`x-arcp-counter-examples`, `x-arcp-variants`, same entries as the counter-examples/ and
//   variants/ files); they are moved out of the schema into the tree's lists, merged with any
//   separate file of the same name, so an event kind or message is ONE file.
// The job.event body dispatch and the `answers` of each message are derived later (validators-api
// dispatches by the EVENT_VALIDATORS table; build-model inverts `replies`).
import type { Json, JsonObject } from '../model/ir.js';
import { isObject } from '../model/schema-walk.js';
import type { SchemaFile, SchemaTree } from './read-schemas.js';

export const IN_FILE_COUNTER_EXAMPLES = 'x-arcp-counter-examples';
export const IN_FILE_VARIANTS = 'x-arcp-variants';

function baseName(file: SchemaFile): string {
  return file.relPath.slice(file.relPath.lastIndexOf('/') + 1, -'.json'.length);
}

/** Titles of defs whose enum is the set of files of a folder. */
function derivedEnums(tree: SchemaTree): Record<string, string[]> {
  return {
    EventKind: tree.events.map(baseName).sort(),
    MessageType: tree.messages.map(baseName).sort(),
  };
}

function withEnum(file: SchemaFile, values: readonly string[]): SchemaFile {
  const doc = file.json as JsonObject;
  const out: Record<string, Json> = {};
  // The enum goes right after `type`, where an author would write it.
  for (const [k, v] of Object.entries(doc)) {
    out[k] = v;
    if (k === 'type') out.enum = [...values];
  }
  if (!('enum' in out)) out.enum = [...values];
  return { ...file, json: out };
}

interface Extracted { schema: SchemaFile; counterExamples: Json | undefined; variants: Json | undefined }

function extract(file: SchemaFile): Extracted {
  if (!isObject(file.json)) return { schema: file, counterExamples: undefined, variants: undefined };
  const { [IN_FILE_COUNTER_EXAMPLES]: counterExamples, [IN_FILE_VARIANTS]: variants, ...rest } = file.json;
  return { schema: { ...file, json: rest }, counterExamples, variants };
}

/** Separate-file entries first, then the in-file ones; one virtual file per name. */
function merge(
  folder: 'counter-examples' | 'variants', files: readonly SchemaFile[], inFile: readonly [SchemaFile, Json | undefined][], key: string,
): SchemaFile[] {
  const byPath = new Map(files.map((f) => [f.relPath, f]));
  for (const [owner, entries] of inFile) {
    if (entries === undefined) continue;
    const relPath = `${folder}/${baseName(owner)}.json`;
    const list = Array.isArray(entries) ? entries : [entries];
    const existing = byPath.get(relPath);
    const json = existing === undefined ? list : [...(Array.isArray(existing.json) ? existing.json : []), ...list];
    // Labels and problems point into the schema file that holds them.
    const source = existing?.source ?? { path: `${owner.source.path}#/${key}`, sha256: owner.source.sha256 };
    byPath.set(relPath, { relPath, source, json });
  }
  return [...byPath.values()].sort((a, b) => (a.relPath < b.relPath ? -1 : a.relPath > b.relPath ? 1 : 0));
}

/** The tree with derived enums filled in and in-file counter-examples / variants moved to their lists. */
export function deriveFacts(tree: SchemaTree): SchemaTree {
  const enums = derivedEnums(tree);
  const defs = tree.defs.map((f) => {
    const doc = f.json;
    if (!isObject(doc) || typeof doc.title !== 'string' || !(doc.title in enums) || doc.enum !== undefined) return f;
    return withEnum(f, enums[doc.title]);
  });
  const messages = tree.messages.map(extract);
  const events = tree.events.map(extract);
  const owners = [...messages, ...events];
  return {
    ...tree,
    defs,
    messages: messages.map((e) => e.schema),
    events: events.map((e) => e.schema),
    counterExamples: merge('counter-examples', tree.counterExamples, owners.map((e) => [e.schema, e.counterExamples]), IN_FILE_COUNTER_EXAMPLES),
    variants: merge('variants', tree.variants, owners.map((e) => [e.schema, e.variants]), IN_FILE_VARIANTS),
  };
}
