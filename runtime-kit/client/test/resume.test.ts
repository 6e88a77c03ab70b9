// Invariant: a broken session (seq gap, transport drop, heartbeat loss) is resumed with
// session.hello.payload.resume from the last contiguous seq and the handle continues seamlessly;
// without a reconnect factory the break surfaces as a typed error instead of a hang.
import { describe, expect, it } from 'vitest';
import { validateMessage } from '../../../generated/validators.js';
import { ManualClock } from '../../protocol/manual-clock.js';
import { ARCPClient } from '../client.js';
import { FakePeer, settle } from './support/fake-peer.js';

const JOB = 'job_R';

function reconnecting() {
  const peers: FakePeer[] = [];
  const factory = async () => {
    const p = new FakePeer();
    peers.push(p);
    return p.clientSide;
  };
  return { peers, factory };
}

async function openWithJob(opts: Partial<ConstructorParameters<typeof ARCPClient>[0]> = {}) {
  const peer = new FakePeer();
  const client = new ARCPClient({ client: { name: 'test', version: '1.0.0' }, token: 'tok', ...opts });
  const p = client.connect(peer.clientSide);
  await peer.welcome();
  await p;
  const s = client.submit({ agent: 'chatty' });
  await peer.accept(JOB);
  return { peer, client, handle: await s };
}

// Polls for up to 2 s of real time: the client's reconnects wait on real backoff timers (1 ms,
// then 2 ms ...), which a fixed count of setImmediate rounds can outrun on a busy machine.
async function waitFor(cond: () => boolean): Promise<void> {
  const deadline = Date.now() + 2000;
  while (!cond() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 1));
  expect(cond()).toBe(true);
}

describe('gap detection', () => {
  it('a seq gap triggers resume from the last contiguous seq; the replay fills the hole', async () => {
    const { peers, factory } = reconnecting();
    const { peer, client, handle } = await openWithJob({ autoResume: { reconnect: factory, backoffMs: 1 } });
    const gaps: unknown[] = [];
    client.on('gap', (g) => gaps.push(g));
    peer.event(JOB, 'log', { level: 'info', message: 'e1' });
    peer.event(JOB, 'log', { level: 'info', message: 'e3' }, { event_seq: 3 });
    await waitFor(() => peers.length === 1);
    const peer2 = peers[0]!;
    const hello = await peer2.next('session.hello');
    expect(validateMessage('strict', hello).ok).toBe(true);
    expect(hello.payload.resume).toEqual({ session_id: peer.sessionId, resume_token: `rt_${'ab'.repeat(32)}`, last_event_seq: 1 });
    peer2.send('session.welcome', { runtime: { name: 'fake', version: '1' }, resume_token: 'rt_next', resume_window_sec: 60, capabilities: { features: ['ack'] } });
    peer2.seq = 1;
    peer2.event(JOB, 'log', { level: 'info', message: 'e2' });
    peer2.event(JOB, 'log', { level: 'info', message: 'e3' });
    peer2.sendSeq('job.result', JOB, { final_status: 'success', result: 'ok' });
    const messages: string[] = [];
    for await (const ev of handle.events()) messages.push(`${ev.seq}:${ev.kind === 'log' ? ev.body.message : ev.kind}`);
    expect(messages).toEqual(['1:e1', '2:e2', '3:e3']);
    expect((await handle.done).result).toBe('ok');
    expect(gaps).toEqual([{ expected: 2, got: 3 }]);
    expect(client.resumeToken).toBe('rt_next');
    expect(peer.closed).toBe(true);
    await client.close();
  });

  it('a gap in the replay that arrives with the resumed welcome resumes again (it used to stall)', async () => {
    const { peers, factory } = reconnecting();
    const { peer, client, handle } = await openWithJob({ autoResume: { reconnect: factory, backoffMs: 1 } });
    peer.event(JOB, 'log', { level: 'info', message: 'e1' });
    peer.event(JOB, 'log', { level: 'info', message: 'e3' }, { event_seq: 3 });
    await waitFor(() => peers.length === 1);
    const peer2 = peers[0]!;
    await peer2.next('session.hello');
    // Same tick as the welcome: the replay starts with seq 3, skipping 2.
    peer2.send('session.welcome', { runtime: { name: 'fake', version: '1' }, resume_token: 'rt_second', resume_window_sec: 60, capabilities: { features: ['ack'] } });
    peer2.event(JOB, 'log', { level: 'info', message: 'e3' }, { event_seq: 3 });
    await waitFor(() => peers.length === 2);
    const peer3 = peers[1]!;
    const hello = await peer3.next('session.hello');
    expect(hello.payload.resume).toMatchObject({ last_event_seq: 1, resume_token: 'rt_second' });
    peer3.send('session.welcome', { runtime: { name: 'fake', version: '1' }, resume_token: 'rt_third', resume_window_sec: 60, capabilities: { features: ['ack'] } });
    peer3.seq = 1;
    peer3.event(JOB, 'log', { level: 'info', message: 'e2' });
    peer3.event(JOB, 'log', { level: 'info', message: 'e3' });
    peer3.sendSeq('job.result', JOB, { final_status: 'success', result: 'ok' });
    const messages: string[] = [];
    for await (const ev of handle.events()) if (ev.kind === 'log') messages.push(`${ev.seq}:${ev.body.message}`);
    expect(messages).toEqual(['1:e1', '2:e2', '3:e3']);
    expect((await handle.done).result).toBe('ok');
    await client.close();
  });

  it('without a reconnect factory a gap fails live handles with ARCP_KIT_SEQ_GAP and keeps latestEventSeq', async () => {
    const { peer, client, handle } = await openWithJob();
    peer.event(JOB, 'log', { level: 'info', message: 'e1' });
    peer.event(JOB, 'log', { level: 'info', message: 'e5' }, { event_seq: 5 });
    const seen: number[] = [];
    const iterate = (async () => {
      for await (const ev of handle.events()) seen.push(ev.seq);
    })();
    await expect(iterate).rejects.toMatchObject({ code: 'ARCP_KIT_SEQ_GAP' });
    await expect(handle.done).rejects.toMatchObject({ code: 'ARCP_KIT_SEQ_GAP' });
    expect(seen).toEqual([1]);
    expect(client.latestEventSeq).toBe(1);
    expect(client.state).toBe('broken');
    await client.close();
  });

  it('duplicates (seq at or below the latest) are dropped, not delivered twice', async () => {
    const { peer, client, handle } = await openWithJob();
    peer.event(JOB, 'log', { level: 'info', message: 'a' });
    peer.event(JOB, 'log', { level: 'info', message: 'a-again' }, { event_seq: 1 });
    peer.event(JOB, 'log', { level: 'info', message: 'b' }, { event_seq: 2 });
    peer.sendSeq('job.result', JOB, { final_status: 'success' }, { event_seq: 3 });
    const got: string[] = [];
    for await (const ev of handle.events()) got.push(ev.kind === 'log' ? ev.body.message : ev.kind);
    expect(got).toEqual(['a', 'b']);
    await client.close();
  });
});

