// Invariant: streamed results are assembled in chunk_seq order (string when all utf8, bytes
// otherwise, tolerating an empty final chunk and mixed encodings); listJobs and subscribe speak
// the §6.6/§7.6 wire shapes and accept the documented variants (replayed as a count, replay
// before or after job.subscribed).
import { describe, expect, it } from 'vitest';
import { validateMessage } from '../../../generated/validators.js';
import { ChunkAssembler } from '../chunk-assembler.js';
import { ARCPClient } from '../client.js';
import { FakePeer, settle } from './support/fake-peer.js';

async function open() {
  const peer = new FakePeer();
  const client = new ARCPClient({ client: { name: 'test', version: '1.0.0' }, token: 'tok' });
  const p = client.connect(peer.clientSide);
  await peer.welcome();
  await p;
  return { peer, client };
}

const chunk = (seq: number, data: string, encoding: 'utf8' | 'base64', more: boolean) => ({ result_id: 'res_1', chunk_seq: seq, data, encoding, more });

describe('ChunkAssembler', () => {
  it('joins utf8 chunks in chunk_seq order, tolerating an empty final chunk', () => {
    const a = new ChunkAssembler();
    a.add(chunk(1, 'world', 'utf8', true));
    a.add(chunk(0, 'hello ', 'utf8', true));
    a.add(chunk(2, '', 'utf8', false));
    expect(a.take('res_1')).toEqual({ ok: true, value: 'hello world', size: 11 });
  });

  it('returns bytes when any chunk is base64, decoding each by its own encoding', () => {
    const a = new ChunkAssembler();
    a.add(chunk(0, 'ab', 'utf8', true));
    a.add(chunk(1, Buffer.from([0, 255]).toString('base64'), 'base64', false));
    const r = a.take('res_1');
    expect(r.ok && Array.from(r.value as Uint8Array)).toEqual([97, 98, 0, 255]);
  });

  it('reports a missing chunk instead of assembling a corrupt result', () => {
    const a = new ChunkAssembler();
    a.add(chunk(0, 'a', 'utf8', true));
    a.add(chunk(2, 'c', 'utf8', false));
    expect(a.take('res_1')).toEqual({ ok: false, reason: 'result res_1: chunk_seq 1 missing' });
  });
});

describe('streamed result over the wire', () => {
  it('done resolves with the assembled result, result_id and result_size; chunks are also events', async () => {
    const { peer, client } = await open();
    const s = client.submit({ agent: 'streamer' });
    await peer.accept('job_S');
    const handle = await s;
    peer.event('job_S', 'result_chunk', chunk(0, 'abc', 'utf8', true));
    peer.event('job_S', 'result_chunk', chunk(1, 'def', 'utf8', true));
    peer.event('job_S', 'result_chunk', { result_id: 'res_1', chunk_seq: 2, data: '', encoding: 'utf8', more: false });
    peer.sendSeq('job.result', 'job_S', { final_status: 'success', result_id: 'res_1', result_size: 6 });
    const r = await handle.done;
    expect(r).toEqual({ finalStatus: 'success', result: 'abcdef', resultId: 'res_1', resultSize: 6 });
    let n = 0;
    for await (const ev of handle.events()) if (ev.kind === 'result_chunk') n++;
    expect(n).toBe(3);
    await client.close();
  });

  it('a missing chunk fails done with ARCP_KIT_RESULT_INCOMPLETE', async () => {
    const { peer, client } = await open();
    const s = client.submit({ agent: 'streamer' });
    await peer.accept('job_S');
    const handle = await s;
    peer.event('job_S', 'result_chunk', chunk(1, 'def', 'utf8', false));
    peer.sendSeq('job.result', 'job_S', { final_status: 'success', result_id: 'res_1' });
    await expect(handle.done).rejects.toMatchObject({ code: 'ARCP_KIT_RESULT_INCOMPLETE' });
    await client.close();
  });
});

