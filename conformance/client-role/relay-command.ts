// The command line a stdio client spawns to reach the scripted runtime: this package's own
// `arcp conformance-stdio-relay URL`, run by the same Node binary. Found by walking up to the
// package root, so it holds for the source checkout and for an installed (compiled) package.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'arcp-kit') return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error('arcp-kit package root not found above conformance/client-role');
    dir = up;
  }
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

export function stdioRelayCommand(url: string): string {
  return `${quote(process.execPath)} ${quote(join(packageRoot(), 'bin', 'arcp.mjs'))} conformance-stdio-relay ${quote(url)}`;
}
