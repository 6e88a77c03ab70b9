// Issue 13: authentication under attack, over real loopback WebSockets with raw clients.
import { afterEach, describe, expect, it } from 'vitest';
import { closeAll, RawWs, type Frame } from './support/raw-ws.js';
import { startTarget, type Target } from './support/target.js';

let target: Target | undefined;
const peers: RawWs[] = [];
afterEach(async () => {
  await closeAll(peers);
  await target?.close();
  target = undefined;
});

async function open(headers: Record<string, string> = {}): Promise<RawWs> {
  const p = await RawWs.open(target!.url, headers);
  peers.push(p);
  return p;
}

/** An alice session that was dropped (detached, resumable): its id and resume token. */
async function droppedAliceSession(): Promise<{ sessionId: string; token: string }> {
  const a = await open();
  const w = await a.welcome('t-alice');
  a.terminate();
  await a.closed;
  return { sessionId: w.payload.session_id as string, token: w.payload.resume_token as string };
}

const errorOf = (f: Frame): { code: string; message: string; retryable: boolean } => ({
  code: f.payload.code,
  message: f.payload.message,
  retryable: f.payload.retryable,
});

describe('a connection\'s principal never changes', () => {
  it('bob cannot switch his connection to alice\'s session with session.resume and her stolen token (no auth): refused exactly like an unknown session, then closed', async () => {
    target = await startTarget();
    const alice = await droppedAliceSession();
    const bob = await open();
    await bob.welcome('t-bob');
    const req = bob.send('session.resume', { session_id: alice.sessionId, resume_token: alice.token, last_event_seq: 0 }, { session_id: alice.sessionId });
    // A welcome into alice's session (the switch, before the fix) ends the wait as well.
    const reply = await bob.find((f) => f.payload?.request_id === req || (f.type === 'session.welcome' && f.session_id === alice.sessionId));
    expect(reply.type).toBe('session.error');
    expect(bob.received.some((f) => f.type === 'session.welcome' && f.session_id === alice.sessionId)).toBe(false);
    expect((await bob.closed).code).toBe(4401);

    const other = await open();
    await other.welcome('t-bob');
    const req2 = other.send('session.resume', { session_id: 'sess_unknown', resume_token: 'rt_x', last_event_seq: 0 }, { session_id: 'sess_unknown' });
    const unknown = await other.find((f) => f.payload?.request_id === req2);
    expect(errorOf(reply)).toEqual(errorOf(unknown));
    expect((await other.closed).code).toBe(4401);
    // alice's session was not touched: she can still resume it with her token.
    const back = await open();
    back.hello('t-alice', { resume: { session_id: alice.sessionId, resume_token: alice.token, last_event_seq: 0 } });
    expect((await back.find((f) => f.type === 'session.welcome' || f.type === 'session.error')).type).toBe('session.welcome');
  });

  it('a fresh connection resuming with bob\'s bearer token and alice\'s resume token is refused like an unknown session', async () => {
    target = await startTarget();
    const alice = await droppedAliceSession();
    const p = await open();
    const req = p.send('session.resume', { session_id: alice.sessionId, resume_token: alice.token, last_event_seq: 0, auth: { scheme: 'bearer', token: 't-bob' } });
    const reply = await p.find((f) => f.payload?.request_id === req);
    expect(reply.payload.code).toBe('RESUME_WINDOW_EXPIRED');
    expect((await p.closed).code).toBe(4401);
  });
});

