// One cluster node in its own process (compiled dist/), so a test can stop it for real
// (SIGSTOP) past its liveness TTL and wake it (SIGCONT). stdout: `listening URL`, then every
// warn/error the runtime logs, one JSON line each (`log {...}`).
import { registerConformanceAgents } from '../../../dist/runtime-kit/agents/conformance.js';
import { ARCPRuntime } from '../../../dist/runtime-kit/runtime/index.js';
import { RedisRuntimeStore } from '../../../dist/runtime-kit/store/redis-store.js';

const [redisUrl, nodeId, ttl] = process.argv.slice(2);
const store = await RedisRuntimeStore.connect(redisUrl, { nodeId, livenessTtlMs: Number(ttl) });
const logger = (level, message, fields) => {
  if (level === 'warn' || level === 'error') process.stdout.write(`log ${JSON.stringify({ level, message, ...fields })}\n`);
};
const runtime = new ARCPRuntime({ tokens: { t: 'alice' }, store, logger });
registerConformanceAgents(runtime);
await runtime.ready();
const server = await runtime.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write(`listening ${server.url}\n`);
