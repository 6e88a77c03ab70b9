// Lease checks per second for a lease of 50 patterns, as a ratio to a plain `Set.has` lookup
// measured in the same run (issue 4 "bench/lease"; no target yet).
//
// Run: npx tsx bench/run.ts lease   (bench/harness.ts: warm-up, interleaved rounds, medians,
// ratio to the baseline; writes bench/results/lease.json).

import { JobAuthority } from '../runtime-kit/authority/job-authority.js';
import { CompiledLease } from '../runtime-kit/authority/compiled-lease.js';
import { runBench, type BenchCase } from './harness.js';

const clock = { now: () => Date.UTC(2026, 4, 13), monotonic: () => 0 };

// 50 patterns in the shapes leases use: literals, subtrees, single-segment globs, middles.
const fsPatterns: string[] = [];
for (let i = 0; i < 15; i++) fsPatterns.push(`/workspace/project-${i}/**`);
for (let i = 0; i < 10; i++) fsPatterns.push(`/data/set-${i}/*.csv`);
for (let i = 0; i < 10; i++) fsPatterns.push(`/etc/app/config-${i}.json`);
for (let i = 0; i < 10; i++) fsPatterns.push(`/srv/tenant-${i}/**/public/*`);
for (let i = 0; i < 5; i++) fsPatterns.push(`/home/user-${i}/notes-*.md`);
if (fsPatterns.length !== 50) throw new Error('expected 50 patterns');

const targets: string[] = [];
for (let i = 0; i < 15; i++) targets.push(`/workspace/project-${i}/src/module/file-${i}.ts`);
for (let i = 0; i < 10; i++) targets.push(`/data/set-${i}/rows-${i}.csv`);
for (let i = 0; i < 10; i++) targets.push(`/etc/app/config-${i}.json`);
for (let i = 0; i < 10; i++) targets.push(`/srv/tenant-${i}/a/b/public/index.html`);
for (let i = 0; i < 15; i++) targets.push(`/var/log/miss-${i}/syslog`); // misses: denied (PERMISSION_DENIED built)

const auth = new JobAuthority({ lease: { 'fs.read': fsPatterns }, clock });
const compiled = new CompiledLease({ 'fs.read': fsPatterns });
const set = new Set(targets.slice(0, 25).concat(fsPatterns.slice(25)));

// Each operation checks the next target of the list (hits and misses interleaved); the
// rotation costs every case the same.
function rotating(fn: (t: string) => boolean): () => boolean {
  let i = 0;
  return () => fn(targets[i++ % targets.length]);
}

const BASELINE = 'Set.has (50 strings)';
const cases: BenchCase[] = [
  { name: BASELINE, fn: rotating((t) => set.has(t)) },
  { name: 'CompiledLease.covers (50 patterns, canonical target)', fn: rotating((t) => compiled.covers('fs.read', t)) },
  { name: 'JobAuthority.check (expiry, budget, canonicalise, match)', fn: rotating((t) => auth.check('fs.read', t).allowed) },
];

export default function main(): void {
  // Sanity before timing: the lease really grants the 45 hit targets and refuses the 15 misses.
  const granted = targets.filter((t) => auth.check('fs.read', t).allowed).length;
  if (granted !== 45) throw new Error(`expected 45 granted targets, got ${granted}`);
  const report = runBench(
    { name: 'lease', baseline: BASELINE, notes: { patterns: fsPatterns.length, targets: targets.length, hits: 45, misses: 15, target: 'none yet (issue 4)' } },
    cases,
  );
  const ratio = (name: string) => report.cases.find((c) => c.name === name)!.ratioToBaseline.toFixed(1);
  console.log(`  lease check costs ${ratio(cases[1].name)}x a Set.has (match only), ${ratio(cases[2].name)}x (full JobAuthority.check)`);
}
