// Budget regressions (§9.6, §9.4 budget subsetting; catalog §6.16, §9 #43, §10 #32): the
// lease/budget bugs other SDKs fixed (ecosystem.md §1.4 "Lease and budget bugs", kotlin-sdk #92).
import { describe, expect, it } from 'vitest';
import { connect, makeRuntime, runScript, scriptAgent, submitAccepted, type Msg, type Step, type TestPeer } from './support.js';

async function setup(): Promise<TestPeer> {
  const runtime = makeRuntime();
  scriptAgent(runtime);
  return connect(runtime);
}

const usd = (value: number): Step => ({ metric: ['cost.usd', value, 'USD'] });
const READ: Step = { op: ['fs.read', '/data/a.txt'] };

function budgetGauges(peer: TestPeer, jobId: string): number[] {
  return peer
    .ofType('job.event')
    .filter((m) => m.job_id === jobId && m.payload.kind === 'metric' && m.payload.body.name === 'cost.budget.remaining')
    .map((m) => m.payload.body.value);
}

function toolErrors(peer: TestPeer, jobId: string): any[] {
  return peer
    .ofType('job.event')
    .filter((m) => m.job_id === jobId && m.payload.kind === 'tool_result' && m.payload.body.error)
    .map((m) => m.payload.body.error);
}

describe('budget regressions', () => {
  it('go-sdk #148: reported cost metrics are enforced — once a counter reaches 0 the next operation is BUDGET_EXHAUSTED (retryable false)', async () => {
    const peer = await setup();
    const lease = { 'fs.read': ['/data/**'], 'cost.budget': ['USD:1.00'] };
    const done = await runScript(peer, [READ, usd(0.6), READ, usd(0.4), READ], lease);
    expect(done.payload.result).toEqual(['ok', 'ok', 'ok', 'ok', 'BUDGET_EXHAUSTED']);
    const [err] = toolErrors(peer, done.job_id!);
    expect(err).toMatchObject({ code: 'BUDGET_EXHAUSTED', retryable: false });
    expect(budgetGauges(peer, done.job_id!)).toEqual([0.4, 0]);
  });

  it('ts-sdk #143: the cost metric that exhausts the budget does not fatal the job (the agent keeps control and can finish)', async () => {
    const peer = await setup();
    const done = await runScript(peer, [usd(5), READ], { 'fs.read': ['/data/**'], 'cost.budget': ['USD:1'] });
    expect(done.type).toBe('job.result');
    expect(done.payload.final_status).toBe('success');
    expect(done.payload.result).toEqual(['ok', 'BUDGET_EXHAUSTED']);
  });

  it('rust-sdk issue_58: the charge that overspends is not waved through — it is counted (remaining < 0) and nothing else is allowed', async () => {
    const peer = await setup();
    const done = await runScript(peer, [usd(0.5), usd(0.75), READ, { model: 'gpt-x' }], {
      'fs.read': ['/data/**'],
      'model.use': ['gpt-*'],
      'cost.budget': ['USD:1.00'],
    });
    expect(done.payload.result).toEqual(['ok', 'ok', 'BUDGET_EXHAUSTED', 'BUDGET_EXHAUSTED']);
    expect(budgetGauges(peer, done.job_id!)).toEqual([0.5, -0.25]);
  });

  it('go-sdk #149 / kotlin-sdk #92: malformed or negative budgets are INVALID_REQUEST at submit and no job starts', async () => {
    const peer = await setup();
    for (const bad of [['USD:-5.00'], ['USD'], ['USD:abc'], ['USD:1e3'], [':5'], ['USD:+5'], ['USD:.5'], ['USD: 5'], [5], 'USD:5']) {
      const reply = await peer.accepted(peer.submit('script', { steps: [] }, { lease_request: { 'cost.budget': bad } }));
      // Grammar errors are job.error rejections; schema-level ones (a number) fail decoding: session.error.
      expect(['job.error', 'session.error'], JSON.stringify(bad)).toContain(reply.type);
      expect(reply.payload.code, JSON.stringify(bad)).toBe('INVALID_REQUEST');
    }
    expect(peer.ofType('job.accepted')).toHaveLength(0);
  });

  it('§9.6 "negative values are rejected": a negative or non-finite cost metric is refused and decrements nothing', async () => {
    const peer = await setup();
    const done = await runScript(peer, [usd(-0.5), usd(0.25)], { 'cost.budget': ['USD:1'] });
    expect(done.payload.result).toEqual(['INVALID_REQUEST', 'ok']);
    expect(budgetGauges(peer, done.job_id!)).toEqual([0.75]);
  });

  it('issue 4 / java-sdk BudgetArithmeticPropertyTest: decimal arithmetic — 100 charges of 0.01 exhaust USD:1.00 exactly, 99 do not', async () => {
    const peer = await setup();
    const cents = (n: number): Step[] => Array.from({ length: n }, () => usd(0.01));
    const lease = { 'fs.read': ['/data/**'], 'cost.budget': ['USD:1.00'] };
    const ninetyNine = await runScript(peer, [...cents(99), READ], lease);
    expect(ninetyNine.payload.result.at(-1)).toBe('ok');
    const hundred = await runScript(peer, [...cents(100), READ], lease);
    expect(hundred.payload.result.at(-1)).toBe('BUDGET_EXHAUSTED');
    expect(budgetGauges(peer, hundred.job_id!).at(-1)).toBe(0);
  });

  it('issue 4: job.accepted.budget reports the counters as JSON numbers per currency (duplicates summed)', async () => {
    const peer = await setup();
    const accepted = await submitAccepted(peer, 'script', { steps: [] }, { lease_request: { 'cost.budget': ['USD:1.50', 'EUR:2', 'USD:0.5'] } });
    expect(accepted.payload.budget).toEqual({ USD: 2, EUR: 2 });
  });

  it('java-sdk CONFORMANCE.md defers "child budget <= parent remaining" (§9.4): a child asking more than the remainder is LEASE_SUBSET_VIOLATION', async () => {
    const peer = await setup();
    const lease = { 'agent.delegate': ['script'], 'cost.budget': ['USD:10'] };
    const child = (amount: string): Step => ({ delegate: { agent: 'script', input: { steps: [] }, lease_request: { 'cost.budget': [amount] } } });
    const done = await runScript(peer, [usd(8), child('USD:5'), child('USD:2')], lease);
    expect(done.payload.result).toEqual(['ok', 'LEASE_SUBSET_VIOLATION', 'ok']);
  });

  it('catalog §9 #43: a delegated budget is reserved, so one remainder cannot be handed to two children at once', async () => {
    const runtime = makeRuntime();
    scriptAgent(runtime);
    const peer = await connect(runtime);
    // Two concurrent children of one parent, each asking USD:6 out of USD:10.
    runtime.registerAgent('twins', async (_input, ctx) => {
      const ask = () => ctx.delegate({ agent: 'script', input: { steps: [] }, lease_request: { 'cost.budget': ['USD:6'] } });
      const outcomes = await Promise.allSettled([ask(), ask()]);
      return outcomes.map((o) => (o.status === 'fulfilled' ? o.value.finalStatus : (o.reason as { code: string }).code)).sort();
    });
    const accepted = await submitAccepted(peer, 'twins', {}, { lease_request: { 'agent.delegate': ['script'], 'cost.budget': ['USD:10'] } });
    const done: Msg = await peer.terminal(accepted.job_id!);
    expect(done.payload.result).toEqual(['LEASE_SUBSET_VIOLATION', 'success']);
  });
});
