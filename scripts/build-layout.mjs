// What the build reads and writes, shared by scripts/build.mjs (which compiles) and
// scripts/ensure-built.mjs (which decides whether dist/ is older than the sources).
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../', import.meta.url));
export const DIST = fileURLToPath(new URL('../dist/', import.meta.url));
export const TSCONFIG = 'tsconfig.build.json';
/** Written last by a successful build; its mtime is when dist/ was last complete. */
export const STAMP = 'dist/.build-stamp';

/** Source folders compiled into dist/ (tests excluded by tsconfig.build.json). */
export const SOURCE_DIRS = ['generated', 'runtime-kit', 'conformance', 'generator', 'bin'];

/**
 * Files tsc does not emit but the compiled code reads at run time (next to the module that reads
 * them, so `new URL('./x', import.meta.url)` finds them in dist/ as it does in the source tree).
 */
export const ASSETS = [
  { dir: 'generated', ext: '.cjs' }, // ajv standalone validators, loaded by generated/validators
  { dir: 'generator/templates', ext: '.hbs' }, // reference-doc templates
  { dir: 'conformance/report/templates', ext: '.hbs' }, // report.html
  { dir: 'conformance/report', ext: '.json' }, // report.schema.json, shipped for report consumers
  { dir: 'conformance', ext: '.json', flat: true }, // statements.json
];

/**
 * Compiled folders with no public entry point (the CLI and the generator): their declarations
 * are dropped from dist/ so the package stays small; `exports` never reaches them.
 */
export const INTERNAL_DIRS = ['bin', 'generator'];

/** Inputs whose change makes dist/ stale besides the sources. */
export const CONFIG_FILES = ['tsconfig.json', TSCONFIG, 'package.json'];
