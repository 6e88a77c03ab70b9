// Test-only: runs the generator into a throw-away directory inside the repo (so vitest can
// import the emitted TypeScript with the project's resolver) and cleans it up afterwards.
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate, type GenerateResult } from '../../index.js';
import { writeOutputs } from '../../output/write.js';

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const SCHEMA_DIR = join(REPO_ROOT, 'schema');
export const GENERATED_DIR = join(REPO_ROOT, 'generated');
export const DOCS_DIR = join(REPO_ROOT, 'docs', 'reference');
export const MINI_FIXTURE = join(REPO_ROOT, 'generator', 'test', 'fixtures', 'mini');

/** A fresh directory under `<repo>/.tmp/` (gitignored). */
export function tempDir(prefix: string): string {
  const base = join(REPO_ROOT, '.tmp');
  mkdirSync(base, { recursive: true });
  return mkdtempSync(join(base, `${prefix}-`));
}

export interface TempGeneration extends GenerateResult {
  readonly root: string;
  readonly out: string;
  readonly docs: string;
  cleanup(): void;
}

/** Generates from `schemaDir` into `<temp>/generated` and `<temp>/docs`. */
export async function generateToTemp(schemaDir: string, prefix: string): Promise<TempGeneration> {
  const root = tempDir(prefix);
  const out = join(root, 'generated');
  const docs = join(root, 'docs');
  const result = await generate(schemaDir);
  writeOutputs(result.files, { generated: out, docs }, { check: false });
  return { ...result, root, out, docs, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

/** Copies a schema tree into a temp directory so a test can edit it. */
export function copySchema(schemaDir: string, prefix: string): { dir: string; cleanup(): void } {
  const root = tempDir(prefix);
  const dir = join(root, 'schema');
  cpSync(schemaDir, dir, { recursive: true });
  return { dir, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}
