// cost.budget end to end (§9.6; catalog §6.16) through conformance.spender: decimal arithmetic
// to the cent, multiple currencies, negatives rejected, remaining gauges, BUDGET_EXHAUSTED as a
// tool_result the agent survives, current counters in job.accepted / job.subscribed.
// (Fault-injected variants: conformance/test/fault-mutants.test.ts.)
import { afterEach, describe, expect, it } from 'vitest';
import type { ARCPRuntime } from '../runtime.js';
import { alice, authorityRuntime, eventsOf, submitAccepted } from './support/authority-fixture.js';

let runtime: ARCPRuntime;
afterEach(async () => runtime?.close());

const op = { capability: 'tool.call', target: 'search.web' };

function costs(n: number, amount: number, currency = 'USD'): { amount: number; currency: string }[] {
  return Array.from({ length: n }, () => ({ amount, currency }));
}

describe('budget exhaustion to the cent (§9.6)', () => {
  it('100 payments of 0.01 exhaust USD:1.00 exactly: op 100 fails BUDGET_EXHAUSTED, the job still succeeds', async () => {
    runtime = authorityRuntime();
    const peer = await alice(runtime);
    const lease_request = { 'tool.call': ['search.*'], 'cost.budget': ['USD:1.00'] };
    const acc = await submitAccepted(peer, 'conformance.spender', { costs: costs(101, 0.01), op }, { lease_request });
    expect(acc.payload.budget).toEqual({ USD: 1 });
    const result = await peer.terminal(acc.payload.job_id);
    expect(result.type).toBe('job.result');
    const outcomes = result.payload.result.outcomes;
    expect(outcomes.slice(0, 99).every((o: { allowed: boolean }) => o.allowed)).toBe(true);
    expect(outcomes[99]).toEqual({ allowed: false, code: 'BUDGET_EXHAUSTED' });
    expect(outcomes[100]).toEqual({ allowed: false, code: 'BUDGET_EXHAUSTED' });
    const denial = eventsOf(peer, acc.payload.job_id, 'tool_result').find((r) => r.error)!;
    expect(denial.error).toMatchObject({ code: 'BUDGET_EXHAUSTED', retryable: false });
    const gauges = eventsOf(peer, acc.payload.job_id, 'metric').filter((m) => m.name === 'cost.budget.remaining');
    expect(gauges.length).toBeGreaterThan(0);
    expect(gauges.every((g) => g.unit === 'USD')).toBe(true);
    expect(gauges.at(-1)!.value).toBeLessThanOrEqual(0);
    expect(gauges.some((g) => g.value === 0)).toBe(true); // exact zero, no float residue
  });

  it('tracks currencies independently: exhausting credits blocks operations even with USD left', async () => {
    runtime = authorityRuntime();
    const peer = await alice(runtime);
    const lease_request = { 'tool.call': ['search.*'], 'cost.budget': ['USD:5', 'credits:3'] };
    const acc = await submitAccepted(peer, 'conformance.spender', { costs: [{ amount: 2, currency: 'credits' }, { amount: 1, currency: 'credits' }], op }, { lease_request });
    const result = await peer.terminal(acc.payload.job_id);
    expect(result.payload.result.outcomes).toEqual([{ allowed: true }, { allowed: false, code: 'BUDGET_EXHAUSTED' }]);
  });

  it('rejects a negative cost without decrementing (and without emitting it)', async () => {
    runtime = authorityRuntime();
    const peer = await alice(runtime);
    const lease_request = { 'tool.call': ['search.*'], 'cost.budget': ['USD:0.30'] };
    const acc = await submitAccepted(peer, 'conformance.spender', { costs: [{ amount: -5, currency: 'USD' }, { amount: 0.1, currency: 'USD' }, { amount: 0.1, currency: 'USD' }, { amount: 0.1, currency: 'USD' }], op }, { lease_request });
    const jobId = acc.payload.job_id;
    const result = await peer.terminal(jobId);
    // 0.30 - 0.1 x 3 is exactly 0 in decimals (a float would leave 5.5e-17 and allow the 4th op).
    expect(result.payload.result.outcomes).toEqual([{ allowed: true }, { allowed: true }, { allowed: true }, { allowed: false, code: 'BUDGET_EXHAUSTED' }]);
    const costMetrics = eventsOf(peer, jobId, 'metric').filter((m) => m.name === 'cost.conformance');
    expect(costMetrics.map((m) => m.value)).toEqual([0.1, 0.1, 0.1]);
    expect(eventsOf(peer, jobId, 'log').some((l) => l.level === 'warn' && /cost rejected/.test(l.message))).toBe(true);
  });

});
