// Invariant (issue 13, client side): a hostile runtime cannot make the client loop, hang or grow
// without bound. Each test runs our real client over a real WebSocket against a raw `ws` server
// that breaks the protocol on purpose (support/hostile-runtime.ts).
import { afterEach, describe, expect, it } from 'vitest';
import { connectWebSocket } from '../../transport/websocket-client.js';
import { ARCPClient } from '../client.js';
import { startHostileRuntime, type HostileRuntime } from './support/hostile-runtime.js';

let hostile: HostileRuntime | undefined;
let client: ARCPClient | undefined;
afterEach(async () => {
  await client?.close();
  await hostile?.close();
  client = hostile = undefined;
});

const ts = () => new Date().toISOString();

describe('hostile runtime', () => {
  it('a runtime that answers every resume with a fresh seq gap is given up on after `attempts` resumes (it reconnected for ever)', async () => {
    // Every connection: welcome, then, as soon as the (re-sent) submit arrives, an event whose
    // seq jumps far ahead. The resume itself "succeeds" each time, so nothing ever progresses.
    hostile = await startHostileRuntime((c) => {
      c.socket.on('message', (data) => {
        if ((JSON.parse(String(data)) as { type: string }).type !== 'job.submit') return;
        c.send('job.event', { kind: 'log', ts: ts(), body: { level: 'info', message: 'gap' } }, { job_id: 'job_01HOSTILE000000000000000000', event_seq: 1000 });
      });
    });
    const url = hostile.url;
    const attempts = 3;
    client = new ARCPClient({ client: { name: 't', version: '1' }, token: 'x', autoResume: { reconnect: () => connectWebSocket(url), attempts, backoffMs: 1 } });
    client.on('protocolError', () => undefined);
    await client.connect(await connectWebSocket(url));
    const outcome = client.submit({ agent: 'x', idempotencyKey: 'k' }).then(
      () => 'accepted',
      (err: { code?: string }) => err.code,
    );
    const storm = hostile.connectionsReach(attempts + 20).then(() => 'still reconnecting');
    expect(await Promise.race([outcome, storm])).toBe('ARCP_KIT_SEQ_GAP');
    expect(client.state).toBe('broken');
    expect(hostile.connections).toBeLessThanOrEqual(1 + attempts);
  });

  it('events for jobs the client never submitted keep at most maxAdoptedJobs handles; the oldest is failed with a typed error', async () => {
    const jobs = 1000;
    hostile = await startHostileRuntime((c) => {
      c.socket.on('message', (data) => {
        if ((JSON.parse(String(data)) as { type: string }).type !== 'job.submit') return;
        for (let i = 0; i < jobs; i++) {
          c.send('job.event', { kind: 'log', ts: ts(), body: { level: 'info', message: 'x' } }, { job_id: `job_flood_${i}`, event_seq: i + 1 });
        }
      });
    });
    client = new ARCPClient({ client: { name: 't', version: '1' }, token: 'x', maxAdoptedJobs: 100 });
    const c = client;
    await c.connect(await connectWebSocket(hostile.url));
    const first = c.job('job_flood_0');
    let seen = 0;
    const all = new Promise<void>((resolve) => c.on('event', () => ++seen === jobs && resolve()));
    c.submit({ agent: 'x' }).catch(() => undefined);
    await all;
    const held = (c as unknown as { core: { handles: Map<string, unknown> } }).core.handles.size;
    expect(held).toBeLessThanOrEqual(100);
    await expect(first.done).rejects.toMatchObject({ code: 'ARCP_KIT_ADOPTED_EVICTED' });
  });

  it('a runtime that keeps the session alive but never answers a request: the request fails after requestTimeoutMs (it waited for ever)', async () => {
    // Pongs every ping (support/hostile-runtime.ts) and ignores everything else.
    hostile = await startHostileRuntime(() => undefined);
    client = new ARCPClient({ client: { name: 't', version: '1' }, token: 'x', requestTimeoutMs: 50 });
    await client.connect(await connectWebSocket(hostile.url));
    const submit = client.submit({ agent: 'x' });
    const keyed = client.submit({ agent: 'x', idempotencyKey: 'k' });
    const list = client.listJobs();
    // retryable says whether repeating the call is safe: not for a submit that may have created a job.
    await expect(submit).rejects.toMatchObject({ code: 'ARCP_KIT_REQUEST_TIMEOUT', details: { kind: 'submit' }, retryable: false });
    await expect(keyed).rejects.toMatchObject({ code: 'ARCP_KIT_REQUEST_TIMEOUT', details: { kind: 'submit' }, retryable: true });
    await expect(list).rejects.toMatchObject({ code: 'ARCP_KIT_REQUEST_TIMEOUT', details: { kind: 'list' }, retryable: true });
    // Nothing is left waiting, and the session itself is still usable.
    expect((client as unknown as { core: { pending: { size: number } } }).core.pending.size).toBe(0);
    expect(client.state).toBe('open');
  });

  it('a requestTimeoutMs past Node\'s timer range (2^31 ms, about 25 days) does not time requests out at once (Node fired it after 1 ms)', async () => {
    hostile = await startHostileRuntime(() => undefined);
    client = new ARCPClient({ client: { name: 't', version: '1' }, token: 'x', requestTimeoutMs: 2 ** 31 });
    await client.connect(await connectWebSocket(hostile.url));
    let outcome = 'pending';
    client.listJobs().then(() => (outcome = 'answered'), (e: { code?: string }) => (outcome = String(e.code)));
    // A 1 ms timer armed before this 20 ms one fires (and its rejection settles) first.
    await new Promise((r) => setTimeout(r, 20));
    expect(outcome).toBe('pending');
  });

  it('a heartbeat interval far outside any sane range is clamped (1e300 s overflowed Node timers into a 1 ms spin; 0.001 s meant 1,000 pings a second)', async () => {
    const features = { encodings: ['json'], features: ['heartbeat'] };
    for (const [sent, used] of [[1e300, 86_400], [0.001, 1]] as const) {
      hostile = await startHostileRuntime(() => undefined, { heartbeat_interval_sec: sent, capabilities: features });
      client = new ARCPClient({ client: { name: 't', version: '1' }, token: 'x', closeTimeoutMs: 1 });
      const welcome = await client.connect(await connectWebSocket(hostile.url));
      expect(welcome.heartbeatIntervalSec).toBe(used);
      await client.close();
      await hostile.close();
    }
  });
});
