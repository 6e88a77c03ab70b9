// Delegation end to end (§9.4, §10; catalog §6.12, §9 #12/#42/#43) through conformance.delegator
// and JobContext.delegate: success (same session, inherited trace, parent_job_id, result back),
// each subset violation as a tool_result on the parent (call_id = delegate_id), budget
// reservation, inherited expiry, and parent termination ending the child.
import { afterEach, describe, expect, it } from 'vitest';
import type { ARCPRuntime } from '../runtime.js';
import { alice, authorityRuntime, eventsOf, futureIso, submitAccepted, terminalSlow } from './support/authority-fixture.js';
import { gate } from './support/runtime-fixture.js';

let runtime: ARCPRuntime;
afterEach(async () => runtime?.close());

const parentLease = {
  'agent.delegate': ['conformance.*'],
  'fs.read': ['/data/**'],
  'model.use': ['tier-fast/*'],
  'cost.budget': ['USD:5.00'],
};

describe('delegation success (§10)', () => {
  it('runs the child in the same session with the parent trace, parent_job_id and delegate_id, and returns its result', async () => {
    runtime = authorityRuntime();
    const peer = await alice(runtime);
    const input = { agent: 'conformance.echo', input: { hi: 1 }, lease_request: { 'fs.read': ['/data/public/**'], 'cost.budget': ['USD:2.00'] } };
    const parent = await submitAccepted(peer, 'conformance.delegator', input, { lease_request: parentLease });
    const parentId = parent.payload.job_id;
    const result = await peer.terminal(parentId);
    expect(result.type).toBe('job.result');
    const childId = result.payload.result.child_job_id;
    expect(result.payload.result).toEqual({ child_job_id: childId, child_status: 'success', child_result: { hi: 1 } });

    const delegateEvent = eventsOf(peer, parentId, 'delegate')[0];
    expect(delegateEvent).toMatchObject({ agent: 'conformance.echo', input: { hi: 1 }, lease_request: input.lease_request });
    const childAccepted = peer.ofType('job.accepted').find((m) => m.job_id === childId)!;
    expect(childAccepted.session_id).toBe(peer.sessionId);
    expect(childAccepted.trace_id).toBe(parent.trace_id);
    expect(childAccepted.payload).toMatchObject({
      parent_job_id: parentId,
      delegate_id: delegateEvent.delegate_id,
      agent: 'conformance.echo',
      lease: input.lease_request,
      budget: { USD: 2 },
    });
    const childEnd = await peer.terminal(childId);
    expect(childEnd.trace_id).toBe(parent.trace_id);
    // The child appears in listings with its parent.
    const id = peer.send('session.list_jobs', {});
    const listing = await peer.find((m) => m.type === 'session.jobs' && m.payload.request_id === id);
    expect(listing.payload.jobs.find((j: { job_id: string }) => j.job_id === childId).parent_job_id).toBe(parentId);
  });

  it("inherits the parent's expires_at when the child names none", async () => {
    runtime = authorityRuntime();
    const peer = await alice(runtime);
    const expires_at = futureIso(3_600_000);
    const parent = await submitAccepted(peer, 'conformance.delegator', { agent: 'conformance.echo', input: 1, lease_request: {} }, { lease_request: parentLease, lease_constraints: { expires_at } });
    const childId = (await peer.terminal(parent.payload.job_id)).payload.result.child_job_id;
    expect(peer.ofType('job.accepted').find((m) => m.job_id === childId)!.payload.lease_constraints).toEqual({ expires_at });
  });
});

