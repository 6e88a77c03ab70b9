// The package's own root folder and version, found by walking up from this module to the
// package.json named arcp-kit: the same code runs from the TypeScript sources (tests) and from
// dist/ (one folder deeper), so a fixed relative path would be wrong in one of them.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findPackage(): { root: string; version: string } {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown; version?: unknown };
      if (pkg.name === 'arcp-kit') return { root: dir, version: String(pkg.version) };
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`arcp-kit: no package.json named arcp-kit above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
}

const found = findPackage();
/** Absolute path of the package folder (the one holding package.json, schema/, dist/). */
export const PACKAGE_ROOT: string = found.root;
/** `version` of arcp-kit's package.json. */
export const PACKAGE_VERSION: string = found.version;