describe('listJobs', () => {
  it('sends session.list_jobs with snake_case filter and maps session.jobs by request_id', async () => {
    const { peer, client } = await open();
    const listing = client.listJobs({ filter: { status: ['running'], agent: 'echo', createdAfter: '2026-01-01T00:00:00Z' }, limit: 5, cursor: null });
    const req = await peer.next('session.list_jobs');
    expect(validateMessage('strict', req).ok).toBe(true);
    expect(req.payload).toEqual({ filter: { status: ['running'], agent: 'echo', created_after: '2026-01-01T00:00:00Z' }, limit: 5, cursor: null });
    peer.send('session.jobs', {
      request_id: req.id,
      jobs: [
        { job_id: 'job_1', agent: 'echo@1.0.0', status: 'running', lease: { 'fs.read': ['/a/**'] }, parent_job_id: null, created_at: '2026-05-01T00:00:00Z', trace_id: 'f'.repeat(32), last_event_seq: 7 },
        { job_id: 'job_2', agent: 'echo', status: 'success', submitted_at: '2026-05-02T00:00:00Z' },
      ],
      next_cursor: 'opaque',
    });
    expect(await listing).toEqual({
      jobs: [
        { jobId: 'job_1', agent: 'echo@1.0.0', status: 'running', lease: { 'fs.read': ['/a/**'] }, parentJobId: null, createdAt: '2026-05-01T00:00:00Z', traceId: 'f'.repeat(32), lastEventSeq: 7 },
        { jobId: 'job_2', agent: 'echo', status: 'success', lease: {}, parentJobId: null, createdAt: '2026-05-02T00:00:00Z', lastEventSeq: 0 },
      ],
      nextCursor: 'opaque',
    });
    await client.close();
  });
});

describe('subscribe', () => {
  it('job.subscribed first, then the replay (spec order); replayed as a Py count', async () => {
    const { peer, client } = await open();
    const sub = client.subscribe('job_X', { history: true, fromEventSeq: 0 });
    const req = await peer.next('job.subscribe');
    expect(validateMessage('strict', req).ok).toBe(true);
    expect(req.payload).toEqual({ job_id: 'job_X', history: true, from_event_seq: 0 });
    peer.send('job.subscribed', { job_id: 'job_X', current_status: 'running', agent: 'chatty@1', lease: {}, budget: { USD: '3.5' }, subscribed_from: 0, replayed: 2, request_id: req.id }, { job_id: 'job_X' });
    peer.event('job_X', 'log', { level: 'info', message: 'h1' });
    peer.event('job_X', 'log', { level: 'info', message: 'h2' });
    peer.sendSeq('job.result', 'job_X', { final_status: 'success', result: 'fin' });
    const r = await sub;
    expect(r).toMatchObject({ jobId: 'job_X', subscribedFrom: 0, replayed: true, currentStatus: 'running', agent: 'chatty@1', budget: { USD: 3.5 } });
    const got: string[] = [];
    for await (const ev of r.handle.events()) got.push(ev.kind === 'log' ? ev.body.message : ev.kind);
    expect(got).toEqual(['h1', 'h2']);
    expect((await r.handle.done).result).toBe('fin');
    await expect(r.handle.cancel()).resolves.toBeUndefined(); // settled: a no-op
    await client.close();
  });

  it('replay before job.subscribed (TS order) lands on the same handle; subscribers cannot cancel', async () => {
    const { peer, client } = await open();
    const sub = client.subscribe('job_T', { history: true });
    await peer.next('job.subscribe');
    peer.event('job_T', 'log', { level: 'info', message: 'early' });
    peer.send('job.subscribed', { job_id: 'job_T', current_status: 'running', agent: 'a', lease: {}, subscribed_from: 1, replayed: true }, { job_id: 'job_T' });
    const r = await sub;
    peer.event('job_T', 'log', { level: 'info', message: 'live' });
    await settle();
    await expect(r.handle.cancel()).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
    await client.unsubscribe('job_T');
    const unsub = await peer.next('job.unsubscribe');
    expect(unsub.payload).toEqual({ job_id: 'job_T' });
    const got: string[] = [];
    await expect((async () => {
      for await (const ev of r.handle.events()) got.push(ev.kind === 'log' ? ev.body.message : ev.kind);
    })()).rejects.toMatchObject({ code: 'ARCP_KIT_UNSUBSCRIBED' });
    expect(got).toEqual(['early', 'live']);
    await client.close();
  });

  it('a refused subscribe rejects with the typed error (job.error JOB_NOT_FOUND or session.error PERMISSION_DENIED)', async () => {
    const { peer, client } = await open();
    const missing = client.subscribe('job_GONE');
    await peer.next('job.subscribe');
    peer.sendSeq('job.error', 'job_GONE', { final_status: 'error', code: 'JOB_NOT_FOUND', message: 'no such job', retryable: false });
    await expect(missing).rejects.toMatchObject({ name: 'JobNotFoundError' });
    const denied = client.subscribe('job_OTHER');
    const req = await peer.next('job.subscribe');
    peer.send('session.error', { code: 'PERMISSION_DENIED', message: 'not yours', retryable: false, request_id: req.id, job_id: 'job_OTHER' });
    await expect(denied).rejects.toMatchObject({ name: 'PermissionDeniedError' });
    await client.close();
  });
});
