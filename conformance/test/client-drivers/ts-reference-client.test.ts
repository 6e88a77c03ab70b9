// Certifies the public TS reference client through its driver. Its known defects are the
// baseline (conformance/baselines/ts-reference-client.txt, evidence in the .json beside it): the
// run must exit 0 with every other MUST check passing, and a fixed defect fails the run (stale baseline).
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runClientConformance } from '../../client-role/index.js';

const peer = new URL('../../../../shared/peers/ts-reference/client.mjs', import.meta.url);
const present = existsSync(peer);
if (!present) console.log(`SKIP ts-reference client certification: ${peer.pathname} is absent (needs ../shared/peers/ts-reference)`);

describe.skipIf(!present)('client role: TS reference client through its driver', () => {
  it('fails exactly its baselined defects', async () => {
    const driver = new URL('./ts-reference-driver.mjs', import.meta.url).pathname;
    const baseline = new URL('../../baselines/ts-reference-client.txt', import.meta.url).pathname;
    const r = await runClientConformance({ clientCmd: `node ${driver}`, expectedFailures: baseline, seed: 3, runs: 2, output: 'silent' });
    const bad = r.verdicts.filter((v) => ['fail', 'errored', 'unexpected-pass'].includes(v.outcome) || (v.outcome === 'warn' && !v.message?.includes('baseline')));
    expect(bad.map((v) => `${v.id}: ${v.outcome} ${v.message ?? ''}`)).toEqual([]);
    expect(r.exitCode).toBe(0);
  }, 300_000); // a full client-role run through a subprocess driver
});
