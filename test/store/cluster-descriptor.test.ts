// job.subscribed answered by another node than the job's shows the job's current budget
// (§7.6 "the descriptor must be current"; the `7.6/subscribe/descriptor-is-current` cluster
// defect): the job's record follows its budget counters as its node spends, and the answering
// node reads it, for a running job (first subscriber and a later one on the same node) and for
// an ended one. Deterministic: the job spends, then waits on a gate the test opens.
import { describe, expect, it } from 'vitest';
import type { JobContext } from '../../runtime-kit/runtime/job-context.js';
import { registerConformanceAgents } from '../../runtime-kit/agents/conformance.js';
import { haveRedis } from './support/redis-server.js';
import { clusterNode } from './support/cluster-node.js';
import { sharedRedis } from './support/shared-redis.js';
import { WsPeer, type Msg } from './support/ws-peer.js';

const redis = sharedRedis('cluster descriptor');
const FEATURES = ['ack', 'list_jobs', 'subscribe', 'progress', 'cost.budget'];

const gates: (() => void)[] = [];
const gate = (): Promise<void> => new Promise((open) => gates.push(open));
/** Spends USD 0.25, waits, spends USD 0.25 again, waits, ends. */
const spendInSteps = async (_input: unknown, ctx: JobContext): Promise<string> => {
  await ctx.metric('cost.test', 0.25, { unit: 'USD' });
  await gate();
  await ctx.metric('cost.test', 0.25, { unit: 'USD' });
  await gate();
  return 'spent';
};

const node = async (i: number): Promise<string> =>
  (
    await clusterNode(redis, {
      name: `desc-${i}`,
      livenessTtlMs: 5000,
      agents: (runtime) => {
        registerConformanceAgents(runtime);
        runtime.registerAgent('test.spend-in-steps', spendInSteps);
      },
    })
  ).url;

const remaining = (m: Msg): boolean => m.type === 'job.event' && m.payload?.kind === 'metric' && m.payload.body?.name === 'cost.budget.remaining';

async function describedBudget(url: string, jobId: string): Promise<unknown> {
  const peer = await WsPeer.open(url);
  await peer.hello({ features: FEATURES });
  const req = peer.send('job.subscribe', { job_id: jobId, history: false });
  const reply = await peer.find((m) => m.payload?.request_id === req);
  await peer.close();
  expect(reply.type, JSON.stringify(reply.payload)).toBe('job.subscribed');
  return reply.payload.budget;
}

describe.skipIf(!haveRedis)('job.subscribed from another node shows the current budget', () => {
  it('running (first and later subscriber of that node) and ended', async () => {
    const [a, b, c] = [await node(0), await node(1), await node(2)];
    const owner = await WsPeer.open(a);
    await owner.hello({ features: FEATURES });
    const acc = await owner.accepted(owner.submit('test.spend-in-steps', {}, { lease_request: { 'cost.budget': ['USD:1.00'] } }));
    expect(acc.type, JSON.stringify(acc.payload)).toBe('job.accepted');
    const jobId = acc.payload.job_id as string;
    expect(acc.payload.budget).toEqual({ USD: 1 });

    // What the owner has seen of the costs is in the record the other nodes read.
    await owner.find((m) => m.job_id === jobId && remaining(m));
    expect(await describedBudget(b, jobId)).toEqual({ USD: 0.75 });
    gates.shift()!();
    await owner.find((m) => m.job_id === jobId && remaining(m) && m.payload.body.value === 0.5);
    expect(await describedBudget(b, jobId), 'a later subscriber on a node that already follows the job').toEqual({ USD: 0.5 });
    gates.shift()!();
    await owner.terminal(jobId);
    expect(await describedBudget(c, jobId), 'the ended job').toEqual({ USD: 0.5 });
    await owner.close();
  }, 60_000);
});
