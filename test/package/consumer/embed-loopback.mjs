// A plain-JavaScript ESM embedder (no TypeScript anywhere): a runtime and a client in one
// process, first over an in-memory pair, then over a real WebSocket on a loopback port.
import { ARCPClient, ARCPRuntime, ARCPError, connectWebSocket, createMemoryTransportPair } from 'arcp-kit';

const runtime = new ARCPRuntime({ tokens: { 'consumer-token': 'alice' } });
runtime.registerAgent('upper', async (input, ctx) => {
  ctx.progress(1, { total: 1 });
  return { text: String(input.text).toUpperCase() };
});

async function once(transport) {
  const client = new ARCPClient({ client: { name: 'consumer', version: '1.0.0' }, token: 'consumer-token' });
  await client.connect(transport);
  const handle = await client.submit({ agent: 'upper', input: { text: 'hello' } });
  const kinds = [];
  for await (const event of handle.events()) kinds.push(event.kind);
  const { result } = await handle.done;
  let refused;
  try {
    await (await client.submit({ agent: 'no-such-agent' })).done;
  } catch (err) {
    refused = err instanceof ARCPError ? { code: err.code, retryable: err.retryable } : String(err);
  }
  await client.close();
  return { result, kinds, refused };
}

const [serverSide, clientSide] = createMemoryTransportPair();
void runtime.accept(serverSide);
const memory = await once(clientSide);

const server = await runtime.listen({ host: '127.0.0.1', port: 0 });
const url = server.url;
const websocket = await once(await connectWebSocket(url));
await runtime.close();
process.stdout.write(`${JSON.stringify({ memory, websocket, url })}\n`);
