// The runtime as a Fastify plugin: `app.register(arcpFastify, { runtime })` serves ARCP at /arcp
// next to the app's routes, and `app.close()` ends the ARCP connections before the server.
import Fastify from 'fastify';
import { arcpFastify } from '../runtime-kit/adapters/fastify.js';
import { ARCPClient, ARCPRuntime, connectWebSocket } from '../runtime-kit/index.js';

export async function main(): Promise<{ health: unknown; result: unknown }> {
  const runtime = new ARCPRuntime({ tokens: { 'secret-token': 'alice' } });
  runtime.registerAgent('greet', (input) => `hello, ${(input as { name: string }).name}`, { version: '1.0.0', default: true });

  const app = Fastify();
  app.get('/health', async () => ({ ok: true }));
  await app.register(arcpFastify, { runtime, path: '/arcp' });
  const address = await app.listen({ port: 0, host: '127.0.0.1' }); // http://127.0.0.1:<port>

  const client = new ARCPClient({ client: { name: 'fastify-example', version: '1.0.0' }, token: 'secret-token' });
  try {
    const health = await (await fetch(`${address}/health`)).json();
    await client.connect(await connectWebSocket(`${address.replace(/^http/, 'ws')}/arcp`));
    const handle = await client.submit({ agent: 'greet', input: { name: 'fastify' } });
    const { result } = await handle.done;
    return { health, result };
  } finally {
    await client.close();
    await app.close();
    await runtime.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(await main());
}
