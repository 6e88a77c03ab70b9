// Shared micro-benchmark harness: warm-up, interleaved timed rounds (so load changes on a shared
// 2-core machine hit every case alike), median ops/s per case and the ratio to a baseline case
// measured in the same run. Prints a table and writes bench/results/<name>.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface BenchCase {
  readonly name: string;
  /** One operation. Its return value is consumed so the work cannot be optimised away. */
  readonly fn: () => unknown;
}

export interface BenchOptions {
  /** Result file name: bench/results/<name>.json. */
  readonly name: string;
  /** Name of the case every other case is compared with. */
  readonly baseline: string;
  /** Timed rounds per case (default 15); the median round is reported. */
  readonly rounds?: number;
  /** Fixed operations per round; when absent, calibrated during warm-up to last about `roundMs`. */
  readonly iterations?: number;
  /** Target duration of one round when calibrating (default 40 ms). */
  readonly roundMs?: number;
  /** Alternative to `roundMs`: total measuring time per case, split evenly over the rounds. */
  readonly timeMs?: number;
  /** Warm-up time per case before measuring (default 300 ms). */
  readonly warmupMs?: number;
  /** Free-form facts stored with the result (inputs, sizes, targets). */
  readonly notes?: Record<string, unknown>;
  /** Where the JSON goes (default bench/results/). */
  readonly resultsDir?: string;
  /** Print the table (default true). */
  readonly print?: boolean;
}

export interface CaseResult {
  readonly name: string;
  readonly opsPerSec: number;
  /** Median nanoseconds per operation. */
  readonly medianNs: number;
  readonly minNs: number;
  readonly maxNs: number;
  /** medianNs / baseline medianNs: 1.10 means 10 % slower than the baseline. */
  readonly ratioToBaseline: number;
  readonly iterationsPerRound: number;
}

export interface BenchReport {
  readonly name: string;
  readonly baseline: string;
  readonly rounds: number;
  readonly node: string;
  readonly measuredAt: string;
  readonly cases: readonly CaseResult[];
  readonly notes: Record<string, unknown>;
}

let sink: unknown;

function runBatch(fn: () => unknown, iterations: number): number {
  let last: unknown;
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) last = fn();
  const ns = Number(process.hrtime.bigint() - start);
  sink = last;
  return ns;
}

function median(xs: readonly number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Warms a case up for `warmupMs` and returns how many operations fit in `roundMs`. */
function warmUp(c: BenchCase, warmupMs: number, roundMs: number): number {
  let iterations = 1;
  let spent = 0;
  let perOpNs = Infinity;
  while (spent < warmupMs * 1e6) {
    const ns = runBatch(c.fn, iterations);
    spent += ns;
    perOpNs = Math.min(perOpNs, ns / iterations);
    iterations = Math.min(iterations * 2, 1 << 22);
  }
  return Math.max(1, Math.round((roundMs * 1e6) / perOpNs));
}

function formatOps(ops: number): string {
  if (ops >= 1e6) return `${(ops / 1e6).toFixed(2)} M/s`;
  if (ops >= 1e3) return `${(ops / 1e3).toFixed(1)} k/s`;
  return `${ops.toFixed(1)} /s`;
}

/** Prints the result table. */
export function printReport(report: BenchReport): void {
  console.log(`bench ${report.name}: median of ${report.rounds} interleaved rounds, node ${report.node}`);
  const width = Math.max(...report.cases.map((c) => c.name.length), 8);
  console.log(`  ${'case'.padEnd(width)}  ${'ops/s'.padStart(11)}  ${'median'.padStart(10)}  ${'vs baseline'.padStart(11)}`);
  for (const c of report.cases) {
    const ratio = c.name === report.baseline ? 'baseline' : `${c.ratioToBaseline.toFixed(3)}x`;
    console.log(`  ${c.name.padEnd(width)}  ${formatOps(c.opsPerSec).padStart(11)}  ${`${c.medianNs.toFixed(0)} ns`.padStart(10)}  ${ratio.padStart(11)}`);
  }
}

/** Runs the cases, prints the table, writes bench/results/<name>.json and returns the report. */
export function runBench(opts: BenchOptions, cases: readonly BenchCase[]): BenchReport {
  if (!cases.some((c) => c.name === opts.baseline)) throw new Error(`baseline case "${opts.baseline}" is not among the cases`);
  const rounds = opts.rounds ?? 15;
  const roundMs = opts.timeMs !== undefined ? opts.timeMs / rounds : opts.roundMs ?? 40;
  const iterations = cases.map((c) => opts.iterations ?? warmUp(c, opts.warmupMs ?? 300, roundMs));
  const samples: number[][] = cases.map(() => []);
  for (let r = 0; r < rounds; r++) {
    cases.forEach((c, i) => samples[i].push(runBatch(c.fn, iterations[i]) / iterations[i]));
  }
  const medians = samples.map(median);
  const baselineNs = medians[cases.findIndex((c) => c.name === opts.baseline)];
  const report: BenchReport = {
    name: opts.name,
    baseline: opts.baseline,
    rounds,
    node: process.version,
    measuredAt: new Date().toISOString(),
    cases: cases.map((c, i) => ({
      name: c.name,
      opsPerSec: 1e9 / medians[i],
      medianNs: medians[i],
      minNs: Math.min(...samples[i]),
      maxNs: Math.max(...samples[i]),
      ratioToBaseline: medians[i] / baselineNs,
      iterationsPerRound: iterations[i],
    })),
    notes: { ...(opts.notes ?? {}), sinkType: typeof sink },
  };
  const file = join(opts.resultsDir ?? join(dirname(fileURLToPath(import.meta.url)), 'results'), `${opts.name}.json`);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  if (opts.print !== false) {
    printReport(report);
    console.log(`  wrote ${file}`);
  }
  return report;
}
