// The runtime on your own Node http server (https works the same): `attachRuntime` takes the
// WebSocket upgrades at /arcp and leaves every other request to your handler.
import { createServer } from 'node:http';
import { attachRuntime } from '../runtime-kit/adapters/node.js';
import { ARCPClient, ARCPRuntime, connectWebSocket } from '../runtime-kit/index.js';

export async function main(): Promise<{ status: number; result: unknown }> {
  const runtime = new ARCPRuntime({ tokens: { 'secret-token': 'alice' } });
  runtime.registerAgent('greet', (input) => `hello, ${(input as { name: string }).name}`, { version: '1.0.0', default: true });

  const server = createServer((_req, res) => void res.writeHead(200, { 'content-type': 'text/plain' }).end('my app\n'));
  const arcp = attachRuntime(runtime, server, { path: '/arcp' });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };

  const client = new ARCPClient({ client: { name: 'node-example', version: '1.0.0' }, token: 'secret-token' });
  try {
    const { status } = await fetch(`http://127.0.0.1:${port}/`);
    await client.connect(await connectWebSocket(`ws://127.0.0.1:${port}/arcp`));
    const { result } = await (await client.submit({ agent: 'greet', input: { name: 'node' } })).done;
    return { status, result };
  } finally {
    await client.close();
    await arcp.close(); // upgraded sockets would otherwise keep server.close() waiting
    await new Promise((resolve) => server.close(resolve));
    await runtime.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(await main());
}
