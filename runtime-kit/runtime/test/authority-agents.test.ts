// The authority conformance agents' contract (design/conformance-agents.md): event shapes,
// results, and typed INVALID_REQUEST failures for bad inputs (never a crash).
import { afterEach, describe, expect, it } from 'vitest';
import type { ARCPRuntime } from '../runtime.js';
import { alice, authorityRuntime, eventsOf, submitAccepted } from './support/authority-fixture.js';

let runtime: ARCPRuntime;
afterEach(async () => runtime?.close());

describe('conformance authority agents', () => {
  const badInputs: Array<[string, unknown]> = [
    ['conformance.tools', { ops: 'nope' }],
    ['conformance.tools', { ops: [{ capability: 'fs.read' }] }],
    ['conformance.tools', { ops: [], delay_ms: -1 }],
    ['conformance.spender', { costs: [{ amount: '1', currency: 'USD' }], op: { capability: 'fs.read', target: '/a' } }],
    ['conformance.spender', { costs: [] }],
    ['conformance.model', { models: [1] }],
    ['conformance.delegator', { input: 1 }],
  ];
  for (const [agent, input] of badInputs) {
    it(`${agent} fails ${JSON.stringify(input)} with job.error INVALID_REQUEST`, async () => {
      runtime = authorityRuntime();
      const peer = await alice(runtime);
      const acc = await submitAccepted(peer, agent, input);
      const end = await peer.terminal(acc.payload.job_id);
      expect(end.type).toBe('job.error');
      expect(end.payload.code).toBe('INVALID_REQUEST');
    });
  }

  it('conformance.spender emits metric cost.conformance {value: amount, unit: currency} before each op', async () => {
    runtime = authorityRuntime();
    const peer = await alice(runtime);
    const acc = await submitAccepted(
      peer,
      'conformance.spender',
      { costs: [{ amount: 0.5, currency: 'USD' }, { amount: 2, currency: 'credits' }], op: { capability: 'fs.read', target: '/a' } },
      { lease_request: { 'fs.read': ['/a'], 'cost.budget': ['USD:1', 'credits:10'] } },
    );
    const jobId = acc.payload.job_id;
    await peer.terminal(jobId);
    const kinds = peer.ofType('job.event').filter((m) => m.job_id === jobId).map((m) => (m.payload.kind === 'metric' ? `metric:${m.payload.body.name}` : m.payload.kind));
    expect(kinds).toEqual(['status', 'metric:cost.conformance', 'metric:cost.budget.remaining', 'tool_call', 'tool_result', 'metric:cost.conformance', 'metric:cost.budget.remaining', 'tool_call', 'tool_result']);
    expect(eventsOf(peer, jobId, 'metric').filter((m) => m.name === 'cost.conformance')).toEqual([
      { name: 'cost.conformance', value: 0.5, unit: 'USD' },
      { name: 'cost.conformance', value: 2, unit: 'credits' },
    ]);
    expect(eventsOf(peer, jobId, 'metric').filter((m) => m.name === 'cost.budget.remaining').map((m) => [m.unit, m.value])).toEqual([
      ['USD', 0.5],
      ['credits', 8],
    ]);
  });

  it('conformance.tools waits delay_ms before each op and stops promptly on cancel', async () => {
    runtime = authorityRuntime();
    const peer = await alice(runtime);
    const acc = await submitAccepted(peer, 'conformance.tools', { ops: [{ capability: 'fs.read', target: '/a' }], delay_ms: 60_000 });
    peer.send('job.cancel', {}, { job_id: acc.payload.job_id });
    const end = await peer.terminal(acc.payload.job_id);
    expect(end.payload.code).toBe('CANCELLED');
    expect(eventsOf(peer, acc.payload.job_id, 'tool_call')).toEqual([]);
  });
});
