import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ARCPRuntime } from '../runtime.js';
import { connected, gate, makeRuntime } from './support/runtime-fixture.js';
import { TestPeer } from './support/test-peer.js';

let runtime: ARCPRuntime;
afterEach(async () => runtime?.close());

/** Sends one bad frame, expects a typed INVALID_REQUEST, then proves the session still works. */
async function expectRejected(peer: TestPeer, send: () => void, mention: RegExp) {
  const before = peer.ofType('session.error').length;
  send();
  const err = await peer.next((m) => m.type === 'session.error' && peer.ofType('session.error').length > before);
  expect(err.payload.code).toBe('INVALID_REQUEST');
  expect(err.payload.retryable).toBe(false);
  expect(err.payload.message).toMatch(mention);
  expect(peer.isOpen).toBe(true);
  const probe = await peer.accepted(peer.submit('echo', 'still alive'));
  expect(probe.type).toBe('job.accepted');
  expect((await peer.terminal(probe.payload.job_id)).payload.result).toBe('still alive');
  return err;
}

describe('bad input never crashes and never loses a job', () => {
  it('each malformed frame gets a typed session.error and the session goes on', async () => {
    runtime = makeRuntime({ maxFrameBytes: 4096 });
    const g = gate();
    runtime.registerAgent('held', () => g.promise.then(() => 'survived'));
    const peer = await connected(runtime);
    const held = (await peer.accepted(peer.submit('held'))).payload.job_id;
    const sid = peer.sessionId!;
    const base = { arcp: '1.1', session_id: sid };
    await expectRejected(peer, () => peer.sendRaw('{"arcp":"1.1",'), /JSON/i);
    await expectRejected(peer, () => peer.sendRaw('[1,2,3]'), /object/);
    await expectRejected(peer, () => peer.sendRaw('"just a string"'), /object/);
    await expectRejected(peer, () => peer.sendRaw(JSON.stringify({ ...base, id: 'm1', type: 'job.frobnicate', payload: {} })), /job\.frobnicate|type/);
    await expectRejected(peer, () => peer.sendRaw(JSON.stringify({ ...base, id: 'm2', type: 'x-vendor.acme.thing', payload: {} })), /x-vendor|vendor|type/);
    const schema = await expectRejected(peer, () => peer.sendRaw(JSON.stringify({ ...base, id: 'm3', type: 'job.submit', payload: { input: {} } })), /agent/);
    expect(schema.payload.request_id).toBe('m3');
    await expectRejected(peer, () => peer.sendRaw(JSON.stringify({ ...base, session_id: 'sess_other', id: 'm4', type: 'job.submit', payload: { agent: 'echo' } })), /session_id/);
    await expectRejected(peer, () => peer.sendRaw(JSON.stringify({ arcp: '1.1', id: 'm5', type: 'job.submit', payload: { agent: 'echo' } })), /session_id/);
    await expectRejected(peer, () => peer.sendRaw(JSON.stringify({ ...base, id: 'm6', type: 'job.submit', payload: { agent: 'echo', input: 'x'.repeat(5000) } })), /cap|large|bytes/);
    await expectRejected(peer, () => peer.sendRaw(JSON.stringify({ ...base, id: 'm7', type: 'job.accepted', payload: { job_id: 'job_x', lease: {}, accepted_at: '2026-01-01T00:00:00Z' } })), /job\.accepted/);
    // a vendor type marked optional is dropped silently (catalog §2.17)
    peer.sendRaw(JSON.stringify({ ...base, id: 'm8', type: 'x-vendor.acme.thing', extensions: { optional: true }, payload: {} }));
    g.open();
    expect((await peer.terminal(held)).payload.result).toBe('survived');
    const errors = peer.ofType('session.error');
    expect(errors).toHaveLength(10);
    const seqs = peer.sequenced().map((m) => m.event_seq);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
  });

  it('rejects messages before the handshake without closing, then accepts a hello', async () => {
    runtime = makeRuntime();
    const peer = TestPeer.connect(runtime);
    peer.send('job.submit', { agent: 'echo', input: 1 }, { session_id: 'sess_guess' });
    const err = await peer.next((m) => m.type === 'session.error');
    expect(err.payload.code).toBe('INVALID_REQUEST');
    expect(err.payload.message).toMatch(/handshake|hello/);
    expect(err.session_id).toMatch(/^sess_/);
    expect((await peer.hello()).type).toBe('session.welcome');
  });

  it('rejects a message whose feature was not negotiated (§6.2, catalog §10 #14)', async () => {
    runtime = makeRuntime();
    if (!runtime.dispatch.get('session.list_jobs')) runtime.registerHandler({ types: ['session.list_jobs'], phase: 'session', handle: () => {} });
    const peer = await connected(runtime, { features: ['ack'] });
    await expectRejected(peer, () => peer.send('session.list_jobs', {}), /list_jobs/);
  });

  it('reports binary frames over WebSocket and keeps the connection', async () => {
    runtime = makeRuntime();
    const server = await runtime.listen({ port: 0 });
    const ws = new WebSocket(server.url!);
    const received: any[] = [];
    ws.on('message', (d) => received.push(JSON.parse(d.toString())));
    await new Promise((r) => ws.once('open', r));
    ws.send(JSON.stringify({ arcp: '1.1', id: 'h1', type: 'session.hello', payload: { client: { name: 'x', version: '1' }, auth: { scheme: 'bearer', token: 't' } } }));
    ws.send(Buffer.from([1, 2, 3]), { binary: true });
    const until = async (pred: (m: any) => boolean) => {
      for (let i = 0; i < 200 && !received.some(pred); i++) await new Promise((r) => setTimeout(r, 10));
      return received.find(pred);
    };
    const err = await until((m) => m.type === 'session.error');
    expect(err.payload.code).toBe('INVALID_REQUEST');
    expect(err.payload.details).toMatchObject({ reason: 'ARCP_KIT_BINARY_FRAME' });
    const sid = received.find((m) => m.type === 'session.welcome').session_id;
    ws.send(JSON.stringify({ arcp: '1.1', id: 's1', session_id: sid, type: 'job.submit', payload: { agent: 'echo', input: 7 } }));
    expect((await until((m) => m.type === 'job.result')).payload.result).toBe(7);
    ws.close();
  });

  it('survives a throwing authenticator and a throwing onJobTerminal hook', async () => {
    let calls = 0;
    runtime = new ARCPRuntime({
      validateOutbound: true,
      authenticator: {
        authenticate: (c) => {
          if (++calls === 1) throw new Error('directory down');
          return c.token === 't' ? { principal: 'alice' } : undefined;
        },
      },
      hooks: {
        onJobTerminal: () => {
          throw new Error('observer bug');
        },
      },
    });
    runtime.registerAgent('echo', (i) => i);
    const peer = TestPeer.connect(runtime);
    const first = await peer.hello();
    expect(first.type).toBe('session.error');
    expect(first.payload).toMatchObject({ code: 'INTERNAL_ERROR', retryable: true });
    expect((await peer.hello()).type).toBe('session.welcome');
    const jobId = (await peer.accepted(peer.submit('echo', 5))).payload.job_id;
    expect((await peer.terminal(jobId)).payload.result).toBe(5);
    expect((await peer.accepted(peer.submit('echo', 6))).type).toBe('job.accepted');
  });
});
