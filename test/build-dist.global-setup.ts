// vitest globalSetup: tests that start `node bin/arcp.mjs` (or pack the package) run the compiled
// dist/. Bring it up to date once here, before the workers start, instead of letting parallel
// CLI spawns find it stale and queue on the build lock.
export default async function setup(): Promise<void> {
  const { ensureBuilt } = await import('../scripts/ensure-built.mjs');
  await ensureBuilt();
}
