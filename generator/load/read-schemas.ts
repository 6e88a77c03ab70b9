// Reads the schema/ tree (contracts.md §1) into memory: parsed JSON plus a content hash per
// file. This is the only code that touches schema files on disk.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Json, SourceRef } from '../model/ir.js';
import { ProblemList } from './schema-error.js';

/** One parsed schema/ file. */
export interface SchemaFile {
  /** Path relative to the schema root, with `/` separators (e.g. `messages/job.submit.json`). */
  readonly relPath: string;
  readonly source: SourceRef;
  readonly json: Json;
}

/** The schema/ tree grouped by folder. Each list is sorted by path for deterministic output. */
export interface SchemaTree {
  readonly defs: readonly SchemaFile[];
  readonly messages: readonly SchemaFile[];
  readonly events: readonly SchemaFile[];
  /** protocol/*.json keyed by base name without `.json` (e.g. `session-machine`). */
  readonly protocol: Readonly<Record<string, SchemaFile>>;
  readonly counterExamples: readonly SchemaFile[];
  readonly variants: readonly SchemaFile[];
  readonly specExamples: SchemaFile | null;
}

const FOLDERS = ['defs', 'messages', 'events', 'protocol', 'counter-examples', 'variants'] as const;

function listJson(dir: string): string[] {
  try {
    if (!statSync(dir).isDirectory()) return [];
  } catch {
    return [];
  }
  return readdirSync(dir).filter((name) => name.endsWith('.json')).sort();
}

function readOne(root: string, relPath: string, problems: ProblemList): SchemaFile | null {
  const bytes = readFileSync(join(root, relPath));
  const source: SourceRef = {
    path: `schema/${relPath}`,
    sha256: createHash('sha256').update(bytes).digest('hex'),
  };
  try {
    return { relPath, source, json: JSON.parse(bytes.toString('utf8')) as Json };
  } catch (err) {
    problems.add(source.path, `is not valid JSON (${(err as Error).message})`, { pointer: '', fix: 'repair the JSON syntax at the position named' });
    return null;
  }
}

/** Reads every JSON file of the known schema/ folders; throws SchemaLoadError on unparsable files. */
export function readSchemaTree(root: string): SchemaTree {
  const problems = new ProblemList();
  const byFolder: Record<string, SchemaFile[]> = {};
  for (const folder of FOLDERS) {
    byFolder[folder] = listJson(join(root, folder))
      .map((name) => readOne(root, `${folder}/${name}`, problems))
      .filter((file): file is SchemaFile => file !== null);
  }
  const specExamples = listJson(root).includes('spec-examples.json')
    ? readOne(root, 'spec-examples.json', problems)
    : null;
  if (byFolder.messages.length === 0) problems.add(`schema/messages`, `no message schemas found under ${root}`, { pointer: '', fix: 'pass the schema/ folder (it holds messages/, events/, defs/, protocol/)' });
  problems.throwIfAny();
  const protocol: Record<string, SchemaFile> = {};
  for (const file of byFolder.protocol) protocol[file.relPath.slice('protocol/'.length, -'.json'.length)] = file;
  return {
    defs: byFolder.defs,
    messages: byFolder.messages,
    events: byFolder.events,
    protocol,
    counterExamples: byFolder['counter-examples'],
    variants: byFolder.variants,
    specExamples,
  };
}