describe('no bearer-token oracle through session.resume', () => {
  it('on an established session, resume+auth answers a wrong token and a valid token of another principal identically, and closes both times', async () => {
    target = await startTarget();
    const alice = await droppedAliceSession();
    const guesses: Array<{ bob: RawWs; reply: Frame }> = [];
    for (const token of ['t-wrong-guess', 't-alice']) {
      const bob = await open();
      await bob.welcome('t-bob');
      const req = bob.send('session.resume', { session_id: alice.sessionId, resume_token: 'rt_guess', last_event_seq: 0, auth: { scheme: 'bearer', token } }, { session_id: alice.sessionId });
      guesses.push({ bob, reply: await bob.find((f) => f.payload?.request_id === req) });
    }
    // The oracle itself first (before: UNAUTHENTICATED for the wrong token, RESUME_WINDOW_EXPIRED
    // for alice's valid one), then that neither guess leaves the socket open.
    expect(errorOf(guesses[0]!.reply)).toEqual(errorOf(guesses[1]!.reply));
    expect(guesses[0]!.reply.payload.code).toBe('RESUME_WINDOW_EXPIRED');
    const closes = await Promise.all(guesses.map(async (g) => (await g.bob.closed).code));
    expect(closes).toEqual([4401, 4401]);
  });
});

describe('failed authentication is rate limited per source address', () => {
  it('after the burst of failed hellos, even a valid token is refused (rate_limited, close 4429) until the bucket refills', async () => {
    target = await startTarget({ limits: { authFailureBurstPerSource: 5, authFailureRefillPerSec: 0.01 } });
    const codes: number[] = [];
    for (let i = 0; i < 5; i++) {
      const p = await open();
      p.hello(`guess-${i}`);
      expect((await p.find((f) => f.type === 'session.error')).payload.code).toBe('UNAUTHENTICATED');
      codes.push((await p.closed).code);
    }
    const p = await open();
    p.hello('t-alice');
    const reply = await p.find((f) => f.type === 'session.error' || f.type === 'session.welcome');
    // The limit first (before: the sixth hello was welcomed, failed hellos were never counted),
    // then the close codes of the failures and of the refusal.
    expect(reply.type).toBe('session.error');
    expect(reply.payload).toMatchObject({ code: 'UNAUTHENTICATED', details: { reason: 'rate_limited' } });
    expect(codes).toEqual([4401, 4401, 4401, 4401, 4401]);
    expect((await p.closed).code).toBe(4429);
  });

  it('failed resumes count too: a resume brute force from one source is cut off after the burst', async () => {
    target = await startTarget({ limits: { authFailureBurstPerSource: 3, authFailureRefillPerSec: 0.01 } });
    const seen: string[] = [];
    for (let i = 0; i < 5; i++) {
      const p = await open();
      const req = p.send('session.resume', { session_id: 'sess_x', resume_token: `rt_${i}`, last_event_seq: 0 });
      const reply = await p.find((f) => f.payload?.request_id === req);
      seen.push(reply.payload.details?.reason === 'rate_limited' ? 'limited' : reply.payload.code);
      await p.closed;
    }
    expect(seen).toEqual(['RESUME_WINDOW_EXPIRED', 'RESUME_WINDOW_EXPIRED', 'RESUME_WINDOW_EXPIRED', 'limited', 'limited']);
  });

  it('one connection cannot loop hello/resume attempts: the per-connection attempt cap closes it', async () => {
    target = await startTarget({ limits: { maxAuthAttemptsPerConnection: 2 } });
    const alice = await open();
    const w = await alice.welcome('t-alice');
    const sid = w.payload.session_id as string;
    // Successful self-resumes on the same connection are attempts too.
    let token = w.payload.resume_token as string;
    const r1 = alice.send('session.resume', { session_id: sid, resume_token: token, last_event_seq: 0 }, { session_id: sid });
    const ok = await alice.find((f) => f.type === 'session.welcome' && f !== w && f.payload?.resume_token !== token);
    token = ok.payload.resume_token;
    const r2 = alice.send('session.resume', { session_id: sid, resume_token: token, last_event_seq: 0 }, { session_id: sid });
    const limited = await alice.find((f) => f.payload?.request_id === r2);
    expect(r1).not.toBe(r2);
    expect(limited.payload).toMatchObject({ code: 'UNAUTHENTICATED', details: { limit: 'maxAuthAttemptsPerConnection' } });
    expect((await alice.closed).code).toBe(4429);
  });
});

