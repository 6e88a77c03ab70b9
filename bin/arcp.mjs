#!/usr/bin/env node
// The `arcp` command runs the compiled CLI in dist/: no TypeScript loader at run time. In a
// source checkout (tsconfig.build.json is not shipped) dist/ is first brought up to date, so an
// edited .ts file never runs stale; an installed package ships dist/ and starts it directly.
import { existsSync } from 'node:fs';

if (existsSync(new URL('../tsconfig.build.json', import.meta.url))) {
  try {
    const { ensureBuilt } = await import('../scripts/ensure-built.mjs');
    await ensureBuilt();
  } catch (err) {
    process.stderr.write(`arcp: could not build dist/ (${err.message}); run \`npm run build\`\n`);
    process.exit(70);
  }
}
await import('../dist/bin/arcp.js');
