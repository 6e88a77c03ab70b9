// Cost of lenient validation of a `job.event` frame as a ratio to JSON.parse of the same frame,
// measured in the same run (issue 2 "bench/validate"; target: validation adds <= 10 % to parse time).
// Frames are the job.event examples of schema/messages/job.event.json, so they track the schema.
import { readFileSync } from 'node:fs';
import { validateMessage } from '../generated/validators.js';
import { runBench, type BenchCase } from './harness.js';

interface Frame { kind: string; text: string; value: unknown }

const schema = JSON.parse(readFileSync(new URL('../schema/messages/job.event.json', import.meta.url), 'utf8')) as {
  examples: { payload: { kind: string } }[];
};
const frames: Frame[] = schema.examples.map((e) => ({ kind: e.payload.kind, text: JSON.stringify(e), value: e }));
for (const f of frames) {
  const verdict = validateMessage('lenient', JSON.parse(f.text));
  if (verdict.ok !== true) throw new Error(`example ${f.kind} does not validate: ${JSON.stringify(verdict)}`);
}

// One representative frame for the headline ratio: the most common event kind on the wire.
const log = frames.find((f) => f.kind === 'log') ?? frames[0];
const parsedLog = JSON.parse(log.text);
let i = 0;
const next = () => frames[i++ % frames.length];

const cases: BenchCase[] = [
  { name: 'JSON.parse (log frame)', fn: () => JSON.parse(log.text) },
  { name: 'JSON.parse + validate lenient (log frame)', fn: () => validateMessage('lenient', JSON.parse(log.text)).ok },
  { name: 'validate lenient only (log frame, pre-parsed)', fn: () => validateMessage('lenient', parsedLog).ok },
  { name: 'validate strict only (log frame, pre-parsed)', fn: () => validateMessage('strict', parsedLog).ok },
  { name: 'JSON.parse (all example kinds, rotating)', fn: () => JSON.parse(next().text) },
  { name: 'JSON.parse + validate lenient (all kinds, rotating)', fn: () => validateMessage('lenient', JSON.parse(next().text)).ok },
];

export default function main(): void {
  const report = runBench({
    name: 'validate',
    baseline: 'JSON.parse (log frame)',
    notes: {
      frameBytes: Object.fromEntries(frames.map((f) => [f.kind, Buffer.byteLength(f.text)])),
      target: 'JSON.parse + validate lenient <= 1.10x JSON.parse',
    },
  }, cases);
  const byName = new Map(report.cases.map((c) => [c.name, c]));
  const headline = byName.get('JSON.parse + validate lenient (log frame)')!.medianNs / byName.get('JSON.parse (log frame)')!.medianNs;
  const rotating = byName.get('JSON.parse + validate lenient (all kinds, rotating)')!.medianNs
    / byName.get('JSON.parse (all example kinds, rotating)')!.medianNs;
  const verdict = (r: number) => `${((r - 1) * 100).toFixed(1)} % added (${r <= 1.1 ? 'meets' : 'MISSES'} the <= 10 % target)`;
  console.log(`  lenient validation adds to JSON.parse: log frame ${verdict(headline)}; all kinds ${verdict(rotating)}`);
}
