// Embedding both halves in one process: a runtime hosting one agent, and a client that submits a
// job over an in-memory transport pair. Swap the pair for `runtime.listen({ port: 7777 })` and
// `connectWebSocket('ws://127.0.0.1:7777/arcp')` to go over the network.
import { ARCPClient, ARCPRuntime, BudgetExhaustedError, createMemoryTransportPair } from '../runtime-kit/index.js';

export async function main(): Promise<{ result: unknown; kinds: string[] }> {
  const runtime = new ARCPRuntime({ tokens: { 'secret-token': 'alice' } });
  runtime.registerAgent('word-count', async (input, ctx) => {
    const words = String((input as { text: string }).text).split(/\s+/).filter(Boolean);
    ctx.progress(words.length, { total: words.length, units: 'words' });
    const allowed = ctx.authorize('tool.call', 'counter.words'); // §9.3: checked against the lease
    if (!allowed.allowed) throw allowed.error;
    return { words: words.length };
  }, { version: '1.0.0', default: true });

  const [serverSide, clientSide] = createMemoryTransportPair();
  void runtime.accept(serverSide);

  const client = new ARCPClient({ client: { name: 'embed-example', version: '1.0.0' }, token: 'secret-token' });
  await client.connect(clientSide);
  const handle = await client.submit({
    agent: 'word-count',
    input: { text: 'the quick brown fox' },
    leaseRequest: { 'tool.call': ['counter.*'] },
  });

  const kinds: string[] = [];
  for await (const event of handle.events()) kinds.push(event.kind);
  try {
    const { result } = await handle.done;
    return { result, kinds };
  } catch (err) {
    if (err instanceof BudgetExhaustedError) console.error('never retryable:', err.code);
    throw err;
  } finally {
    await client.close();
    await runtime.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(await main());
}
