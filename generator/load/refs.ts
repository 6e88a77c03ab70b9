// `$ref` resolution across schema/ files: refs may be absolute `$id`s or relative paths
// (`../defs/lease.json#/$defs/x`); both resolve against the referring file's `$id`.
import type { Json } from '../model/ir.js';
import { forEachSchema } from '../model/schema-walk.js';

/** A resolved reference: the target document's `$id` and the JSON pointer inside it. */
export interface ResolvedRef {
  readonly docId: string;
  readonly pointer: string;
}

/** Resolves `ref` against the `$id` of the document that contains it. */
export function resolveRef(baseId: string, ref: string): ResolvedRef {
  const url = new URL(ref, baseId);
  const pointer = decodeURIComponent(url.hash.replace(/^#/, ''));
  url.hash = '';
  return { docId: url.href, pointer };
}

/** `$id`s of every document `node` references directly (its own `#...` refs included). */
export function referencedDocIds(node: Json, baseId: string): string[] {
  const ids: string[] = [];
  forEachSchema(node, (schema) => {
    if (typeof schema.$ref === 'string') ids.push(resolveRef(baseId, schema.$ref).docId);
  });
  return ids;
}
