// JobContext's authority call sites with the default JobAuthority (authority/), and the hooks
// that let an embedder replace it (issue 4 extension points).
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../protocol/index.js';
import { passThroughAuthority } from '../authority-bridge.js';
import { ARCPRuntime } from '../runtime.js';
import { connected, makeRuntime } from './support/runtime-fixture.js';

let runtime: ARCPRuntime;
afterEach(async () => runtime?.close());

describe('authority at JobContext call sites (§9.3)', () => {
  it('reports a lease miss as a tool_result PERMISSION_DENIED the agent can handle', async () => {
    runtime = makeRuntime();
    runtime.registerAgent('ops', (_i, ctx) => {
      const ok = ctx.authorize('fs.read', '/workspace/a.txt');
      const denied = ctx.authorize('fs.read', '/etc/shadow', { callId: 'c-2' });
      return { ok: ok.allowed, denied: denied.allowed };
    });
    const peer = await connected(runtime);
    const req = peer.submit('ops', {}, { lease_request: { 'fs.read': ['/workspace/**'] } });
    const accepted = await peer.accepted(req);
    expect(accepted.payload.lease).toEqual({ 'fs.read': ['/workspace/**'] });
    const terminal = await peer.terminal(accepted.payload.job_id);
    expect(terminal.payload.result).toEqual({ ok: true, denied: false });
    const results = peer.ofType('job.event').filter((m) => m.payload.kind === 'tool_result');
    expect(results).toHaveLength(1);
    expect(results[0]!.payload.body).toMatchObject({ call_id: 'c-2', error: { code: 'PERMISSION_DENIED', retryable: false } });
  });

  it('rejects an invalid lease_request or a past expires_at with job.error INVALID_REQUEST', async () => {
    const clock = new ManualClock();
    runtime = makeRuntime({ clock });
    const peer = await connected(runtime);
    const badCap = await peer.accepted(peer.submit('echo', {}, { lease_request: { 'fs.delete': ['/x'] } }));
    expect(badCap.type).toBe('job.error');
    expect(badCap.payload.code).toBe('INVALID_REQUEST');
    const past = await peer.accepted(peer.submit('echo', {}, { lease_constraints: { expires_at: '2025-12-31T23:59:59Z' } }));
    expect(past.payload.code).toBe('INVALID_REQUEST');
  });

  it('ends the job with job.error LEASE_EXPIRED (retryable false) when the lease expires (§9.5)', async () => {
    const clock = new ManualClock(); // 2026-01-01T00:00:00Z
    runtime = makeRuntime({ clock });
    let expiredSeen: unknown;
    runtime.registerAgent('expiring', (_i, ctx) =>
      new Promise((resolve) => {
        ctx.signal.addEventListener('abort', () => resolve('aborted'));
        setImmediate(() => {
          clock.advance(62_000); // past expires_at + grace
          expiredSeen = ctx.authorize('tool.call', 'anything');
        });
      }),
    );
    const peer = await connected(runtime, { features: ['lease_expires_at'] }); // no heartbeat: the clock jumps a minute
    const req = peer.submit('expiring', {}, { lease_request: { 'tool.call': ['*'] }, lease_constraints: { expires_at: '2026-01-01T00:01:00Z' } });
    const accepted = await peer.accepted(req);
    expect(accepted.payload.lease_constraints).toEqual({ expires_at: '2026-01-01T00:01:00Z' });
    const terminal = await peer.terminal(accepted.payload.job_id);
    expect(terminal.payload).toMatchObject({ final_status: 'error', code: 'LEASE_EXPIRED', retryable: false });
    expect((expiredSeen as { allowed: boolean }).allowed).toBe(false);
    // §9.5 allows proactive termination at expiry or termination at the next op; either way
    // exactly one terminal, LEASE_EXPIRED, and nothing after it.
    const mine = peer.sequenced().filter((m) => m.job_id === accepted.payload.job_id);
    expect(mine.filter((m) => m.type === 'job.error' || m.type === 'job.result')).toHaveLength(1);
    expect(mine.at(-1)!.type).toBe('job.error');
  });

  it('decrements cost.budget on cost.* metrics, reports remaining, and denies the next op when exhausted (§9.6)', async () => {
    runtime = makeRuntime();
    runtime.registerAgent('spend', (_i, ctx) => {
      ctx.metric('cost.inference', 0.6, { unit: 'USD' });
      const first = ctx.authorize('tool.call', 'search');
      ctx.metric('cost.inference', 0.4, { unit: 'USD' });
      const second = ctx.authorize('tool.call', 'search');
      return { first: first.allowed, second: second.allowed };
    });
    const peer = await connected(runtime);
    const accepted = await peer.accepted(peer.submit('spend', {}, { lease_request: { 'tool.call': ['*'], 'cost.budget': ['USD:1.00'] } }));
    expect(accepted.payload.budget).toEqual({ USD: 1 });
    const terminal = await peer.terminal(accepted.payload.job_id);
    expect(terminal.payload.result).toEqual({ first: true, second: false });
    const remaining = peer.ofType('job.event').filter((m) => m.payload.kind === 'metric' && m.payload.body.name === 'cost.budget.remaining');
    expect(remaining.length).toBeGreaterThan(0);
    const denial = peer.ofType('job.event').find((m) => m.payload.kind === 'tool_result')!;
    expect(denial.payload.body.error).toMatchObject({ code: 'BUDGET_EXHAUSTED', retryable: false });
  });

  it('forbids models when model.use is absent by default, allows them with modelPolicy "allow"', async () => {
    for (const [policy, expected] of [
      [undefined, 'PERMISSION_DENIED'],
      ['allow', 'ok'],
    ] as const) {
      runtime = makeRuntime(policy ? { modelPolicy: policy } : {});
      runtime.registerAgent('llm', (_i, ctx) => ctx.invokeModel('tier-fast/small', () => 'ok'));
      const peer = await connected(runtime);
      const jobId = (await peer.accepted(peer.submit('llm'))).payload.job_id;
      const t = await peer.terminal(jobId);
      expect(t.payload.result ?? t.payload.code).toBe(expected);
      await runtime.close();
    }
  });
});

