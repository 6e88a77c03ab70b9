// Idempotency keys in the durable stores (issue 13 memory budgets, issue 12 stores): a key that
// leaves the runtime's table (evicted by maxIdempotencyKeysPerPrincipal, or expired) leaves the
// store too, and a stored key holds a digest of the submit, not its input. Before: the store
// kept every key with its whole submit payload (a 1 MiB input per key) and the in-memory sweep
// never deleted an expired key from it, so the memory and SQLite stores grew without bound.
import { describe, expect, it } from 'vitest';
import { ARCPRuntime } from '../../runtime-kit/runtime/index.js';
import type { RuntimeStore } from '../../runtime-kit/store/runtime-store.js';
import { TestPeer } from '../../runtime-kit/runtime/test/support/test-peer.js';
import { storeEngines } from './support/store-engines.js';

const { engines, cleanup } = storeEngines('the redis case of idempotency-budget');

async function keyedRuntime(store: RuntimeStore, maxKeys = 10): Promise<ARCPRuntime> {
  const rt = new ARCPRuntime({ tokens: { t: 'alice' }, store, logger: () => undefined, limits: { maxIdempotencyKeysPerPrincipal: maxKeys } });
  rt.registerAgent('echo', (input) => input);
  cleanup(() => rt.close());
  await rt.ready();
  return rt;
}

async function submitKeys(rt: ARCPRuntime, n: number): Promise<TestPeer> {
  const peer = TestPeer.connect(rt);
  expect((await peer.hello()).type).toBe('session.welcome');
  for (let i = 0; i < n; i++) {
    const reply = await peer.accepted(peer.submit('echo', { i }, { idempotency_key: `k${i}` }));
    expect(reply.type).toBe('job.accepted');
    await peer.terminal(reply.payload.job_id);
  }
  return peer;
}

describe.each(engines)('idempotency keys in the $name store', (engine) => {
  it('hold no more keys than the budget, no submit input, and lose expired keys with the table', async () => {
    const store = await engine.open();
    const rt = await keyedRuntime(store);
    const peer = TestPeer.connect(rt);
    expect((await peer.hello()).type).toBe('session.welcome');
    const big = 'i'.repeat(50_000);
    for (let i = 0; i < 30; i++) {
      const reply = await peer.accepted(peer.submit('echo', { i, big }, { idempotency_key: `k${i}` }));
      expect(reply.type).toBe('job.accepted');
      await peer.terminal(reply.payload.job_id);
    }
    await store.flush();
    const kept = await store.loadIdempotencyKeys();
    expect(kept.map((k) => k.key).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `k${20 + i}`).sort());
    expect(JSON.stringify(kept).length).toBeLessThan(10 * 1000);
    expect(await store.loadIdempotencyKey('alice', 'k0')).toBeUndefined();

    // Past the TTL the periodic sweep forgets every key, in the store as well.
    rt.idempotency.sweep(Date.now() + 25 * 60 * 60 * 1000);
    await store.flush();
    expect(rt.idempotency.size).toBe(0);
    expect(await store.loadIdempotencyKeys()).toEqual([]);
  });
});

// Restart with a smaller budget: the restored keys are trimmed, in the store as well (not Redis:
// a cluster node joins the others instead of restoring, store-binding.ts).
describe.each(engines.filter((e) => e.name !== 'redis'))('a restart on the $name store with a smaller key budget', (engine) => {
  it('restores at most the new budget and deletes the rest from the store', async () => {
    const first = await engine.open();
    const rt1 = await keyedRuntime(first, 10);
    await submitKeys(rt1, 10);
    await first.flush();
    await rt1.close();
    const second = await engine.reopen(first, { close: true });
    const rt2 = await keyedRuntime(second, 4);
    expect(rt2.idempotency.size).toBe(4);
    await second.flush();
    expect(await second.loadIdempotencyKeys()).toHaveLength(4);
  });
});
