// Issue 13: silent peers, connection floods and oversized/hostile frames before the handshake.
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { closeAll, RawWs } from './support/raw-ws.js';
import { startTarget, type Target } from './support/target.js';

let target: Target | undefined;
const peers: RawWs[] = [];
const sockets: Socket[] = [];
afterEach(async () => {
  await closeAll(peers);
  for (const s of sockets.splice(0)) s.destroy();
  await target?.close();
  target = undefined;
});

async function open(): Promise<RawWs> {
  const p = await RawWs.open(target!.url);
  peers.push(p);
  return p;
}

const within = <T>(p: Promise<T>, ms: number, what: string): Promise<T> =>
  Promise.race([p, new Promise<T>((_r, reject) => setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms))]);

describe('silent peers are closed', () => {
  it('a WebSocket that never says hello is closed with TIMEOUT (4408) after handshakeTimeoutMs', async () => {
    target = await startTarget({ limits: { handshakeTimeoutMs: 150 } });
    const p = await open();
    const { code } = await within(p.closed, 3000, 'handshake timeout');
    expect(code).toBe(4408);
    expect(p.received[0]?.payload).toMatchObject({ code: 'TIMEOUT', details: { limit: 'handshakeTimeoutMs' } });
  });

  it('a raw TCP socket that never upgrades is destroyed after the handshake timeout', async () => {
    target = await startTarget({ limits: { handshakeTimeoutMs: 150 } });
    const port = Number(new URL(target.url).port);
    const s = connect(port, '127.0.0.1');
    sockets.push(s);
    s.on('error', () => {});
    await within(new Promise((r) => s.once('close', r)), 3000, 'raw socket close');
  });

  it('a bound session with no inbound frames is closed after idleTimeoutMs (HEARTBEAT_LOST, 4408) and stays resumable', async () => {
    target = await startTarget({ limits: { idleTimeoutMs: 200 } });
    const p = await open();
    const w = await p.welcome('t-alice');
    const { code } = await within(p.closed, 3000, 'idle timeout');
    expect(code).toBe(4408);
    expect(p.received.find((f) => f.type === 'session.error')?.payload).toMatchObject({ code: 'HEARTBEAT_LOST', details: { limit: 'idleTimeoutMs' } });
    const back = await open();
    back.hello('t-alice', { resume: { session_id: w.payload.session_id, resume_token: w.payload.resume_token, last_event_seq: 0 } });
    expect((await back.find((f) => f.type === 'session.welcome' || f.type === 'session.error')).type).toBe('session.welcome');
  });

  it('heartbeats alone do not keep a session past idleTimeoutMs (§14 zero-throughput); a job event does', async () => {
    target = await startTarget({ limits: { idleTimeoutMs: 400 } });
    const idle = await open();
    const busy = await open();
    const wi = await idle.welcome('t-alice');
    const wb = await busy.welcome('t-alice');
    const sid = (w: typeof wi) => w.payload.session_id as string;
    const tick = setInterval(() => {
      if (idle.open) idle.send('session.ping', { nonce: `n${Date.now()}`, sent_at: new Date().toISOString() }, { session_id: sid(wi) });
      if (busy.open) busy.send('job.submit', { agent: 'conformance.echo', input: {} }, { session_id: sid(wb) });
    }, 100);
    try {
      const { code } = await within(idle.closed, 3000, 'zero-throughput close');
      expect(code).toBe(4408);
      expect(idle.received.some((f) => f.type === 'session.pong')).toBe(true);
      expect(idle.received.find((f) => f.type === 'session.error')?.payload).toMatchObject({ code: 'HEARTBEAT_LOST', details: { limit: 'idleTimeoutMs' } });
      expect(busy.open).toBe(true);
    } finally {
      clearInterval(tick);
    }
  });
});

describe('connection caps', () => {
  it('the connection over maxConnectionsPerSource gets a typed PERMISSION_DENIED (limit_exceeded) and close 4429; a slot frees on close', async () => {
    target = await startTarget({ limits: { maxConnectionsPerSource: 3 } });
    const first = [await open(), await open(), await open()];
    const extra = await open();
    expect((await within(extra.closed, 3000, 'cap close')).code).toBe(4429);
    expect(extra.received[0]?.payload).toMatchObject({ code: 'PERMISSION_DENIED', retryable: true, details: { reason: 'limit_exceeded', limit: 'maxConnectionsPerSource', max: 3 } });
    first[0]!.terminate();
    await first[0]!.closed;
    await new Promise((r) => setTimeout(r, 50));
    const again = await open();
    await again.welcome('t-alice');
  });

  it('the overall cap maxConnections holds as well', async () => {
    target = await startTarget({ limits: { maxConnections: 2 } });
    await open();
    await open();
    const extra = await open();
    expect((await within(extra.closed, 3000, 'cap close')).code).toBe(4429);
    expect(extra.received[0]?.payload.details).toMatchObject({ limit: 'maxConnections' });
  });
});

describe('before the handshake, only a small hello/resume is read', () => {
  it('a hello above maxPreHandshakeFrameBytes is refused without validation and the transport closed (4413)', async () => {
    target = await startTarget();
    const p = await open();
    const agents = Array.from({ length: 4000 }, (_, i) => ({ name: `a${i}` }));
    p.hello('t-alice', { capabilities: { encodings: ['json'], agents } });
    expect((await within(p.closed, 3000, 'cap close')).code).toBe(4413);
    expect(p.received[0]?.payload).toMatchObject({ code: 'INVALID_REQUEST', details: { limit: 'maxPreHandshakeFrameBytes' } });
  });

  it('a runtime-only type is refused by its type alone, whatever its body (no schema issues reported)', async () => {
    target = await startTarget();
    const p = await open();
    await p.welcome('t-alice');
    const id = p.send('session.welcome', { capabilities: { agents: Array.from({ length: 2000 }, () => 7) } });
    const err = await p.find((f) => f.type === 'session.error' && f.payload?.request_id === id);
    expect(err.payload.message).toMatch(/not accepted by this runtime from a client/);
    expect(err.payload.details?.issues).toBeUndefined();
  });

  it('a runtime-only type before the handshake, arrays in its body, no token: refused by its type alone, never validated', async () => {
    target = await startTarget();
    const p = await open();
    // Under the pre-handshake cap, so only the type gate stands between it and the validators.
    const id = p.send('session.jobs', { jobs: Array.from({ length: 2000 }, () => 7) });
    const err = await p.find((f) => f.type === 'session.error' && f.payload?.request_id === id);
    expect(err.payload.message).toMatch(/not accepted by this runtime from a client/);
    expect(err.payload.details?.issues).toBeUndefined();
    await p.welcome('t-alice'); // the connection is still usable
  });

  it('a non-handshake type before the handshake is refused by type, its body never validated', async () => {
    target = await startTarget();
    const p = await open();
    const id = p.send('job.submit', { agent: 42, input: Array.from({ length: 500 }, () => ({})) });
    const err = await p.find((f) => f.type === 'session.error' && f.payload?.request_id === id);
    expect(err.payload.message).toMatch(/before the handshake/);
    expect(err.payload.details?.issues).toBeUndefined();
    await p.welcome('t-alice'); // the connection is still usable
  });
});