describe('hooks (extension points)', () => {
  it('lets a lease policy narrow the lease echoed in job.accepted and enforced', async () => {
    runtime = makeRuntime({
      hooks: { leasePolicy: (lease) => ({ ...lease, 'fs.read': (lease['fs.read'] ?? []).filter((p) => !p.startsWith('/etc')) }) },
    });
    runtime.registerAgent('reader', (_i, ctx) => ctx.authorize('fs.read', '/etc/hosts').allowed);
    const peer = await connected(runtime);
    const accepted = await peer.accepted(peer.submit('reader', {}, { lease_request: { 'fs.read': ['/etc/**', '/srv/**'] } }));
    expect(accepted.payload.lease).toEqual({ 'fs.read': ['/srv/**'] });
    expect((await peer.terminal(accepted.payload.job_id)).payload.result).toBe(false);
  });

  it('uses a custom authority, issues credentials when negotiated, and calls onJobTerminal once', async () => {
    const terminals: string[] = [];
    runtime = makeRuntime({
      hooks: {
        createAuthority: () => passThroughAuthority,
        issueCredentials: (job) => [{ id: `cred_${job.jobId}`, scheme: 'bearer', value: 'sk-test', endpoint: 'https://gw.example/v1' }],
        // §14: advertised only with durable revocation (issue 9)
        revokeCredentials: { durable: true, revoke: () => undefined },
        onJobTerminal: (job, status) => terminals.push(`${job.jobId}:${status}`),
      },
    });
    runtime.registerAgent('free', (_i, ctx) => ctx.authorize('fs.write', '/anything').allowed);
    const peer = await connected(runtime);
    const accepted = await peer.accepted(peer.submit('free'));
    expect(accepted.payload.credentials).toEqual([{ id: `cred_${accepted.payload.job_id}`, scheme: 'bearer', value: 'sk-test', endpoint: 'https://gw.example/v1' }]);
    expect((await peer.terminal(accepted.payload.job_id)).payload.result).toBe(true);
    expect(terminals).toEqual([`${accepted.payload.job_id}:success`]);
    const noCreds = await connected(runtime, { features: ['ack'] });
    const other = await noCreds.accepted(noCreds.submit('free'));
    expect(other.payload.credentials).toBeUndefined();
  });
});
