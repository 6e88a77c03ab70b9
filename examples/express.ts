// The runtime inside an Express app: one port serves the app's routes and the ARCP WebSocket
// endpoint at /arcp (Express is an optional peer dependency of arcp-kit).
import express from 'express';
import { arcpRoute, listenExpress } from '../runtime-kit/adapters/express.js';
import { ARCPClient, ARCPRuntime, connectWebSocket } from '../runtime-kit/index.js';

export async function main(): Promise<{ health: unknown; result: unknown }> {
  const runtime = new ARCPRuntime({ tokens: { 'secret-token': 'alice' } });
  runtime.registerAgent('greet', (input) => `hello, ${(input as { name: string }).name}`, { version: '1.0.0', default: true });

  const app = express();
  app.get('/health', (_req, res) => void res.json({ ok: true }));
  app.get('/arcp', arcpRoute()); // a plain GET gets 426 Upgrade Required instead of a 404
  const binding = await listenExpress(app, runtime, { port: 0, path: '/arcp' });

  const client = new ARCPClient({ client: { name: 'express-example', version: '1.0.0' }, token: 'secret-token' });
  try {
    const health = await (await fetch(`${binding.httpUrl}/health`)).json();
    await client.connect(await connectWebSocket(binding.url));
    const handle = await client.submit({ agent: 'greet', input: { name: 'express' } });
    const { result } = await handle.done;
    return { health, result };
  } finally {
    await client.close();
    await binding.close(); // ARCP connections first, then the HTTP server
    await runtime.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(await main());
}
