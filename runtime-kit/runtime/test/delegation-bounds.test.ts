// Delegation bounds (issue 13 item 6): depth, live fan-out and tree size are enforced by
// `limits.maxDelegationDepth / maxDelegationFanOut / maxDelegationTreeSize`. A refusal is the
// usual delegation refusal (a `tool_result` error on the parent, call_id = delegate_id) with
// PERMISSION_DENIED and `details: {reason: 'limit_exceeded', limit, max}`. Before the fix a
// 190 KB submit of nested conformance.delegator inputs created 2,001 jobs.
import { afterEach, describe, expect, it } from 'vitest';
import type { ARCPRuntime } from '../runtime.js';
import { alice, authorityRuntime, eventsOf, submitAccepted } from './support/authority-fixture.js';
import { gate } from './support/runtime-fixture.js';

let runtime: ARCPRuntime;
afterEach(async () => runtime?.close());

const DELEGATE_ALL = { 'agent.delegate': ['*'] };

/** conformance.delegator delegating to itself `levels` times, ending in conformance.echo. */
function nestedDelegation(levels: number): Record<string, unknown> {
  let input: Record<string, unknown> = { agent: 'conformance.echo', input: 'leaf', lease_request: {} };
  for (let i = 0; i < levels; i++) input = { agent: 'conformance.delegator', input, lease_request: DELEGATE_ALL };
  return input;
}

describe('delegation depth', () => {
  it('refuses a child deeper than maxDelegationDepth and creates no job for it', async () => {
    runtime = authorityRuntime({ limits: { maxDelegationDepth: 3 } });
    const peer = await alice(runtime);
    const root = await submitAccepted(peer, 'conformance.delegator', nestedDelegation(20), { lease_request: DELEGATE_ALL });
    await peer.terminal(root.payload.job_id);
    // root (depth 0) + children at depth 1, 2, 3; the depth-3 child's delegation is refused.
    const accepted = peer.ofType('job.accepted');
    expect(accepted).toHaveLength(4);
    const deepest = accepted[3]!;
    const refusal = eventsOf(peer, deepest.job_id!, 'tool_result')[0];
    const dlg = eventsOf(peer, deepest.job_id!, 'delegate')[0];
    expect(refusal).toMatchObject({
      call_id: dlg.delegate_id,
      error: { code: 'PERMISSION_DENIED', retryable: false, details: { reason: 'limit_exceeded', limit: 'maxDelegationDepth', max: 3 } },
    });
    expect((await peer.terminal(deepest.job_id!)).payload.result).toEqual({ outcomes: [{ allowed: false, code: 'PERMISSION_DENIED' }] });
  });

  it('holds the default depth (8) against a 2,000-level submit', async () => {
    runtime = authorityRuntime();
    const peer = await alice(runtime);
    const root = await submitAccepted(peer, 'conformance.delegator', nestedDelegation(2000), { lease_request: DELEGATE_ALL });
    await peer.terminal(root.payload.job_id);
    expect(peer.ofType('job.accepted')).toHaveLength(9);
  });
});

describe('delegation fan-out and tree size', () => {
  it('refuses more live children than maxDelegationFanOut (retryable) and admits again once one ended', async () => {
    runtime = authorityRuntime({ limits: { maxDelegationFanOut: 2 } });
    const hold = gate();
    runtime.registerAgent('holder', async () => {
      await hold.promise;
      return 'held';
    });
    runtime.registerAgent('fan', async (_input, ctx) => {
      const a = ctx.delegate({ agent: 'holder', input: 0, lease_request: {} });
      const b = ctx.delegate({ agent: 'holder', input: 0, lease_request: {} });
      // Issued before either of the first two was accepted: the slot is taken at request time.
      const third = await ctx.delegate({ agent: 'conformance.echo', input: 0, lease_request: {} }).catch((e) => e);
      hold.open();
      await Promise.all([a, b]);
      const after = await ctx.delegate({ agent: 'conformance.echo', input: 0, lease_request: {} });
      return { third: { code: third.code, retryable: third.retryable, limit: third.details?.limit }, after: after.finalStatus };
    });
    const peer = await alice(runtime);
    const acc = await submitAccepted(peer, 'fan', {}, { lease_request: DELEGATE_ALL });
    const end = await peer.terminal(acc.payload.job_id);
    expect(end.payload.result).toEqual({ third: { code: 'PERMISSION_DENIED', retryable: true, limit: 'maxDelegationFanOut' }, after: 'success' });
    expect(peer.ofType('job.accepted')).toHaveLength(4); // fan + 2 holders + after
  });

  it('refuses a delegation once the tree has maxDelegationTreeSize jobs, even when children ended', async () => {
    runtime = authorityRuntime({ limits: { maxDelegationTreeSize: 5 } });
    runtime.registerAgent('serial', async (_input, ctx) => {
      const statuses: string[] = [];
      for (let i = 0; i < 10; i++) {
        try {
          statuses.push((await ctx.delegate({ agent: 'conformance.echo', input: i, lease_request: {} })).finalStatus);
        } catch (e) {
          statuses.push(`${(e as { code: string }).code}:${(e as { details: { limit: string } }).details.limit}`);
        }
      }
      return statuses;
    });
    const peer = await alice(runtime);
    const acc = await submitAccepted(peer, 'serial', {}, { lease_request: DELEGATE_ALL });
    const end = await peer.terminal(acc.payload.job_id);
    const refused = 'PERMISSION_DENIED:maxDelegationTreeSize';
    expect(end.payload.result).toEqual(['success', 'success', 'success', 'success', refused, refused, refused, refused, refused, refused]);
    expect(peer.ofType('job.accepted')).toHaveLength(5);
  });
});
