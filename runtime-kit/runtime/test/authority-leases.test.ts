// Leases end to end (§9.1-§9.3, §7.1 effective lease): validation at submit, the policy hook
// (narrow, never widen), per-operation enforcement through conformance.tools, and the features
// a runtime with real enforcement advertises.
import { afterEach, describe, expect, it } from 'vitest';
import { ReferenceProvisioner } from '../../authority/index.js';
import type { ARCPRuntime } from '../runtime.js';
import { alice, authorityRuntime, eventsOf, futureIso, submitAccepted, tempLedgerPath } from './support/authority-fixture.js';
import { connected } from './support/runtime-fixture.js';

let runtime: ARCPRuntime;
afterEach(async () => runtime?.close());

describe('lease validation at submit (§9.2, §9.5)', () => {
  it('rejects an unknown capability name with job.error INVALID_REQUEST correlated by request_id', async () => {
    runtime = authorityRuntime();
    const peer = await alice(runtime);
    const req = peer.submit('conformance.echo', {}, { lease_request: { 'fs.exec': ['/bin/*'] } });
    const err = await peer.accepted(req);
    expect(err.type).toBe('job.error');
    expect(err.payload).toMatchObject({ code: 'INVALID_REQUEST', request_id: req, final_status: 'error' });
  });

  it('rejects an expires_at in the past or without Z', async () => {
    runtime = authorityRuntime();
    const peer = await alice(runtime);
    const past = await peer.accepted(peer.submit('conformance.echo', {}, { lease_constraints: { expires_at: new Date(Date.now() - 60_000).toISOString() } }));
    expect(past.type).toBe('job.error');
    expect(past.payload.code).toBe('INVALID_REQUEST');
    // A non-Z offset is already refused by the lenient codec (session.error) or by validation (job.error).
    const offset = await peer.accepted(peer.submit('conformance.echo', {}, { lease_constraints: { expires_at: '2999-01-01T00:00:00+00:00' } }));
    expect(['job.error', 'session.error']).toContain(offset.type);
    expect(offset.payload.code).toBe('INVALID_REQUEST');
    expect(peer.ofType('job.accepted')).toHaveLength(0);
  });

  it('echoes the effective lease, constraints and initial budget in job.accepted', async () => {
    runtime = authorityRuntime();
    const peer = await alice(runtime);
    const expires_at = futureIso(3_600_000);
    const lease_request = { 'fs.read': ['/data/**'], 'cost.budget': ['USD:5.00', 'credits:10'] };
    const acc = await submitAccepted(peer, 'conformance.echo', {}, { lease_request, lease_constraints: { expires_at } });
    expect(acc.payload.lease).toEqual(lease_request);
    expect(acc.payload.lease_constraints).toEqual({ expires_at });
    expect(acc.payload.budget).toEqual({ USD: 5, credits: 10 });
  });
});

describe('lease policy hook (§7.1)', () => {
  it('narrows the requested lease and job.accepted echoes the narrowed one', async () => {
    runtime = authorityRuntime({ hooks: { leasePolicy: (lease) => ({ ...lease, 'fs.read': ['/data/public/**'] }) } });
    const peer = await alice(runtime);
    const acc = await submitAccepted(peer, 'conformance.tools', { ops: [{ capability: 'fs.read', target: '/data/secret/x' }] }, { lease_request: { 'fs.read': ['/data/**'] } });
    expect(acc.payload.lease).toEqual({ 'fs.read': ['/data/public/**'] });
    const result = await peer.terminal(acc.payload.job_id);
    expect(result.payload.result.outcomes).toEqual([{ allowed: false, code: 'PERMISSION_DENIED' }]);
  });

  it('refuses a widening policy with INTERNAL_ERROR instead of granting it', async () => {
    runtime = authorityRuntime({ hooks: { leasePolicy: () => ({ 'fs.read': ['/**'] }) } });
    const peer = await alice(runtime);
    const err = await peer.accepted(peer.submit('conformance.echo', {}, { lease_request: { 'fs.read': ['/data/**'] } }));
    expect(err.type).toBe('job.error');
    expect(err.payload.code).toBe('INTERNAL_ERROR');
  });
});

describe('enforcement through conformance.tools (§9.3)', () => {
  it('allows covered operations, denies the rest as tool_result PERMISSION_DENIED, and goes on', async () => {
    runtime = authorityRuntime();
    const peer = await alice(runtime);
    const ops = [
      { capability: 'fs.read', target: '/data/a.txt' },
      { capability: 'fs.read', target: '/data/sub/a.txt' }, // * is one segment
      { capability: 'fs.read', target: '/data/../etc/passwd' }, // canonicalised, then denied
      { capability: 'net.fetch', target: 'https://api.example.com/v1/x' },
      { capability: 'tool.call', target: 'calc.add' },
      { capability: 'fs.write', target: '/data/a.txt' }, // capability absent
    ];
    const lease_request = { 'fs.read': ['/data/*'], 'net.fetch': ['https://api.example.com/**'], 'tool.call': ['calc.*'] };
    const acc = await submitAccepted(peer, 'conformance.tools', { ops }, { lease_request });
    const jobId = acc.payload.job_id;
    const result = await peer.terminal(jobId);
    expect(result.payload.result.outcomes).toEqual([
      { allowed: true },
      { allowed: false, code: 'PERMISSION_DENIED' },
      { allowed: false, code: 'PERMISSION_DENIED' },
      { allowed: true },
      { allowed: true },
      { allowed: false, code: 'PERMISSION_DENIED' },
    ]);
    const calls = eventsOf(peer, jobId, 'tool_call');
    const results = eventsOf(peer, jobId, 'tool_result');
    expect(calls.map((c) => c.args)).toEqual(ops);
    expect(calls.every((c) => c.tool === 'conformance.op')).toBe(true);
    expect(results.map((r) => r.call_id)).toEqual(calls.map((c) => c.call_id));
    expect(results[0]).toEqual({ call_id: calls[0].call_id, result: { allowed: true } });
    expect(results[1].error).toMatchObject({ code: 'PERMISSION_DENIED', retryable: false });
  });
});

describe('feature advertisement (§6.2, §14)', () => {
  it('advertises lease_expires_at, cost.budget, model.use, list_jobs and subscribe, but not provisioned_credentials without a provisioner', async () => {
    runtime = authorityRuntime();
    const peer = await connected(runtime);
    const features: string[] = peer.received[0]!.payload.capabilities.features;
    expect(features).toEqual(expect.arrayContaining(['lease_expires_at', 'cost.budget', 'model.use', 'list_jobs', 'subscribe']));
    expect(features).not.toContain('provisioned_credentials');
  });

  it('does not advertise provisioned_credentials with a provisioner but no revocation ledger', async () => {
    runtime = authorityRuntime({ credentialProvisioner: new ReferenceProvisioner() });
    const peer = await connected(runtime);
    expect(peer.received[0]!.payload.capabilities.features).not.toContain('provisioned_credentials');
  });

  it('advertises provisioned_credentials with a provisioner and a ledger', async () => {
    runtime = authorityRuntime({ credentialProvisioner: new ReferenceProvisioner(), revocationLedgerPath: tempLedgerPath() });
    const peer = await connected(runtime);
    expect(peer.received[0]!.payload.capabilities.features).toContain('provisioned_credentials');
  });
});
