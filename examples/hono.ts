// The runtime next to a Hono app on Node: `serveHono()` starts the app with @hono/node-server and
// takes the WebSocket upgrades at /arcp (Hono's fetch handler never sees them).
import { Hono } from 'hono';
import { arcpRoute, serveHono } from '../runtime-kit/adapters/hono.js';
import { ARCPClient, ARCPRuntime, connectWebSocket } from '../runtime-kit/index.js';

export async function main(): Promise<{ health: unknown; result: unknown }> {
  const runtime = new ARCPRuntime({ tokens: { 'secret-token': 'alice' } });
  runtime.registerAgent('greet', (input) => `hello, ${(input as { name: string }).name}`, { version: '1.0.0', default: true });

  const app = new Hono();
  app.get('/health', (c) => c.json({ ok: true }));
  app.get('/arcp', arcpRoute());
  const binding = await serveHono(app, runtime, { port: 0, path: '/arcp' });

  const client = new ARCPClient({ client: { name: 'hono-example', version: '1.0.0' }, token: 'secret-token' });
  try {
    const health = await (await fetch(`${binding.httpUrl}/health`)).json();
    await client.connect(await connectWebSocket(binding.url));
    const handle = await client.submit({ agent: 'greet', input: { name: 'hono' } });
    const { result } = await handle.done;
    return { health, result };
  } finally {
    await client.close();
    await binding.close();
    await runtime.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(await main());
}
