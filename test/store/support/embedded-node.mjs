// One cluster node embedded the way the conformance test embeds it (ARCPRuntime + a
// RedisRuntimeStore, compiled dist/), in its own process so a shutdown that never finishes is
// seen from outside instead of freezing the test worker. stdout: `listening URL`, then
// `runtime closed`, `store closed` and `timers run` after a `close` line on stdin; the last one
// proves the event loop still turns after both closes.
import { createInterface } from 'node:readline';
import { registerConformanceAgents } from '../../../dist/runtime-kit/agents/conformance.js';
import { ARCPRuntime } from '../../../dist/runtime-kit/runtime/index.js';
import { RedisRuntimeStore } from '../../../dist/runtime-kit/store/redis-store.js';

const [redisUrl, nodeId] = process.argv.slice(2);
const store = await RedisRuntimeStore.connect(redisUrl, { nodeId, livenessTtlMs: 1000 });
const runtime = new ARCPRuntime({ tokens: { t: 'alice', u: 'bob' }, store, logger: () => undefined });
registerConformanceAgents(runtime);
await runtime.ready();
const server = await runtime.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write(`listening ${server.url}\n`);
createInterface({ input: process.stdin }).on('line', async (line) => {
  if (line.trim() !== 'close') return;
  await runtime.close();
  process.stdout.write('runtime closed\n');
  await store.close();
  process.stdout.write('store closed\n');
  setTimeout(() => {
    process.stdout.write('timers run\n');
    process.exit(0);
  }, 20);
});