describe('behind a reverse proxy: trustProxy names the client the failed-auth bucket is kept for', () => {
  const limits = { authFailureBurstPerSource: 3, authFailureRefillPerSec: 0.01 };
  const viaProxy = (client: string) => ({ 'X-Forwarded-For': client });

  /** Three failed hellos from `headers`' connection source: its bucket is then empty. */
  async function emptyBucket(headers: Record<string, string>): Promise<void> {
    for (let i = 0; i < limits.authFailureBurstPerSource; i++) {
      const p = await open(headers);
      p.hello(`guess-${i}`);
      expect((await p.find((f) => f.type === 'session.error')).payload.code).toBe('UNAUTHENTICATED');
      expect((await p.closed).code).toBe(4401);
    }
  }

  /** A hello with a valid token from `headers`: 'welcome', or 'rate_limited' (closed 4429). */
  async function validHello(headers: Record<string, string>): Promise<string> {
    const p = await open(headers);
    p.hello('t-alice');
    const reply = await p.find((f) => f.type === 'session.error' || f.type === 'session.welcome');
    if (reply.type === 'session.welcome') return 'welcome';
    expect((await p.closed).code).toBe(4429);
    return reply.payload.details?.reason;
  }

  it('with the proxy (127.0.0.1) trusted, two clients behind it get separate buckets; a client-written X-Forwarded-For prefix does not move the attacker', async () => {
    target = await startTarget({ limits }, 0, { trustProxy: ['127.0.0.1'] });
    await emptyBucket(viaProxy('203.0.113.7'));
    expect(await validHello(viaProxy('203.0.113.7'))).toBe('rate_limited');
    expect(await validHello(viaProxy('198.51.100.2'))).toBe('welcome');
    // The attacker writes the victim's address first; the proxy appends the attacker's real one.
    expect(await validHello(viaProxy('198.51.100.2, 203.0.113.7'))).toBe('rate_limited');
  });

  it('a hop count works the same way (trustProxy: 1)', async () => {
    target = await startTarget({ limits }, 0, { trustProxy: 1 });
    await emptyBucket(viaProxy('203.0.113.7'));
    expect(await validHello(viaProxy('203.0.113.7'))).toBe('rate_limited');
    expect(await validHello(viaProxy('198.51.100.2'))).toBe('welcome');
  });

  it('an IPv6 client that takes a new address of its /64 per guess stays in one bucket; another /64 has its own', async () => {
    // Keyed by the whole address, every guess from 2001:db8:1:2::<n> had a full bucket of its own.
    target = await startTarget({ limits }, 0, { trustProxy: ['127.0.0.1'] });
    for (let i = 0; i < limits.authFailureBurstPerSource; i++) {
      const p = await open(viaProxy(`2001:db8:1:2::${(i + 1).toString(16)}`));
      p.hello(`guess-${i}`);
      expect((await p.find((f) => f.type === 'session.error')).payload.code).toBe('UNAUTHENTICATED');
      expect((await p.closed).code).toBe(4401);
    }
    expect(await validHello(viaProxy('2001:db8:1:2:aaaa:bbbb:cccc:dddd'))).toBe('rate_limited');
    expect(await validHello(viaProxy('2001:0db8:0001:0002::ffff'))).toBe('rate_limited'); // the same /64, spelled out
    expect(await validHello(viaProxy('2001:db8:1:3::1'))).toBe('welcome');
    expect(await validHello(viaProxy('198.51.100.2'))).toBe('welcome');
  });

  it.each([
    ['no trustProxy', {}],
    ['a trustProxy list without the direct peer', { trustProxy: ['10.0.0.1'] }],
  ])('%s: X-Forwarded-For is ignored, so a spoofed header does not let the attacker escape its bucket', async (_name, listen) => {
    target = await startTarget({ limits }, 0, listen);
    await emptyBucket(viaProxy('203.0.113.7'));
    expect(await validHello(viaProxy('198.51.100.2'))).toBe('rate_limited');
    expect(await validHello({})).toBe('rate_limited');
  });
});
