// §9.5 lease expiry end to end with a short expires_at (real clock; generous waits, no timed
// assertions): proactive termination, termination on the next operation, LEASE_EXPIRED never
// retryable; and the ignore-expires-at / lease-expired-retryable / glob-star-crosses-slash faults.
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

  it('fault ignore-expires-at: the same late operation is allowed and the job succeeds', async () => {
    runtime = authorityRuntime({ faults: ['ignore-expires-at'] });
    const peer = await alice(runtime);
    const acc = await submitAccepted(
      peer,
      'conformance.tools',
      { ops: [fsOp], delay_ms: 1500 },
      { lease_request: { 'fs.read': ['/data/*'] }, lease_constraints: { expires_at: futureIso(200) } },
    );
    const end = await terminalSlow(peer, acc.payload.job_id);
    expect(end.type).toBe('job.result');
    expect(end.payload.result.outcomes).toEqual([{ allowed: true }]);
  });

  it('fault lease-expired-retryable: job.error LEASE_EXPIRED goes out with retryable true', async () => {
    runtime = authorityRuntime({ faults: ['lease-expired-retryable'], validateOutbound: false });
    const peer = await alice(runtime);
    const acc = await submitAccepted(peer, 'conformance.slow', { steps: 1, interval_ms: 60_000 }, { lease_constraints: { expires_at: futureIso(200) } });
    const end = await terminalSlow(peer, acc.payload.job_id);
    expect(end.payload).toMatchObject({ code: 'LEASE_EXPIRED', retryable: true });
  });
});

describe('fault glob-star-crosses-slash (§9.2)', () => {
  it('lets a one-segment * match across /', async () => {
    const run = async (faults: string[]): Promise<unknown> => {
      runtime = authorityRuntime({ faults: faults as never });
      const peer = await alice(runtime);
      const acc = await submitAccepted(peer, 'conformance.tools', { ops: [{ capability: 'fs.read', target: '/data/sub/a' }] }, { lease_request: { 'fs.read': ['/data/*'] } });
      const out = (await peer.terminal(acc.payload.job_id)).payload.result.outcomes;
      await runtime.close();
      return out;
    };
    expect(await run([])).toEqual([{ allowed: false, code: 'PERMISSION_DENIED' }]);
    expect(await run(['glob-star-crosses-slash'])).toEqual([{ allowed: true }]);
  });
});