describe('delegation refusals (§9.4)', () => {
  const cases: Array<[string, Record<string, unknown>, Record<string, unknown> | undefined, string]> = [
    ['a resource the parent does not cover', { 'fs.read': ['/etc/**'] }, undefined, 'LEASE_SUBSET_VIOLATION'],
    ['a capability the parent lacks', { 'net.fetch': ['https://x.example/**'] }, undefined, 'LEASE_SUBSET_VIOLATION'],
    ['a model outside the parent set', { 'model.use': ['tier-slow/*'] }, undefined, 'LEASE_SUBSET_VIOLATION'],
    ['a budget above the parent remaining', { 'cost.budget': ['USD:5.01'] }, undefined, 'LEASE_SUBSET_VIOLATION'],
    ['a currency the parent lacks', { 'cost.budget': ['EUR:1'] }, undefined, 'LEASE_SUBSET_VIOLATION'],
    ['an expiry later than the parent', {}, { expires_at: futureIso(7_200_000) }, 'LEASE_SUBSET_VIOLATION'],
  ];
  for (const [why, lease_request, lease_constraints, code] of cases) {
    it(`refuses ${why} with a tool_result ${code} on the parent (call_id = delegate_id)`, async () => {
      runtime = authorityRuntime();
      const peer = await alice(runtime);
      const input = { agent: 'conformance.echo', input: 1, lease_request, ...(lease_constraints ? { lease_constraints } : {}) };
      const parent = await submitAccepted(peer, 'conformance.delegator', input, { lease_request: parentLease, lease_constraints: { expires_at: futureIso(3_600_000) } });
      const parentId = parent.payload.job_id;
      const result = await peer.terminal(parentId);
      expect(result.payload.result).toEqual({ outcomes: [{ allowed: false, code }] });
      const dlg = eventsOf(peer, parentId, 'delegate')[0];
      const refusal = eventsOf(peer, parentId, 'tool_result')[0];
      expect(refusal).toMatchObject({ call_id: dlg.delegate_id, error: { code, retryable: false } });
      expect(peer.ofType('job.accepted')).toHaveLength(1); // no child was created
    });
  }

  it('refuses a child agent that agent.delegate does not cover (PERMISSION_DENIED, §9.3) and an unknown agent', async () => {
    runtime = authorityRuntime();
    const peer = await alice(runtime);
    const lease = { 'agent.delegate': ['conformance.echo'] };
    const a = await submitAccepted(peer, 'conformance.delegator', { agent: 'conformance.chatty', input: { n: 1 }, lease_request: {} }, { lease_request: lease });
    expect((await peer.terminal(a.payload.job_id)).payload.result).toEqual({ outcomes: [{ allowed: false, code: 'PERMISSION_DENIED' }] });
    const b = await submitAccepted(peer, 'conformance.delegator', { agent: 'nobody.here', input: 1, lease_request: {} }, { lease_request: lease });
    expect((await peer.terminal(b.payload.job_id)).payload.result).toEqual({ outcomes: [{ allowed: false, code: 'AGENT_NOT_AVAILABLE' }] });
  });
});

describe('delegated budget and parent termination', () => {
  it('reserves the child budget from the parent and returns the unspent part when the child ends', async () => {
    runtime = authorityRuntime();
    const hold = gate();
    runtime.registerAgent('holder', async (_input, ctx) => {
      ctx.metric('cost.llm', 1.5, { unit: 'USD' });
      await hold.promise;
      return 'held';
    });
    runtime.registerAgent('budget-parent', async (_input, ctx) => {
      const child = ctx.delegate({ agent: 'holder', input: 0, lease_request: { 'cost.budget': ['USD:4'] } });
      // While the child holds USD:4 of the parent's USD:5, only USD:1 is left to delegate.
      const whileHeld = await ctx.delegate({ agent: 'conformance.echo', input: 0, lease_request: { 'cost.budget': ['USD:1.5'] } }).catch((e) => e.code);
      hold.open();
      const out = await child;
      // The child spent 1.5 of its 4: 2.5 came back, so 3.5 is delegable now, and no more.
      const tooMuch = await ctx.delegate({ agent: 'conformance.echo', input: 0, lease_request: { 'cost.budget': ['USD:3.51'] } }).catch((e) => e.code);
      const exact = await ctx.delegate({ agent: 'conformance.echo', input: 0, lease_request: { 'cost.budget': ['USD:3.5'] } });
      return { whileHeld, child: out.result, tooMuch, exact: exact.finalStatus };
    });
    const peer = await alice(runtime);
    const acc = await submitAccepted(peer, 'budget-parent', {}, { lease_request: { 'agent.delegate': ['*'], 'cost.budget': ['USD:5'] } });
    const end = await peer.terminal(acc.payload.job_id);
    expect(end.payload.result).toEqual({ whileHeld: 'LEASE_SUBSET_VIOLATION', child: 'held', tooMuch: 'LEASE_SUBSET_VIOLATION', exact: 'success' });
  });

  it('ends a running child when the parent ends, with the parent unable to outlive it', async () => {
    runtime = authorityRuntime();
    // The parent returns only after the test saw its child accepted: ordering by signal, not sleep.
    let childSeen!: () => void;
    const childAccepted = new Promise<void>((r) => (childSeen = r));
    runtime.registerAgent('abandoning-parent', async (_input, ctx) => {
      void ctx.delegate({ agent: 'conformance.slow', input: { steps: 1, interval_ms: 60_000 }, lease_request: {} }).catch(() => undefined);
      await childAccepted;
      return 'parent done';
    });
    const peer = await alice(runtime);
    const acc = await submitAccepted(peer, 'abandoning-parent', {}, { lease_request: { 'agent.delegate': ['conformance.*'] } });
    const child = await peer.find((m) => m.type === 'job.accepted' && m.payload.parent_job_id === acc.payload.job_id);
    childSeen();
    const parentEnd = await peer.terminal(acc.payload.job_id);
    expect(parentEnd.type).toBe('job.result');
    const childEnd = await terminalSlow(peer, child.job_id!);
    expect(childEnd.type).toBe('job.error');
    expect(childEnd.payload).toMatchObject({ code: 'CANCELLED', final_status: 'cancelled' });
  });
});
