// The runtime under attack: a real ARCPRuntime on a loopback WebSocket port, with the
// conformance agents and a few attack agents, two principals (alice: t-alice, bob: t-bob).
import { registerConformanceAgents } from '../../../runtime-kit/agents/conformance.js';
import { ARCPRuntime, type RuntimeOptions } from '../../../runtime-kit/runtime/index.js';
import type { ListenOptions, WebSocketServerTransport } from '../../../runtime-kit/transport/index.js';

export const TOKENS = { 't-alice': 'alice', 't-bob': 'bob' };

export interface Target {
  runtime: ARCPRuntime;
  server: WebSocketServerTransport;
  url: string;
  logs: Array<{ level: string; message: string; data?: Record<string, unknown> }>;
  close(): Promise<void>;
}

/** `listen` adds WebSocket server options (trustProxy, allowedHosts ...) to the loopback bind (`host`). */
export async function startTarget(opts: RuntimeOptions = {}, port = 0, listen: Omit<ListenOptions, 'host' | 'port'> = {}, host = '127.0.0.1'): Promise<Target> {
  const logs: Target['logs'] = [];
  const runtime = new ARCPRuntime({
    tokens: TOKENS,
    logger: (level, message, data) => logs.push({ level, message, ...(data ? { data } : {}) }),
    ...opts,
  });
  registerConformanceAgents(runtime);
  // Emits `count` log events of `size` characters, yielding a macrotask (or `pause_ms`) every `batch`.
  runtime.registerAgent('attack.flood', async (input, ctx) => {
    const { count = 1000, size = 100, batch = 500, pause_ms = 0 } = (input ?? {}) as { count?: number; size?: number; batch?: number; pause_ms?: number };
    const text = 'x'.repeat(size);
    for (let i = 0; i < count; i++) {
      ctx.log('info', text, { i });
      if ((i + 1) % batch === 0) await new Promise((r) => (pause_ms > 0 ? setTimeout(r, pause_ms) : setImmediate(r)));
      if (ctx.signal.aborted) return { stopped: i };
    }
    return { emitted: count };
  });
  // Streams `count` events as fast as it can, awaiting each emit (the fairness contract).
  runtime.registerAgent('attack.await-stream', async (input, ctx) => {
    const { count } = input as { count: number };
    for (let i = 0; i < count; i++) await ctx.log('info', 'streaming', { i });
    return count;
  });
  const server = await runtime.listen({ ...listen, host, port });
  return {
    runtime,
    server,
    url: server.url!,
    logs,
    close: () => runtime.close(),
  };
}
