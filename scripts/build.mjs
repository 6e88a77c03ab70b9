#!/usr/bin/env node
// `npm run build` (and `prepack`): compiles the package with tsc into dist/ (ESM .js, .d.ts,
// declaration maps) and copies the non-TypeScript files the compiled code reads at run time.
// `--clean` starts from an empty dist/ (packing must not ship outputs of deleted sources);
// without it tsc is incremental, which is what scripts/ensure-built.mjs uses.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ASSETS, DIST, INTERNAL_DIRS, ROOT, STAMP, TSCONFIG } from './build-layout.mjs';

function copyAssets() {
  let copied = 0;
  const visit = (dir, ext, flat) => {
    for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
      const rel = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!flat && entry.name !== 'test' && entry.name !== 'fixtures') visit(rel, ext, flat);
      } else if (entry.name.endsWith(ext)) {
        mkdirSync(join(DIST, dir), { recursive: true });
        copyFileSync(join(ROOT, rel), join(DIST, rel));
        copied += 1;
      }
    }
  };
  for (const { dir, ext, flat } of ASSETS) visit(dir, ext, flat === true);
  return copied;
}

function dropInternalDeclarations() {
  const visit = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) visit(path);
      else if (entry.name.endsWith('.d.ts') || entry.name.endsWith('.d.ts.map')) rmSync(path);
    }
  };
  for (const dir of INTERNAL_DIRS) if (existsSync(join(DIST, dir))) visit(join(DIST, dir));
}

export function build({ clean = false, quiet = false } = {}) {
  const started = performance.now();
  // tsc's incremental state lives in dist/: without the stamp dist/ may be partial, so rebuild all.
  if (clean || !existsSync(join(ROOT, STAMP))) rmSync(DIST, { recursive: true, force: true });
  const tsc = createRequire(join(ROOT, 'package.json')).resolve('typescript/bin/tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', join(ROOT, TSCONFIG)], { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) {
    rmSync(join(ROOT, STAMP), { force: true });
    throw new Error(`tsc -p ${TSCONFIG} failed (exit ${result.status ?? result.signal})`);
  }
  dropInternalDeclarations();
  const assets = copyAssets();
  writeFileSync(join(ROOT, STAMP), `${new Date().toISOString()}\n`);
  if (!quiet) {
    const ms = (performance.now() - started).toFixed(0);
    process.stderr.write(`arcp-kit: built dist/ (${assets} assets copied) in ${ms} ms\n`);
  }
  return statSync(join(ROOT, STAMP)).mtimeMs;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    build({ clean: process.argv.includes('--clean'), quiet: process.argv.includes('--quiet') });
  } catch (err) {
    process.stderr.write(`${err.message}\n`);
    process.exitCode = 1;
  }
}
