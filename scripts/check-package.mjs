#!/usr/bin/env node
// `npm run check:package [-- TARBALL]`: lints what would be published. publint --strict checks
// package.json against the packed files (exports, files, types); @arethetypeswrong/cli checks
// that every entry point's types resolve under node16 (ESM), bundler and node10, with the
// esm-only profile (a CommonJS consumer is told to use import(); that is by design).
// Without TARBALL it packs the package (prepack builds dist/ clean) into a temp dir first.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './build-layout.mjs';

function run(label, args) {
  process.stdout.write(`== ${label}\n`);
  const r = spawnSync(process.execPath, args, { cwd: ROOT, stdio: 'inherit' });
  return r.status === 0;
}

let tarball = process.argv[2];
let temp;
if (tarball === undefined) {
  temp = mkdtempSync(join(tmpdir(), 'arcp-kit-pack-'));
  const npm = spawnSync('npm', ['pack', '--silent', '--pack-destination', temp], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  if (npm.status !== 0) process.exit(npm.status ?? 1);
  tarball = join(temp, readdirSync(temp).find((f) => f.endsWith('.tgz')));
}
// Both tools' package.json are not exported; read the bin entry from the installed folder.
const binOf = (pkg, name) => {
  const dir = join(ROOT, 'node_modules', pkg);
  return join(dir, JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).bin[name]);
};
const publint = binOf('publint', 'publint');
const attw = binOf('@arethetypeswrong/cli', 'attw');
const ok = [
  run('publint --strict', [publint, 'run', tarball, '--strict']),
  run('attw --profile esm-only', [attw, tarball, '--profile', 'esm-only', '--format', 'table-flipped']),
].every(Boolean);
if (temp) rmSync(temp, { recursive: true, force: true });
process.exitCode = ok ? 0 : 1;
