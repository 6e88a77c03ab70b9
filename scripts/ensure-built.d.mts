/** True when a build input is newer than the last complete build of dist/. */
export function isStale(): boolean;
/** Rebuilds dist/ incrementally when stale; resolves to whether it built. */
export function ensureBuilt(options?: { quiet?: boolean }): Promise<boolean>;
