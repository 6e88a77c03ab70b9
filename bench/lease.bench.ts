// Lease checks per second for a lease of 50 patterns, as a ratio to a plain `Set.has` lookup
// measured in the same run (issue 4 "bench/lease"; no target yet).
//
// Run: npx tsx bench/lease.bench.ts   (or `node bin/run-bench.mjs lease` once that exists)
//
// Self-contained timing loop (bench/harness.ts did not exist when this was written): a warm-up,
// then 9 interleaved rounds over the same target list; the median round of each case is
// reported, with the hit count per round as a checksum (the work cannot be optimised away).

import { JobAuthority } from '../runtime-kit/authority/job-authority.js';
import { CompiledLease } from '../runtime-kit/authority/compiled-lease.js';

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
for (let i = 0; i < 15; i++) targets.push(`/var/log/miss-${i}/syslog`); // misses scan every pattern

const auth = new JobAuthority({ lease: { 'fs.read': fsPatterns }, clock });
const compiled = new CompiledLease({ 'fs.read': fsPatterns });
const set = new Set(targets.slice(0, 25).concat(fsPatterns.slice(25)));

const ITERATIONS = 3000; // passes over the 60 targets per round
const ROUNDS = 9;

interface Case {
  name: string;
  fn: (t: string) => boolean;
  rates: number[];
  hits: number;
}

const cases: Case[] = [
  { name: 'Set.has (50 strings)', fn: (t) => set.has(t), rates: [], hits: 0 },
  { name: 'CompiledLease.covers (50 patterns, canonical target)', fn: (t) => compiled.covers('fs.read', t), rates: [], hits: 0 },
  { name: 'JobAuthority.check (expiry + budget + canonicalise + match)', fn: (t) => auth.check('fs.read', t).allowed, rates: [], hits: 0 },
];

// Rounds are interleaved (every case once per round) so load changes on a shared machine hit
// all cases alike; the ratio of medians is what is reported.
for (const c of cases) for (let i = 0; i < 300; i++) for (const t of targets) c.fn(t); // warm-up
for (let r = 0; r < ROUNDS; r++) {
  for (const c of cases) {
    let hits = 0;
    const start = process.hrtime.bigint();
    for (let i = 0; i < ITERATIONS; i++) for (const t of targets) if (c.fn(t)) hits++;
    const ns = Number(process.hrtime.bigint() - start);
    c.rates.push((ITERATIONS * targets.length) / (ns / 1e9));
    c.hits = hits;
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const [baseline, matchOnly, full] = cases.map((c) => ({ name: c.name, opsPerSec: median(c.rates), hits: c.hits }));

const fmt = (n: number) => `${(n / 1e6).toFixed(2)} M/s`;
console.log(`lease bench: ${targets.length} targets (${targets.length - 15} hits, 15 misses), median of ${ROUNDS} rounds`);
for (const r of [baseline, matchOnly, full]) {
  console.log(`  ${r.name.padEnd(62)} ${fmt(r.opsPerSec).padStart(11)}  (hits/round ${r.hits})`);
}
console.log(`  ratio Set.has / CompiledLease.covers: ${(baseline.opsPerSec / matchOnly.opsPerSec).toFixed(1)}x`);
console.log(`  ratio Set.has / JobAuthority.check:   ${(baseline.opsPerSec / full.opsPerSec).toFixed(1)}x`);
