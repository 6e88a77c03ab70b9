// One in-process cluster node for the cluster tests: an ARCPRuntime on a RedisRuntimeStore of
// the file's shared redis-server, listening on loopback, closed with the file's teardowns.
import { ARCPRuntime } from '../../../runtime-kit/runtime/index.js';
import { RedisRuntimeStore } from '../../../runtime-kit/store/redis-store.js';

export interface ClusterNode {
  url: string;
  runtime: ARCPRuntime;
  store: RedisRuntimeStore;
  /** Closes the runtime, then the store (once; also run by the teardown). */
  close(): Promise<void>;
}

export async function clusterNode(
  redis: { readonly url: string; readonly stops: (() => Promise<void>)[] },
  opts: { name: string; livenessTtlMs: number; agents?: (runtime: ARCPRuntime) => void },
): Promise<ClusterNode> {
  const store = await RedisRuntimeStore.connect(redis.url, { nodeId: `${opts.name}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`, livenessTtlMs: opts.livenessTtlMs });
  const runtime = new ARCPRuntime({ tokens: { t: 'alice' }, store, logger: () => undefined });
  opts.agents?.(runtime);
  await runtime.ready();
  const server = await runtime.listen({ host: '127.0.0.1', port: 0 });
  let open = true;
  const close = async (): Promise<void> => {
    if (!open) return;
    open = false;
    await runtime.close();
    await store.close();
  };
  redis.stops.push(close);
  return { url: server.url!, runtime, store, close };
}
