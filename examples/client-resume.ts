// A client that survives a dropped connection: `autoResume` reconnects and resumes the session
// (§6.3), the runtime replays every event emitted while the client was away, and the same job
// handle simply continues. Here the drop is simulated by closing the socket mid-job.
import { ARCPClient, ARCPRuntime, connectWebSocket } from '../runtime-kit/index.js';

export async function main(): Promise<{ progress: number[]; result: unknown; resumes: number }> {
  const runtime = new ARCPRuntime({ tokens: { 'secret-token': 'alice' } });
  runtime.registerAgent('steps', async (input, ctx) => {
    const { steps } = input as { steps: number };
    for (let i = 1; i <= steps; i++) {
      await new Promise((r) => setTimeout(r, 10));
      ctx.progress(i, { total: steps });
    }
    return { steps };
  }, { version: '1.0.0', default: true });
  const server = await runtime.listen({ port: 0 }); // 127.0.0.1, a free port
  const url = server.url!;

  const client = new ARCPClient({
    client: { name: 'resume-example', version: '1.0.0' },
    token: 'secret-token',
    autoResume: { reconnect: () => connectWebSocket(url), backoffMs: 50 },
  });
  let resumes = 0;
  client.on('resumed', () => resumes++);
  const firstSocket = await connectWebSocket(url);
  await client.connect(firstSocket);

  try {
    const handle = await client.submit({ agent: 'steps', input: { steps: 6 } });
    const progress: number[] = [];
    for await (const event of handle.events()) {
      if (event.kind !== 'progress') continue;
      progress.push(event.body.current);
      if (progress.length === 2) await firstSocket.close('network blip'); // the client resumes by itself
    }
    const { result } = await handle.done;
    return { progress, result, resumes };
  } finally {
    await client.close();
    await runtime.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(await main());
}