describe('transport drop', () => {
  it('auto-resumes after a drop and receives events emitted while away', async () => {
    const { peers, factory } = reconnecting();
    const { peer, client, handle } = await openWithJob({ autoResume: { reconnect: factory, backoffMs: 1 } });
    const resumed: unknown[] = [];
    client.on('resumed', (w) => resumed.push(w));
    peer.event(JOB, 'log', { level: 'info', message: 'before' });
    await settle();
    await peer.close();
    await waitFor(() => peers.length === 1);
    const peer2 = peers[0]!;
    const hello = await peer2.next('session.hello');
    expect(hello.payload.resume.last_event_seq).toBe(1);
    peer2.send('session.welcome', { runtime: { name: 'fake', version: '1' }, resume_token: 'rt_2', resume_window_sec: 60, capabilities: { features: [] } });
    peer2.seq = 1;
    peer2.event(JOB, 'log', { level: 'info', message: 'while away' });
    peer2.sendSeq('job.result', JOB, { final_status: 'success', result: 1 });
    const got: string[] = [];
    for await (const ev of handle.events()) got.push(ev.kind === 'log' ? ev.body.message : ev.kind);
    expect(got).toEqual(['before', 'while away']);
    expect(resumed).toHaveLength(1);
    await client.close();
  });

  it('a request queued during the resume is sent after the welcome; a non-idempotent in-flight submit is reported unconfirmed', async () => {
    const { peers, factory } = reconnecting();
    const { peer, client } = await openWithJob({ autoResume: { reconnect: factory, backoffMs: 1 } });
    const inflight = client.submit({ agent: 'x' });
    await peer.next('job.submit');
    await peer.close();
    await waitFor(() => peers.length === 1);
    const queued = client.submit({ agent: 'y', idempotencyKey: 'later' });
    const peer2 = peers[0]!;
    await peer2.welcome({ resume_token: 'rt_3' });
    await expect(inflight).rejects.toMatchObject({ code: 'ARCP_KIT_SUBMIT_UNCONFIRMED' });
    const resent = await peer2.next('job.submit');
    expect(resent.payload.agent).toBe('y');
    peer2.send('job.accepted', { job_id: 'job_Y', lease: {}, accepted_at: 'now', request_id: resent.id }, { job_id: 'job_Y' });
    expect((await queued).jobId).toBe('job_Y');
    await client.close();
  });

  it('without autoResume a drop fails handles with ARCP_KIT_TRANSPORT_CLOSED; manual resume on a new client adopts replayed jobs', async () => {
    const { peer, client, handle } = await openWithJob();
    peer.event(JOB, 'log', { level: 'info', message: 'one' });
    await settle();
    const sessionId = client.sessionId!;
    const resumeToken = client.resumeToken!;
    const last = client.latestEventSeq;
    await peer.close();
    await expect(handle.done).rejects.toMatchObject({ code: 'ARCP_KIT_TRANSPORT_CLOSED' });

    const peer2 = new FakePeer();
    const second = new ARCPClient({ client: { name: 'test', version: '1.0.0' }, token: 'tok' });
    const resuming = second.resume(peer2.clientSide, { sessionId, resumeToken, lastEventSeq: last });
    const hello = await peer2.welcome();
    expect(hello.payload.resume).toEqual({ session_id: sessionId, resume_token: resumeToken, last_event_seq: 1 });
    await resuming;
    peer2.seq = 1;
    peer2.event(JOB, 'log', { level: 'info', message: 'two' });
    peer2.sendSeq('job.result', JOB, { final_status: 'success', result: 'r' });
    await settle();
    const adopted = second.job(JOB);
    const got: string[] = [];
    for await (const ev of adopted.events()) got.push(ev.kind === 'log' ? ev.body.message : ev.kind);
    expect(got).toEqual(['two']);
    expect((await adopted.done).result).toBe('r');
    expect(second.latestEventSeq).toBe(3);
    await second.close();
  });

  it('RESUME_WINDOW_EXPIRED on resume rejects with the typed error', async () => {
    const peer = new FakePeer();
    const client = new ARCPClient({ client: { name: 'test', version: '1.0.0' }, token: 'tok' });
    const p = client.resume(peer.clientSide, { sessionId: 'sess_OLD', resumeToken: 'rt_old', lastEventSeq: 4 });
    await peer.next('session.hello');
    peer.send('session.error', { code: 'RESUME_WINDOW_EXPIRED', message: 'too late', retryable: false }, { session_id: 'sess_OLD' });
    await expect(p).rejects.toMatchObject({ name: 'ResumeWindowExpiredError' });
  });
});

