// §9.5 lease expiry end to end with a short expires_at (real clock; generous waits, no timed
// assertions): proactive termination, termination on the next operation, LEASE_EXPIRED never
// retryable. (Fault-injected variants: conformance/test/fault-mutants.test.ts.)
import { afterEach, describe, expect, it } from 'vitest';
import type { ARCPRuntime } from '../runtime.js';
import { alice, authorityRuntime, eventsOf, futureIso, submitAccepted, terminalSlow } from './support/authority-fixture.js';

let runtime: ARCPRuntime;
afterEach(async () => runtime?.close());

const fsOp = { capability: 'fs.read', target: '/data/a' };

describe('lease expiry (§9.5)', () => {
  it('proactively ends a running job at expires_at with job.error LEASE_EXPIRED, retryable false', async () => {
    runtime = authorityRuntime();
    const peer = await alice(runtime);
    const acc = await submitAccepted(peer, 'conformance.slow', { steps: 1, interval_ms: 60_000 }, { lease_constraints: { expires_at: futureIso(200) } });
    const end = await terminalSlow(peer, acc.payload.job_id);
    expect(end.type).toBe('job.error');
    expect(end.payload).toMatchObject({ code: 'LEASE_EXPIRED', retryable: false, final_status: 'error' });
  });

  it('without proactive expiry: the next operation gets a LEASE_EXPIRED tool_result and the job ends LEASE_EXPIRED', async () => {
    runtime = authorityRuntime({ proactiveExpiry: false });
    const peer = await alice(runtime);
    // before expiry operations pass; after it (1.5 s > 200 ms + 1 s grace) the next one fails
    const acc = await submitAccepted(
      peer,
      'conformance.tools',
      { ops: [fsOp, fsOp], delay_ms: 0 },
      { lease_request: { 'fs.read': ['/data/*'] }, lease_constraints: { expires_at: futureIso(10_000) } },
    );
    const quick = await terminalSlow(peer, acc.payload.job_id);
    expect(quick.type).toBe('job.result'); // both ops ran before expiry
    const slow = await submitAccepted(
      peer,
      'conformance.tools',
      { ops: [fsOp], delay_ms: 1500 },
      { lease_request: { 'fs.read': ['/data/*'] }, lease_constraints: { expires_at: futureIso(200) } },
    );
    const end = await terminalSlow(peer, slow.payload.job_id);
    expect(end.type).toBe('job.error');
    expect(end.payload).toMatchObject({ code: 'LEASE_EXPIRED', retryable: false });
    const results = eventsOf(peer, slow.payload.job_id, 'tool_result');
    expect(results.at(-1)!.error).toMatchObject({ code: 'LEASE_EXPIRED', retryable: false });
  });

});
