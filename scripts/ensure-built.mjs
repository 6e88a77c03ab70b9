// In a source checkout, brings dist/ up to date before the `arcp` command runs it: the CLI runs
// compiled JavaScript (no TypeScript loader at run time), and an edit to a .ts file must not
// leave `npx arcp` running old code. Installed packages ship dist/ and never get here.
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ASSETS, CONFIG_FILES, ROOT, SOURCE_DIRS, STAMP } from './build-layout.mjs';

const LOCK = join(ROOT, 'dist.build-lock');
const LOCK_STALE_MS = 5 * 60_000;

function newestMtime(dir, accept) {
  let newest = 0;
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const entry of entries) {
    if (entry.isDirectory()) {
      if (entry.name !== 'test' && entry.name !== 'fixtures' && entry.name !== 'node_modules') {
        newest = Math.max(newest, newestMtime(join(dir, entry.name), accept));
      }
    } else if (accept(entry.name)) {
      newest = Math.max(newest, statSync(join(dir, entry.name)).mtimeMs);
    }
  }
  return newest;
}

/** Modification time of the newest build input (sources, copied assets, compiler config). */
function newestInput() {
  let newest = 0;
  for (const dir of SOURCE_DIRS) newest = Math.max(newest, newestMtime(join(ROOT, dir), (n) => n.endsWith('.ts')));
  for (const { dir, ext } of ASSETS) newest = Math.max(newest, newestMtime(join(ROOT, dir), (n) => n.endsWith(ext)));
  for (const file of CONFIG_FILES) {
    if (existsSync(join(ROOT, file))) newest = Math.max(newest, statSync(join(ROOT, file)).mtimeMs);
  }
  return newest;
}

function stampTime() {
  try {
    return statSync(join(ROOT, STAMP)).mtimeMs;
  } catch {
    return -1;
  }
}

export function isStale() {
  return stampTime() < newestInput();
}

const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** One builder at a time (parallel test workers and `arcp` processes may all find dist/ stale). */
function withLock(fn) {
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
      try {
        if (Date.now() - statSync(LOCK).mtimeMs > LOCK_STALE_MS) rmSync(LOCK, { recursive: true, force: true });
      } catch {
        // released meanwhile
      }
      sleep(100);
    }
  }
  try {
    return fn();
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

/** Rebuilds dist/ (incrementally) when a source is newer than the last complete build. */
export async function ensureBuilt({ quiet = false } = {}) {
  if (!isStale()) return false;
  const { build } = await import('./build.mjs');
  return withLock(() => {
    if (!isStale()) return false; // another process built it while we waited
    if (!quiet) {
      const why = stampTime() < 0 ? 'no complete build yet; building dist/' : 'sources changed since the last build; rebuilding dist/';
      process.stderr.write(`arcp-kit: ${why} ...\n`);
    }
    build({ quiet });
    return true;
  });
}

// `node scripts/ensure-built.mjs`: build only when dist/ is missing or stale.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  ensureBuilt({ quiet: process.argv.includes('--quiet') }).catch((err) => {
    process.stderr.write(`${err.message}\n`);
    process.exitCode = 1;
  });
}
