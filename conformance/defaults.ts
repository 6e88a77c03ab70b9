// Run defaults, in a module of their own so the CLI can show them in --help without loading the
// harness (fast-check, the checks, the drivers) until a run actually starts.
import { PACKAGE_VERSION } from '../runtime-kit/package-info.js';

export const DEFAULT_RUNS = 8;
export const DEFAULT_TIMEOUT_MS = 3_000;

/** Name and version of this harness, as every report shows them (the package's own version). */
export const HARNESS = { name: 'arcp-kit conformance', version: PACKAGE_VERSION } as const;
