// Issue 13 item 1: lenient validation time vs frame size for hostile frames. Each family is measured
// at n, 2n, 4n and 8n items in the same run; linear cost shows as ~2.0x per doubling (quadratic
// error-list concatenation showed ~4x: a 64 KB session.hello took 23 s before the fix).
// Frames start from the schema's own examples, so they track the schema.
import { readFileSync } from 'node:fs';
import { validateMessage } from '../generated/validators.js';
import { runBench, type BenchCase } from './harness.js';

function example(type: string): Record<string, any> {
  const schema = JSON.parse(readFileSync(new URL(`../schema/messages/${type}.json`, import.meta.url), 'utf8')) as { examples: unknown[] };
  return structuredClone(schema.examples[0]) as Record<string, any>;
}

interface Family { name: string; frame: (n: number) => unknown }

const FAMILIES: Family[] = [
  {
    name: 'session.hello capabilities.agents of bad items',
    frame: (n) => { const f = example('session.hello'); f.payload.capabilities.agents = Array(n).fill(5); return f; },
  },
  {
    name: 'session.hello capabilities.agents valid then one bad',
    frame: (n) => {
      const f = example('session.hello');
      f.payload.capabilities.agents = [...Array.from({ length: n }, (_, i) => ({ name: `a${i}`, versions: ['1.0.0'] })), 5];
      return f;
    },
  },
  {
    name: 'job.submit lease capability list of bad items',
    frame: (n) => { const f = example('job.submit'); f.payload.lease_request = { 'tool.call': Array(n).fill(5) }; return f; },
  },
];

const BASE_ITEMS = 4096;
const SCALES = [1, 2, 4, 8];

export default function main(): void {
  const cases: BenchCase[] = [];
  const bytes: Record<string, number> = {};
  for (const family of FAMILIES) {
    for (const scale of SCALES) {
      const value = family.frame(BASE_ITEMS * scale);
      const name = `${family.name} x${BASE_ITEMS * scale}`;
      bytes[name] = Buffer.byteLength(JSON.stringify(value));
      if (validateMessage('lenient', value).ok) throw new Error(`${name}: the hostile frame validates`);
      cases.push({ name, fn: () => validateMessage('lenient', value).ok });
    }
  }
  const report = runBench({
    name: 'validate-linear',
    baseline: cases[0].name,
    rounds: 9,
    roundMs: 30,
    warmupMs: 150,
    notes: { frameBytes: bytes, target: 'time(2n) / time(n) ~ 2 (linear), never ~4' },
  }, cases);
  const median = new Map(report.cases.map((c) => [c.name, c.medianNs]));
  for (const family of FAMILIES) {
    const ratios = SCALES.slice(1).map((scale) =>
      (median.get(`${family.name} x${BASE_ITEMS * scale}`)! / median.get(`${family.name} x${(BASE_ITEMS * scale) / 2}`)!).toFixed(2));
    console.log(`  ${family.name}: time(2n)/time(n) = ${ratios.join(', ')}`);
  }
}
