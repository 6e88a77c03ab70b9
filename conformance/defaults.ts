// Run defaults, in a module of their own so the CLI can show them in --help without loading the
// harness (fast-check, the checks, the drivers) until a run actually starts.
export const DEFAULT_RUNS = 8;
export const DEFAULT_TIMEOUT_MS = 3_000;
