// A TypeScript embedder under the strictest common settings (see tsconfig.*.json): events are a
// union discriminated by `kind` whose bodies are typed per kind, never `any`.
import { ARCPClient, ARCPError, ARCPRuntime, createMemoryTransportPair, type JobEvent, type ReservedJobEvent } from 'arcp-kit';
import { EVENT_KINDS, validateMessage, type EventBodies, type EventKind } from 'arcp-kit/generated';

function weight(ev: JobEvent): number {
  switch (ev.kind) {
    case 'progress':
      return ev.body.current + (ev.body.total ?? 0);
    case 'log': {
      const level: EventBodies['log']['level'] = ev.body.level;
      // @ts-expect-error a log body has no `current`: bodies are typed per kind, not `any`
      const wrong: number = ev.body.current;
      return level.length + wrong;
    }
    case 'metric':
      return ev.body.value;
    case 'tool_result':
      return ev.body.call_id.length;
    default: {
      if (ev.kind.startsWith('x-vendor.')) {
        const vendorBody: unknown = ev.body;
        return vendorBody === undefined ? 0 : 1;
      }
      return 0;
    }
  }
}

export function onlyProgress(events: readonly JobEvent[]): ReservedJobEvent<'progress'>[] {
  return events.filter((e): e is ReservedJobEvent<'progress'> => e.kind === 'progress');
}

export async function main(): Promise<number> {
  const kinds: EventKind[] = Object.keys(EVENT_KINDS) as EventKind[];
  const runtime = new ARCPRuntime({ tokens: { t: 'alice' } });
  runtime.registerAgent('count', async (_input, ctx) => {
    ctx.progress(1, { total: kinds.length });
    return { ok: true };
  });
  const [serverSide, clientSide] = createMemoryTransportPair();
  void runtime.accept(serverSide);
  const client = new ARCPClient({ client: { name: 'strict', version: '1.0.0' }, token: 't' });
  await client.connect(clientSide);
  const handle = await client.submit({ agent: 'count', input: {} });
  let total = 0;
  for await (const ev of handle.events()) total += weight(ev);
  try {
    await handle.done;
  } catch (err) {
    if (err instanceof ARCPError) total += err.retryable ? 1 : 0;
  }
  const checked = validateMessage('lenient', { type: 'session.ping' });
  await client.close();
  await runtime.close();
  return checked.ok ? total : -total;
}
