// Reports of a run with real failures: report.json validates against report.schema.json, JUnit
// counts the failure, the HTML page carries the failing check's trace and replay command, and the
// certification marks the broken area failing while badges use the shields.io endpoint format.
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { disposeMutants, faultyTarget } from './fault-scratch.js';
import { runConformance, type RunResult } from '../index.js';

let dir: string;
let result: RunResult;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'arcp-conf-report-'));
  result = await runConformance({ peer: await faultyTarget('seq-skip'), only: '8.3/**,6.2/welcome/*', seed: 99, runs: 4, reportDir: dir, output: 'silent' });
});

afterAll(async () => {
  await disposeMutants();
  await rm(dir, { recursive: true, force: true });
});

describe('reports', () => {
  it('report.json follows report.schema.json', async () => {
    const schema = JSON.parse(await readFile(new URL('../report/report.schema.json', import.meta.url), 'utf8'));
    const report = JSON.parse(await readFile(join(dir, 'report.json'), 'utf8'));
    const ajv = new Ajv2020.default({ allErrors: true, strict: false });
    addFormats.default(ajv);
    const validate = ajv.compile(schema);
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    expect(report.seed).toBe(99);
    expect(report.exitCode).toBe(1);
    expect(report.fuzz.cases).toBeGreaterThan(0);
    const failed = report.checks.find((c: { id: string }) => c.id === '8.3/seq/gap-free-concurrent');
    expect(failed.outcome).toBe('fail');
    expect(failed.trace.length).toBeGreaterThan(3);
    expect(failed.replay).toContain('--only 8.3/seq/gap-free-concurrent --seed 99 --runs 1');
  });

  it('a schema-invalid report is rejected (the schema is not vacuous)', async () => {
    const schema = JSON.parse(await readFile(new URL('../report/report.schema.json', import.meta.url), 'utf8'));
    const report = JSON.parse(await readFile(join(dir, 'report.json'), 'utf8'));
    const ajv = new Ajv2020.default({ strict: false });
    addFormats.default(ajv);
    report.checks[0].outcome = 'sort-of';
    expect(ajv.validate(schema, report)).toBe(false);
  });

  it('JUnit counts the failure per section', async () => {
    const xml = await readFile(join(dir, 'junit.xml'), 'utf8');
    expect(xml).toMatch(/^<\?xml/);
    expect(xml).toMatch(/<testsuite name="§8.3" tests="\d+" failures="[1-9]/);
    expect(xml).toContain('<failure message="');
  });

  it('the HTML page is self-contained and shows the failing trace and replay', async () => {
    const html = await readFile(join(dir, 'report.html'), 'utf8');
    expect(html).not.toMatch(/<script|<link|src="http/);
    expect(html).toContain('8.3/seq/gap-free-concurrent');
    expect(html).toContain('event_seq');
    expect(html).toContain('arcp conformance --only 8.3/seq/gap-free-concurrent');
  });

  it('certification and badges', async () => {
    const cert = JSON.parse(await readFile(join(dir, 'certification.json'), 'utf8'));
    expect(cert.core).toBe('failing');
    const badges = await readdir(join(dir, 'badges'));
    expect(badges).toContain('core.json');
    expect(badges).toContain('heartbeat.json');
    const core = JSON.parse(await readFile(join(dir, 'badges', 'core.json'), 'utf8'));
    expect(core).toEqual({ schemaVersion: 1, label: 'ARCP core', message: 'failing', color: 'red' });
    expect(result.exitCode).toBe(1);
  });
});
