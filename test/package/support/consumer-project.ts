// Test-only: packs arcp-kit as npm would publish it and installs the tarball into a fresh
// consumer project in a temp dir, the way an embedder gets it (from the tarball plus the npm
// cache: `npm install --prefer-offline`). dist/ is built by test/build-dist.global-setup.ts.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { cpSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '..', '..', '..');
const FIXTURE = join(ROOT, 'test', 'package', 'consumer');

export interface ConsumerProject {
  dir: string;
  tarball: string;
  /** Runs a command in the consumer project; throws with its output when it fails and `check`. */
  run(command: string, args: readonly string[], opts?: { check?: boolean; env?: NodeJS.ProcessEnv; timeout?: number }): SpawnSyncReturns<string>;
  dispose(): void;
}

function exec(command: string, args: readonly string[], cwd: string, opts: { check?: boolean; env?: NodeJS.ProcessEnv; timeout?: number } = {}) {
  const r = spawnSync(command, [...args], { cwd, encoding: 'utf8', env: { ...process.env, ...opts.env }, timeout: opts.timeout ?? 240_000 });
  if (opts.check !== false && r.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} exited ${r.status ?? r.signal}\n${r.stdout}\n${r.stderr}`);
  }
  return r;
}

/** npm without the registry's audit/fund chatter, preferring the local cache. */
export const NPM_INSTALL = ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'];

export function createConsumerProject(): ConsumerProject {
  const base = mkdtempSync(join(tmpdir(), 'arcp-kit-consumer-'));
  const packDir = join(base, 'pack');
  mkdirSync(packDir);
  // --ignore-scripts: dist/ is already current (global setup); prepack's clean rebuild would
  // delete it under the feet of parallel test workers that run the CLI.
  exec('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', packDir], ROOT);
  const tarball = join(packDir, readdirSync(packDir).find((f) => f.endsWith('.tgz'))!);
  const dir = join(base, 'app');
  cpSync(FIXTURE, dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: 'arcp-kit-consumer', version: '1.0.0', private: true, type: 'module' }, null, 2)}\n`);
  exec('npm', [...NPM_INSTALL, tarball], dir);
  return {
    dir,
    tarball,
    run: (command, args, opts) => exec(command, args, dir, opts),
    dispose: () => rmSync(base, { recursive: true, force: true }),
  };
}

/** Installed packages (scoped ones counted per package) and their size on disk. */
export function measureNodeModules(dir: string): { packages: string[]; bytesOnDisk: number; bytes: number } {
  const root = join(dir, 'node_modules');
  const packages: string[] = [];
  let bytesOnDisk = 0;
  let bytes = 0;
  const walk = (path: string): void => {
    const stat = lstatSync(path);
    bytesOnDisk += stat.blocks * 512;
    bytes += stat.size;
    if (stat.isDirectory()) for (const entry of readdirSync(path)) walk(join(path, entry));
  };
  const collect = (folder: string, prefix: string): void => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      if (entry.name.startsWith('.') || !entry.isDirectory()) continue;
      if (entry.name.startsWith('@') && prefix === '') collect(join(folder, entry.name), `${entry.name}/`);
      else packages.push(`${prefix}${entry.name}`);
      // npm hoists what it can; a nested node_modules holds duplicates that count too.
      const nested = join(folder, entry.name, 'node_modules');
      try {
        collect(nested, '');
      } catch {
        // no nested node_modules
      }
    }
  };
  collect(root, '');
  walk(root);
  return { packages: packages.sort(), bytesOnDisk, bytes };
}
