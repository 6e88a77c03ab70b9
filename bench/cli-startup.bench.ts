// `npm run bench -- cli-startup`: wall time of `arcp --help` (process start to exit) against a
// bare `node -e ""` started the same way in the same run. Target (issue 11): `arcp --help`
// < 300 ms. Also shown: the compiled CLI without the checkout's staleness check, and the old way
// (TypeScript through the tsx loader) for contrast.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ensureBuilt } from '../scripts/ensure-built.mjs';
import { runBench } from './harness.js';

const root = fileURLToPath(new URL('..', import.meta.url));

function start(args: readonly string[]): () => number {
  return () => {
    const r = spawnSync(process.execPath, [...args], { cwd: root, stdio: 'ignore' });
    if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}`);
    return r.status;
  };
}

export default async function main(): Promise<void> {
  await ensureBuilt(); // measure start-up, not a rebuild
  const cases = [
    { name: 'node -e ""', fn: start(['-e', '']) },
    { name: 'arcp --help (bin/arcp.mjs, checkout)', fn: start(['bin/arcp.mjs', '--help']) },
    { name: 'arcp --help (dist/bin/arcp.js, as installed)', fn: start(['dist/bin/arcp.js', '--help']) },
  ];
  if (existsSync(new URL('../node_modules/tsx', import.meta.url))) {
    cases.push({ name: 'arcp --help via tsx (before issue 11)', fn: start(['--import', 'tsx', 'bin/arcp.ts', '--help']) });
  }
  const report = runBench(
    { name: 'cli-startup', baseline: 'node -e ""', rounds: 15, iterations: 1, notes: { targetMs: 300, target: 'arcp --help < 300 ms' } },
    cases,
  );
  // On a shared machine bare node's own start-up moves with the load; what arcp adds is the delta.
  const base = report.cases[0]!.medianNs;
  for (const c of report.cases.slice(1)) {
    console.log(`  ${c.name}: median ${(c.medianNs / 1e6).toFixed(0)} ms, ${((c.medianNs - base) / 1e6).toFixed(0)} ms more than bare node`);
  }
}
