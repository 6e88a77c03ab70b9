// Interop of the authority layer with arcp-kit's own ARCPClient (listJobs, subscribe,
// unsubscribe, budgets, typed errors), over the memory transport.
import { afterEach, describe, expect, it } from 'vitest';
import { ARCPClient } from '../../client/client.js';
import type { JobEvent } from '../../client/types.js';
import { isARCPError } from '../../errors/index.js';
import { createMemoryTransportPair } from '../../transport/index.js';
import type { ARCPRuntime } from '../runtime.js';
import { authorityRuntime } from './support/authority-fixture.js';

let runtime: ARCPRuntime;
const clients: ARCPClient[] = [];
afterEach(async () => {
  await Promise.allSettled(clients.splice(0).map((c) => c.close()));
  await runtime?.close();
});

async function client(token: string): Promise<ARCPClient> {
  const [a, b] = createMemoryTransportPair();
  void runtime.accept(b);
  const c = new ARCPClient({ client: { name: 'authority-client-test', version: '1.0.0' }, token, heartbeat: false });
  clients.push(c);
  await c.connect(a);
  return c;
}

async function collect(events: AsyncIterable<JobEvent>): Promise<JobEvent[]> {
  const out: JobEvent[] = [];
  for await (const e of events) out.push(e);
  return out;
}

describe('ARCPClient against the authority layer', () => {
  it('lists, subscribes with history, and sees the same events and result as the submitter', async () => {
    runtime = authorityRuntime();
    const owner = await client('t');
    const watcher = await client('t2');
    const job = await owner.submit({ agent: 'conformance.chatty', input: { n: 3 } });
    await job.done;
    const listing = await watcher.listJobs();
    expect(listing.nextCursor).toBeNull();
    expect(listing.jobs.map((j) => j.jobId)).toEqual([job.jobId]);
    const sub = await watcher.subscribe(job.jobId, { history: true });
    expect(sub.replayed).toBe(true);
    const events = await collect(sub.handle.events());
    expect(events.filter((e) => e.kind === 'log').map((e) => e.body.message)).toEqual(['event 1', 'event 2', 'event 3']);
    expect((await sub.handle.done).result).toEqual({ count: 3 });
  });

  it('surfaces another principal\'s job as a typed JOB_NOT_FOUND (no existence oracle), and budgets on the handle', async () => {
    runtime = authorityRuntime();
    const owner = await client('t');
    const other = await client('u');
    const job = await owner.submit({
      agent: 'conformance.spender',
      input: { costs: [{ amount: 0.4, currency: 'USD' }], op: { capability: 'fs.read', target: '/a' } },
      leaseRequest: { 'fs.read': ['/a'], 'cost.budget': ['USD:1.00'] },
    });
    expect(job.budget).toEqual({ USD: 1 });
    const err = await other.subscribe(job.jobId).catch((e: unknown) => e);
    expect(isARCPError(err, 'JOB_NOT_FOUND')).toBe(true);
    expect((await other.listJobs()).jobs).toEqual([]);
    expect((await job.done).result).toEqual({ outcomes: [{ allowed: true }] });
  });
});
