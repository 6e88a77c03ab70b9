// Invariant: ARCPClient and arcp-kit's ARCPRuntime interoperate over every transport (memory,
// ws on 127.0.0.1, stdio child): submit/events/result, cancel, streamed results, versioned
// agents, typed errors, and resume after a transport drop with replay of events emitted away.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerConformanceAgents } from '../../agents/index.js';
import { ARCPRuntime } from '../../runtime/index.js';
import { createMemoryTransportPair } from '../../transport/memory.js';
import { connectWebSocket } from '../../transport/websocket-client.js';
import { spawnStdioTransport } from '../../transport/stdio.js';
import type { Transport } from '../../transport/types.js';
import { ARCPClient } from '../client.js';
import type { JobEvent } from '../types.js';

const ROOT = new URL('../../../', import.meta.url).pathname;

function newRuntime(): ARCPRuntime {
  return registerConformanceAgents(new ARCPRuntime({ tokens: { t: 'alice' }, heartbeatIntervalSec: 30 }));
}

function newClient(extra: Partial<ConstructorParameters<typeof ARCPClient>[0]> = {}): ARCPClient {
  // A spawned stdio runtime boots through tsx; on a loaded 2-core box that can exceed the
  // default 10 s handshake timeout, which is a property of the machine, not of the protocol.
  return new ARCPClient({ client: { name: 'e2e', version: '1.0.0' }, token: 't', handshakeTimeoutMs: 60_000, ...extra });
}

async function collect(events: AsyncIterable<JobEvent>): Promise<JobEvent[]> {
  const out: JobEvent[] = [];
  for await (const ev of events) out.push(ev);
  return out;
}

interface Setup {
  name: string;
  open(): Promise<Transport>;
  teardown(): Promise<void>;
}

const runtime = newRuntime();
let wsUrl = '';

const setups: Setup[] = [
  {
    name: 'memory',
    async open() {
      const [c, s] = createMemoryTransportPair();
      runtime.accept(s);
      return c;
    },
    async teardown() {},
  },
  {
    name: 'ws',
    open: () => connectWebSocket(wsUrl),
    async teardown() {},
  },
  {
    name: 'stdio',
    async open() {
      return spawnStdioTransport(process.execPath, [`${ROOT}bin/arcp.mjs`, 'serve', '--stdio', '--conformance-agents', '--token', 't=alice'], { cwd: ROOT, stderr: 'capture' });
    },
    async teardown() {},
  },
];

beforeAll(async () => {
  const server = await runtime.listen({ host: '127.0.0.1', port: 0 });
  wsUrl = server.url!;
});

afterAll(async () => {
  await runtime.close();
});

describe.each(setups)('client <-> runtime over $name', (setup) => {
  it('submit, ordered events, inline result', async () => {
    const client = newClient();
    const welcome = await client.connect(await setup.open());
    expect(welcome.agents.map((a) => a.name)).toContain('conformance.chatty');
    const handle = await client.submit({ agent: 'conformance.chatty', input: { n: 5, message: 'hi' } });
    const events = await collect(handle.events());
    expect(events.filter((e) => e.kind === 'log').map((e) => e.body.message)).toEqual(['hi 1', 'hi 2', 'hi 3', 'hi 4', 'hi 5']);
    const seqs = events.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(await handle.done).toMatchObject({ finalStatus: 'success', result: { count: 5 } });
    await client.close();
  });

  it('cancel: job.cancelled then CANCELLED', async () => {
    const client = newClient();
    await client.connect(await setup.open());
    const handle = await client.submit({ agent: 'conformance.slow', input: { steps: 1000, interval_ms: 20 } });
    const first = handle.events()[Symbol.asyncIterator]();
    await first.next(); // wait for the job to be running
    await handle.cancel('test');
    const err = await handle.done.catch((e) => e);
    expect(err).toMatchObject({ name: 'CancelledError', code: 'CANCELLED' });
    expect(handle.finalStatus).toBe('cancelled');
    await client.close();
  });

  it('streamed result assembly (utf8 and base64), versioned agents, typed failures', async () => {
    const client = newClient();
    await client.connect(await setup.open());
    const text = await client.submit({ agent: 'conformance.streamer', input: { chunks: 4, chunk_size: 1000, encoding: 'utf8' } });
    const r = await text.done;
    expect(typeof r.result).toBe('string');
    expect((r.result as string).length).toBe(4000);
    expect((r.result as string).slice(0, 28)).toBe('abcdefghijklmnopqrstuvwxyzab');
    const bin = await client.submit({ agent: 'conformance.streamer', input: { chunks: 3, chunk_size: 300, encoding: 'base64' } });
    const b = (await bin.done).result as Uint8Array;
    expect(b).toBeInstanceOf(Uint8Array);
    expect(b.length).toBe(900);
    expect(Array.from(b.slice(254, 258))).toEqual([254, 255, 0, 1]);

    const v1 = await client.submit({ agent: 'conformance.versioned@1.0.0' });
    expect(v1.agentRef).toBe('conformance.versioned@1.0.0');
    expect((await v1.done).result).toEqual({ version: '1.0.0' });
    const vd = await client.submit({ agent: 'conformance.versioned' });
    expect(vd.agentRef).toBe('conformance.versioned@2.0.0');

    await expect(client.submit({ agent: 'conformance.versioned@9.9.9' })).rejects.toMatchObject({ name: 'AgentVersionNotAvailableError' });
    await expect(client.submit({ agent: 'no.such.agent' })).rejects.toMatchObject({ name: 'AgentNotAvailableError' });
    const failing = await client.submit({ agent: 'conformance.failer', input: { code: 'BUDGET_EXHAUSTED', message: 'spent', retryable: true } });
    const err = await failing.done.catch((e) => e);
    expect(err).toMatchObject({ name: 'BudgetExhaustedError', code: 'BUDGET_EXHAUSTED', retryable: false });
    await client.close();
  });
});

