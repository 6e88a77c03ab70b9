// Invariant: nothing a peer sends crashes the client or loses a job: malformed JSON, non-objects,
// unknown and vendor types, oversized frames and undecodable events are reported through
// `protocolError` and dropped; an undecodable sequenced event still counts toward event_seq.
import { describe, expect, it } from 'vitest';
import { ARCPClient } from '../client.js';
import { FakePeer, settle } from './support/fake-peer.js';

async function open(extra: Partial<ConstructorParameters<typeof ARCPClient>[0]> = {}) {
  const peer = new FakePeer();
  const client = new ARCPClient({ client: { name: 'test', version: '1.0.0' }, token: 'tok', ...extra });
  const complaints: Error[] = [];
  client.on('protocolError', (e) => complaints.push(e));
  const p = client.connect(peer.clientSide);
  await peer.welcome();
  await p;
  const s = client.submit({ agent: 'echo' });
  await peer.accept('job_B');
  return { peer, client, complaints, handle: await s };
}

describe('bad input from the peer', () => {
  it('drops garbage, keeps the session and the job, and reports each problem', async () => {
    const { peer, client, complaints, handle } = await open();
    peer.sendRaw('{not json');
    peer.sendRaw('[1,2,3]');
    peer.sendRaw('"a string"');
    peer.send('job.surprise', {});
    peer.send('x-vendor.acme.thing', {}, { extensions: { optional: true } });
    peer.event('job_B', 'log', { level: 'info', message: 'still here' });
    peer.sendSeq('job.result', 'job_B', { final_status: 'success', result: 7 });
    const got: string[] = [];
    for await (const ev of handle.events()) got.push(ev.kind === 'log' ? ev.body.message : ev.kind);
    expect(got).toEqual(['still here']);
    expect((await handle.done).result).toBe(7);
    expect(complaints.length).toBe(4); // the optional vendor type is ignored silently
    expect(client.state).toBe('open');
    await client.close();
  });

  it('an undecodable sequenced event advances event_seq instead of faking a gap', async () => {
    const { peer, client, complaints, handle } = await open();
    peer.sendRaw(JSON.stringify({ arcp: '1.1', id: 'msg_bad', type: 'job.event', session_id: peer.sessionId, job_id: 'job_B', event_seq: 1, payload: { kind: 42 } }));
    peer.seq = 1;
    peer.event('job_B', 'log', { level: 'info', message: 'after' });
    peer.sendSeq('job.result', 'job_B', { final_status: 'success' });
    const got: number[] = [];
    for await (const ev of handle.events()) got.push(ev.seq);
    expect(got).toEqual([2]);
    expect(complaints).toHaveLength(1);
    expect(client.latestEventSeq).toBe(3);
    await client.close();
  });

  it('frames above maxFrameBytes are dropped and reported without faking a gap', async () => {
    const { peer, client, complaints, handle } = await open({ maxFrameBytes: 2048 });
    peer.send('job.event', { kind: 'log', ts: 'now', body: { level: 'info', message: 'x'.repeat(4096) } }, { job_id: 'job_B', event_seq: 1 });
    peer.seq = 1;
    peer.event('job_B', 'log', { level: 'info', message: 'small' });
    await settle();
    expect(complaints.map((e) => (e as { code?: string }).code)).toEqual(['ARCP_KIT_FRAME_TOO_LARGE']);
    expect(handle.isSettled).toBe(false);
    expect(client.latestEventSeq).toBe(2); // the dropped frame's seq counted: no false gap
    await client.close();
  });
});
