// Invariant: auto-ack is coalesced (acks at most once per interval, at once when N events accrued
// and the interval allows, trailing flush for a quiet stream); manual ack clamps to the latest
// seq; close() sends session.close{reason} and finishes on closed, session.error or timeout.
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../protocol/manual-clock.js';
import { AutoAcker } from '../auto-ack.js';
import { ARCPClient } from '../client.js';
import { FakePeer, settle } from './support/fake-peer.js';

describe('AutoAcker', () => {
  it('acks at once when N accrued, then never closer than the interval, with a trailing flush', () => {
    const clock = new ManualClock();
    const sent: Array<[number, number]> = [];
    const acker = new AutoAcker({ everyN: 3, intervalMs: 100 }, clock, (seq) => sent.push([clock.monotonic(), seq]));
    acker.observe(1);
    acker.observe(2);
    expect(sent).toEqual([]);
    acker.observe(3); // N reached, nothing sent before -> immediately
    expect(sent).toEqual([[0, 3]]);
    acker.observe(4);
    acker.observe(5);
    acker.observe(6); // N reached again but only 0 ms since the last ack -> waits for the interval
    expect(sent).toHaveLength(1);
    clock.advance(99);
    expect(sent).toHaveLength(1);
    clock.advance(1);
    expect(sent).toEqual([[0, 3], [100, 6]]);
    acker.observe(7); // a quiet stream: flushed one interval after its first unacked event
    clock.advance(99);
    expect(sent).toHaveLength(2);
    clock.advance(1);
    expect(sent).toEqual([[0, 3], [100, 6], [200, 7]]);
    clock.advance(1000);
    expect(sent).toHaveLength(3); // nothing new, nothing sent
  });

  it('a manual ack counts as sent', () => {
    const clock = new ManualClock();
    const sent: number[] = [];
    const acker = new AutoAcker({ everyN: 10, intervalMs: 50 }, clock, (seq) => sent.push(seq));
    acker.observe(1);
    acker.noteSent(1);
    clock.advance(500);
    expect(sent).toEqual([]);
  });
});

async function open(opts: Partial<ConstructorParameters<typeof ARCPClient>[0]> = {}, welcome: Record<string, unknown> = {}) {
  const peer = new FakePeer();
  const client = new ARCPClient({ client: { name: 'test', version: '1.0.0' }, token: 'tok', ...opts });
  const p = client.connect(peer.clientSide);
  await peer.welcome(welcome);
  await p;
  return { peer, client };
}

describe('ack over the wire', () => {
  it('auto-ack sends coalesced session.ack frames with the latest seq', async () => {
    const clock = new ManualClock();
    const { peer, client } = await open({ clock, autoAck: { everyN: 5, intervalMs: 200 } });
    const s = client.submit({ agent: 'chatty' });
    await peer.accept('job_C');
    await s;
    for (let i = 0; i < 12; i++) peer.event('job_C', 'log', { level: 'info', message: `m${i}` });
    await settle();
    expect(peer.sent('session.ack').map((f) => f.payload.last_processed_seq)).toEqual([5]);
    clock.advance(200);
    await settle();
    expect(peer.sent('session.ack').map((f) => f.payload.last_processed_seq)).toEqual([5, 12]);
    await client.close();
  });

  it('manual ack defaults to and clamps at latestEventSeq; needs the ack feature', async () => {
    const { peer, client } = await open();
    const s = client.submit({ agent: 'chatty' });
    await peer.accept('job_C');
    await s;
    peer.event('job_C', 'log', { level: 'info', message: 'x' });
    peer.event('job_C', 'log', { level: 'info', message: 'y' });
    await settle();
    await client.ack();
    await client.ack(99);
    await client.ack(1);
    await settle();
    expect(peer.sent('session.ack').map((f) => f.payload.last_processed_seq)).toEqual([2, 2, 1]);
    await client.close();

    const other = await open({ features: ['progress'] });
    await expect(other.client.ack()).rejects.toMatchObject({ code: 'ARCP_KIT_FEATURE_NOT_NEGOTIATED' });
    await other.client.close();
  });
});

describe('close', () => {
  it('sends session.close{reason} and closes the transport on session.closed', async () => {
    const { peer, client } = await open();
    await client.close('bye now');
    expect(peer.sent('session.close').map((f) => f.payload)).toEqual([{ reason: 'bye now' }]);
    await settle();
    expect(peer.closed).toBe(true);
    expect(client.state).toBe('closed');
  });

  it('finishes on any session.error (a TS runtime answers session.close with INVALID_REQUEST)', async () => {
    const clock = new ManualClock();
    const { peer, client } = await open({ clock });
    peer.answerClose = false;
    const closing = client.close();
    await peer.next('session.close');
    peer.send('session.error', { code: 'INVALID_REQUEST', message: 'unknown core message type', retryable: false });
    await closing;
    await settle();
    expect(peer.closed).toBe(true);
  });

  it('finishes after the timeout when the peer says nothing', async () => {
    const clock = new ManualClock();
    const { peer, client } = await open({ clock, closeTimeoutMs: 1000 });
    peer.answerClose = false;
    let done = false;
    const closing = client.close().then(() => {
      done = true;
    });
    await peer.next('session.close');
    await settle();
    expect(done).toBe(false);
    clock.advance(1000);
    await closing;
    expect(done).toBe(true);
  });

  it('live handles fail with ARCP_KIT_CLIENT_CLOSED; methods after close refuse', async () => {
    const { peer, client } = await open();
    const s = client.submit({ agent: 'slow' });
    await peer.accept('job_L');
    const handle = await s;
    await client.close();
    await expect(handle.done).rejects.toMatchObject({ code: 'ARCP_KIT_CLIENT_CLOSED' });
    await expect(client.submit({ agent: 'x' })).rejects.toMatchObject({ code: 'ARCP_KIT_NOT_CONNECTED' });
  });
});