describe('resume against the runtime', () => {
  it('manual resume on a new transport replays events emitted while away (memory)', async () => {
    const client = newClient();
    const first = await (async () => {
      const [c, s] = createMemoryTransportPair();
      runtime.accept(s);
      return c;
    })();
    await client.connect(first);
    const handle = await client.submit({ agent: 'conformance.slow', input: { steps: 6, interval_ms: 15 } });
    const it1 = handle.events()[Symbol.asyncIterator]();
    await it1.next();
    const sessionId = client.sessionId!;
    const resumeToken = client.resumeToken!;
    const last = client.latestEventSeq;
    await first.close();
    await handle.done.catch(() => undefined);

    await new Promise((r) => setTimeout(r, 60)); // the job keeps emitting while nobody listens
    const second = newClient();
    const [c2, s2] = createMemoryTransportPair();
    runtime.accept(s2);
    await second.resume(c2, { sessionId, resumeToken, lastEventSeq: last });
    const adopted = second.job(handle.jobId);
    const events = await collect(adopted.events());
    const progress = events.filter((e) => e.kind === 'progress').map((e) => e.body.current);
    expect(progress[progress.length - 1]).toBe(6);
    expect(events[0]!.seq).toBe(last + 1);
    expect((await adopted.done).result).toEqual({ steps: 6 });
    await second.close();
  });

  it('automatic resume over ws after the socket drops; the same handle continues', async () => {
    const client = newClient({ autoResume: { reconnect: () => connectWebSocket(wsUrl), backoffMs: 10 } });
    const transport = await connectWebSocket(wsUrl);
    await client.connect(transport);
    const resumed: unknown[] = [];
    client.on('resumed', (w) => resumed.push(w));
    const handle = await client.submit({ agent: 'conformance.slow', input: { steps: 8, interval_ms: 15 } });
    const seen: number[] = [];
    let dropped = false;
    for await (const ev of handle.events()) {
      if (ev.kind === 'progress') seen.push(ev.body.current);
      if (!dropped && seen.length === 2) {
        dropped = true;
        await transport.close('simulated drop');
      }
    }
    expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect((await handle.done).result).toEqual({ steps: 8 });
    expect(resumed.length).toBeGreaterThanOrEqual(1);
    await client.close();
  });

  it('a resumed session keeps cancel authority (§7.7); a stale token is RESUME_WINDOW_EXPIRED', async () => {
    const client = newClient();
    const [c1, s1] = createMemoryTransportPair();
    runtime.accept(s1);
    await client.connect(c1);
    const handle = await client.submit({ agent: 'conformance.slow', input: { steps: 1000, interval_ms: 20 } });
    await handle.events()[Symbol.asyncIterator]().next();
    const { sessionId, resumeToken } = client;
    const last = client.latestEventSeq;
    await c1.close();
    await handle.done.catch(() => undefined);

    const second = newClient();
    const [c2, s2] = createMemoryTransportPair();
    runtime.accept(s2);
    await second.resume(c2, { sessionId: sessionId!, resumeToken: resumeToken!, lastEventSeq: last });
    const adopted = second.job(handle.jobId);
    await adopted.cancel('from the resumed session');
    await expect(adopted.done).rejects.toMatchObject({ code: 'CANCELLED' });
    await second.close();

    const third = newClient();
    const [c3, s3] = createMemoryTransportPair();
    runtime.accept(s3);
    // the token rotated on the second welcome, so the first one is stale
    await expect(third.resume(c3, { sessionId: sessionId!, resumeToken: resumeToken!, lastEventSeq: last })).rejects.toMatchObject({ name: 'ResumeWindowExpiredError' });
  });
});

describe('heartbeat against the runtime', () => {
  it('an idle session outlives two heartbeat intervals: the client answers the runtime\'s pings', async () => {
    const rt = new ARCPRuntime({ tokens: { t: 'alice' }, heartbeatIntervalSec: 1 });
    registerConformanceAgents(rt);
    const [c, s] = createMemoryTransportPair();
    rt.accept(s);
    const client = newClient();
    const lost: unknown[] = [];
    client.on('heartbeatLost', (e) => lost.push(e));
    const welcome = await client.connect(c);
    expect(welcome.heartbeatIntervalSec).toBe(1);
    await new Promise((r) => setTimeout(r, 2500)); // over two intervals of silence from the app
    expect(lost).toEqual([]);
    const h = await client.submit({ agent: 'conformance.echo', input: { still: 'alive' } });
    expect((await h.done).result).toEqual({ still: 'alive' });
    await client.close();
    await rt.close();
  });
});
