// The unit every emitter returns: a path relative to an output root and the full contents.
// Emitters never touch the disk; generator/output/write.ts is the only writer.
import type { ProtocolModel } from '../model/ir.js';

/** Which output root a file belongs to: `generated/` or `docs/reference/`. */
export type OutputRoot = 'generated' | 'docs';

export interface OutputFile {
  readonly root: OutputRoot;
  /** Path relative to its root, `/`-separated (e.g. `types.ts`). */
  readonly path: string;
  readonly contents: string;
}

/** One artefact emitter (style.md item 2). */
export type Emitter = (model: ProtocolModel) => OutputFile[] | Promise<OutputFile[]>;
