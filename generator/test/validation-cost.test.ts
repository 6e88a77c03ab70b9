// Issue 13 item 1: validating a frame of n bytes costs O(n) for every schema, and the issue list
// stays bounded. For every message type and event kind, in both modes, worst cases derived from the
// schemas (support/worst-cases.ts: huge arrays of failing items, valid prefixes, many keys, deep
// nesting) are validated at size n and 2n by the committed generated/ validators; the counted work
// (support/work-counter.ts: instance reads + error-array traffic) may at most double, plus a small
// constant. Quadratic error-list concatenation (ajv allErrors) grows ~4x here and fails.
import { describe, expect, it } from 'vitest';
import { validateEventBody, validateMessage, type Mode } from '../../generated/validators.js';
import { loadProtocol } from '../load/index.js';
import { countWork } from './support/work-counter.js';
import { firstExample, growthSpots, worstCasesAt, type WorstCase } from './support/worst-cases.js';
import { SCHEMA_DIR } from './support/temp-output.js';

const MODES: Mode[] = ['strict', 'lenient'];
const N = 150;
/** Linear work doubles with the input; slack for fixed costs and rounding. */
const MAX_RATIO = 2.25;
const SLACK = 64;
/** A bounded issue list: a hostile frame never makes thousands of issue objects. */
const MAX_ISSUES = 32;

const { model } = loadProtocol(SCHEMA_DIR);
const docs = model.lenientSchemas;
const jobEvent = model.messages.find((m) => m.type === 'job.event');

interface Outcome { problems: string[]; rejected: number; cases: number }

function issuesOf(result: unknown): number {
  const r = result as { ok: unknown; issues?: unknown[] };
  return r.ok === true || r.ok === 'unknown-kind' ? 0 : (r.issues?.length ?? 0);
}

function measure(cases: readonly WorstCase[], validate: (mode: Mode, value: unknown) => unknown): Outcome {
  const problems: string[] = [];
  let rejected = 0;
  for (const c of cases) {
    for (const mode of MODES) {
      const small = countWork((v) => validate(mode, v), c.build(N));
      const large = countWork((v) => validate(mode, v), c.build(2 * N));
      if (large.total > MAX_RATIO * small.total + SLACK) {
        problems.push(`${mode} ${c.label}: work ${small.total} at n=${N} -> ${large.total} at 2n (reads ${small.reads} -> ${large.reads}, error arrays ${small.arrayTraffic} -> ${large.arrayTraffic})`);
      }
      const issues = issuesOf(large.result);
      if (issues > MAX_ISSUES) problems.push(`${mode} ${c.label}: ${issues} issues at 2n (bound ${MAX_ISSUES})`);
      if (issues > 0) rejected++;
    }
  }
  return { problems, rejected, cases: cases.length };
}

function expectLinear(outcome: Outcome): void {
  expect(outcome.cases).toBeGreaterThan(0);
  // The worst cases must exercise the rejection paths, where the quadratic lived.
  expect(outcome.rejected).toBeGreaterThan(0);
  expect(outcome.problems).toEqual([]);
}

describe('validation cost is linear in the frame for every schema (issue 13 item 1)', () => {
  it('the worst-case generator reaches the capabilities.agents array of session.hello', () => {
    const hello = model.messages.find((m) => m.type === 'session.hello')!;
    const paths = growthSpots(docs, hello.schemaId).map((s) => `${s.path.join('/')}|${s.kind}`);
    expect(paths).toContain('payload/capabilities/agents|array');
    expect(paths).toContain('payload/capabilities/agents/*/versions|array');
  });

  it.each(model.messages.filter((m) => m.type !== 'job.event').map((m) => [m.type, m] as const))('message %s', (_type, m) => {
    const example = firstExample(docs, m.schemaId);
    expect(example).toBeDefined();
    const cases = growthSpots(docs, m.schemaId).flatMap((spot) => worstCasesAt(example, spot));
    expectLinear(measure(cases, (mode, v) => validateMessage(mode, v)));
  });

  it.each(model.eventKinds.map((e) => [e.kind, e] as const))('event kind %s: the body alone and inside job.event', (kind, e) => {
    const body = firstExample(docs, e.schemaId);
    expect(body).toBeDefined();
    const bodyCases = growthSpots(docs, e.schemaId).flatMap((spot) => worstCasesAt(body, spot));
    expectLinear(measure(bodyCases, (mode, v) => validateEventBody(mode, kind, v)));

    const carrier = structuredClone(firstExample(docs, jobEvent!.schemaId)) as { payload: Record<string, unknown> };
    carrier.payload.kind = kind;
    carrier.payload.body = body;
    const envelopeSpots = growthSpots(docs, jobEvent!.schemaId).filter((s) => s.path[0] !== 'payload' || s.path[1] !== 'body');
    const bodySpots = growthSpots(docs, e.schemaId).map((s) => ({ ...s, path: ['payload', 'body', ...s.path] }));
    const frames = [...envelopeSpots, ...bodySpots].flatMap((spot) => worstCasesAt(carrier, spot));
    expectLinear(measure(frames, (mode, v) => validateMessage(mode, v)));
  });

  it('the counter catches quadratic error-list growth (self-test of the instrument)', () => {
    const quadratic = (value: unknown) => {
      let errors: unknown[] = [];
      for (const item of value as unknown[]) if (item !== 'ok') errors = errors.concat([{ item }]);
      return errors.length;
    };
    const small = countWork(quadratic, Array(N).fill(5));
    const large = countWork(quadratic, Array(2 * N).fill(5));
    expect(large.total).toBeGreaterThan(MAX_RATIO * small.total + SLACK);
  });
});
