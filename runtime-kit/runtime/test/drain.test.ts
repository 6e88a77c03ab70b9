// ctx.drain(): cooperative back-pressure for chatty agents (§6.5). The runtime side of a memory
// pair is wrapped so the test controls the transport's reported backlog (bufferedAmount).
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryTransportPair, ManualClock } from '../../index.js';
import type { Transport } from '../../transport/index.js';
import type { ARCPRuntime } from '../runtime.js';
import { gate, makeRuntime } from './support/runtime-fixture.js';
import { TestPeer } from './support/test-peer.js';

let runtime: ARCPRuntime;
afterEach(async () => runtime?.close());

/** A runtime-side transport whose backlog the test sets. */
function withBacklog(inner: Transport): Transport & { backlog: number } {
  return {
    kind: inner.kind,
    backlog: 0,
    get bufferedAmount() {
      return this.backlog;
    },
    get isOpen() {
      return inner.isOpen;
    },
    start: (h) => inner.start(h),
    send: (f) => inner.send(f),
    close: (r) => inner.close(r),
  };
}

async function connectWithBacklog(rt: ARCPRuntime): Promise<{ peer: TestPeer; server: ReturnType<typeof withBacklog> }> {
  const [client, inner] = createMemoryTransportPair();
  const server = withBacklog(inner);
  void rt.accept(server);
  const peer = new TestPeer(client);
  expect((await peer.hello()).type).toBe('session.welcome');
  return { peer, server };
}

describe('ctx.drain()', () => {
  it('waits while the transport backlog is above the low-water mark and resolves once it falls', async () => {
    const clock = new ManualClock();
    runtime = makeRuntime({ clock });
    const drained: string[] = [];
    const go = gate();
    runtime.registerAgent('chatty', async (_i, ctx) => {
      await go.promise;
      ctx.log('info', 'before');
      await ctx.drain(100);
      drained.push('first');
      ctx.log('info', 'after');
      return 'ok';
    });
    const { peer, server } = await connectWithBacklog(runtime);
    const jobId = (await peer.accepted(peer.submit('chatty'))).payload.job_id;
    server.backlog = 5_000;
    go.open();
    await peer.find((m) => m.payload?.body?.message === 'before');
    await clock.advanceAsync(50); // several polls: still above the mark
    expect(drained).toEqual([]);
    server.backlog = 100;
    await clock.advanceAsync(50);
    expect(drained).toEqual(['first']);
    expect((await peer.terminal(jobId)).type).toBe('job.result');
  });

  it('resolves at once when the transport reports no backlog, and when the job is cancelled', async () => {
    const clock = new ManualClock();
    runtime = makeRuntime({ clock });
    const results: string[] = [];
    runtime.registerAgent('plain', async (_i, ctx) => {
      await ctx.drain();
      results.push('plain drained');
      return 'ok';
    });
    runtime.registerAgent('stuck', async (_i, ctx) => {
      await ctx.drain(0);
      results.push(ctx.signal.aborted ? 'stuck released by cancel' : 'stuck drained');
      return 'ok';
    });
    // A memory transport reports no bufferedAmount: nothing to wait for.
    const plainPeer = TestPeer.connect(runtime);
    await plainPeer.hello();
    const plainJob = (await plainPeer.accepted(plainPeer.submit('plain'))).payload.job_id;
    expect((await plainPeer.terminal(plainJob)).type).toBe('job.result');
    expect(results).toEqual(['plain drained']);
    // A backlog that never drains: cancel releases the agent.
    const { peer, server } = await connectWithBacklog(runtime);
    server.backlog = 1;
    const jobId = (await peer.accepted(peer.submit('stuck'))).payload.job_id;
    await clock.advanceAsync(20);
    expect(results).toEqual(['plain drained']);
    peer.send('job.cancel', {}, { job_id: jobId });
    await peer.find((m) => m.type === 'job.cancelled');
    await clock.advanceAsync(10);
    expect(results).toEqual(['plain drained', 'stuck released by cancel']);
    expect((await peer.terminal(jobId)).payload.code).toBe('CANCELLED');
  });
});