describe('heartbeat', () => {
  it('answers pings always, pings when idle, and reports HEARTBEAT_LOST after two silent intervals', async () => {
    const clock = new ManualClock();
    const peer = new FakePeer();
    const client = new ARCPClient({ client: { name: 't', version: '1' }, token: 't', clock });
    const lost: Error[] = [];
    client.on('heartbeatLost', (e) => lost.push(e));
    const p = client.connect(peer.clientSide);
    await peer.welcome({ heartbeat_interval_sec: 10 });
    await p;
    const s = client.submit({ agent: 'slow' });
    await peer.accept(JOB);
    const handle = await s;

    peer.send('session.ping', { nonce: 'n1', sent_at: 'x' });
    const pong = await peer.next('session.pong');
    expect(pong.payload.ping_nonce).toBe('n1');
    expect(validateMessage('strict', pong).ok).toBe(true);

    clock.advance(10_000); // outbound idle for an interval -> ping
    const ping = await peer.next('session.ping');
    expect(typeof ping.payload.nonce).toBe('string');
    expect(lost).toHaveLength(0);
    clock.advance(10_000); // two intervals with no inbound frame at all
    await settle();
    expect(lost).toHaveLength(1);
    await expect(handle.done).rejects.toMatchObject({ name: 'HeartbeatLostError', code: 'HEARTBEAT_LOST' });
    expect(peer.closed).toBe(true);
    await client.close();
  });

  it('inbound traffic keeps the session alive', async () => {
    const clock = new ManualClock();
    const peer = new FakePeer();
    const client = new ARCPClient({ client: { name: 't', version: '1' }, token: 't', clock });
    const lost: Error[] = [];
    client.on('heartbeatLost', (e) => lost.push(e));
    const p = client.connect(peer.clientSide);
    await peer.welcome({ heartbeat_interval_sec: 10 });
    await p;
    for (let i = 0; i < 6; i++) {
      peer.send('session.pong', { ping_nonce: 'x', received_at: 'y' });
      await settle();
      clock.advance(9_000);
    }
    expect(lost).toHaveLength(0);
    await client.close();
  });
});
