// Invariant: replies reach the request they answer (catalog §5: request_id, then trace_id, then
// FIFO), refusals reach the right request, and only an uncorrelated session-fatal session.error
// fails every pending request (catalog §9 #4).
import { describe, expect, it } from 'vitest';
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

const A = 'job_A';
const B = 'job_B';

describe('submit correlation', () => {
  it('matches job.accepted by payload.request_id even when replies arrive out of order', async () => {
    const { peer, client } = await open();
    const first = client.submit({ agent: 'one' });
    const second = client.submit({ agent: 'two' });
    const s1 = await peer.next('job.submit');
    const s2 = await peer.next('job.submit');
    peer.send('job.accepted', { job_id: B, lease: {}, accepted_at: 'now', request_id: s2.id }, { job_id: B });
    peer.send('job.accepted', { job_id: A, lease: {}, accepted_at: 'now', request_id: s1.id }, { job_id: A });
    expect((await first).jobId).toBe(A);
    expect((await second).jobId).toBe(B);
    await client.close();
  });

  it('falls back to the echoed trace_id (TS runtime: no request_id)', async () => {
    const { peer, client } = await open();
    const first = client.submit({ agent: 'one', traceId: 'a'.repeat(32) });
    const second = client.submit({ agent: 'two', traceId: 'b'.repeat(32) });
    await peer.next('job.submit');
    await peer.next('job.submit');
    peer.send('job.accepted', { job_id: B, lease: {}, accepted_at: 'now' }, { job_id: B, trace_id: 'b'.repeat(32) });
    peer.send('job.accepted', { job_id: A, lease: {}, accepted_at: 'now' }, { job_id: A, trace_id: 'a'.repeat(32) });
    expect((await first).jobId).toBe(A);
    expect((await second).jobId).toBe(B);
    await client.close();
  });

  it('falls back to FIFO when the reply carries neither', async () => {
    const { peer, client } = await open();
    const first = client.submit({ agent: 'one' });
    const second = client.submit({ agent: 'two' });
    await peer.next('job.submit');
    await peer.next('job.submit');
    peer.send('job.accepted', { job_id: A, lease: {}, accepted_at: 'now' }, { job_id: A });
    peer.send('job.accepted', { job_id: B, lease: {}, accepted_at: 'now' }, { job_id: B });
    expect((await first).jobId).toBe(A);
    expect((await second).jobId).toBe(B);
    await client.close();
  });

  it('a rejection job.error (phantom job id) rejects only the submit it names', async () => {
    const { peer, client } = await open();
    const first = client.submit({ agent: 'one' });
    const second = client.submit({ agent: 'nope' });
    const s1 = await peer.next('job.submit');
    const s2 = await peer.next('job.submit');
    peer.sendSeq('job.error', 'job_PHANTOM', { final_status: 'error', code: 'AGENT_NOT_AVAILABLE', message: 'no such agent', retryable: false, request_id: s2.id });
    peer.send('job.accepted', { job_id: A, lease: {}, accepted_at: 'now', request_id: s1.id }, { job_id: A });
    await expect(second).rejects.toMatchObject({ name: 'AgentNotAvailableError' });
    expect((await first).jobId).toBe(A);
    await client.close();
  });

  it('an error whose request_id names no pending request never falls back to FIFO', async () => {
    const { peer, client } = await open();
    const pending = client.submit({ agent: 'one' });
    const s1 = await peer.next('job.submit');
    peer.sendSeq('job.error', 'job_PHANTOM', { final_status: 'error', code: 'AGENT_NOT_AVAILABLE', message: 'stale', retryable: false, request_id: 'msg_SOMETHING_ELSE' });
    peer.send('session.error', { code: 'AGENT_VERSION_NOT_AVAILABLE', message: 'stale too', retryable: false, request_id: 'msg_OTHER' });
    await settle();
    peer.send('job.accepted', { job_id: A, lease: {}, accepted_at: 'now', request_id: s1.id }, { job_id: A });
    expect((await pending).jobId).toBe(A);
    await client.close();
  });

  it('DUPLICATE_KEY naming an existing job refuses the new submit, not the running job (catalog §4.5 #3)', async () => {
    const { peer, client } = await open();
    const first = client.submit({ agent: 'one', idempotencyKey: 'k' });
    await peer.accept(A);
    const running = await first;
    const dup = client.submit({ agent: 'other', idempotencyKey: 'k' });
    const s2 = await peer.next('job.submit');
    peer.sendSeq('job.error', A, { final_status: 'error', code: 'DUPLICATE_KEY', message: 'conflict', retryable: false, details: { existing_job_id: A } }, { trace_id: s2.trace_id });
    await expect(dup).rejects.toMatchObject({ code: 'DUPLICATE_KEY' });
    expect(running.isSettled).toBe(false);
    await client.close();
  });

  it('an idempotent hit returns the same handle', async () => {
    const { peer, client } = await open();
    const first = client.submit({ agent: 'one', idempotencyKey: 'k' });
    await peer.accept(A);
    const again = client.submit({ agent: 'one', idempotencyKey: 'k' });
    await peer.accept(A);
    expect(await again).toBe(await first);
    await client.close();
  });
});

describe('session.error routing', () => {
  it('a session.error with request_id fails only that request', async () => {
    const { peer, client } = await open();
    const first = client.submit({ agent: 'one@9.9.9' });
    const second = client.submit({ agent: 'two' });
    const s1 = await peer.next('job.submit');
    await peer.next('job.submit');
    peer.send('session.error', { code: 'AGENT_VERSION_NOT_AVAILABLE', message: 'no 9.9.9', retryable: false, request_id: s1.id });
    await expect(first).rejects.toMatchObject({ name: 'AgentVersionNotAvailableError' });
    await settle();
    peer.send('job.accepted', { job_id: B, lease: {}, accepted_at: 'now' }, { job_id: B });
    expect((await second).jobId).toBe(B);
    await client.close();
  });

  it('an uncorrelated non-fatal session.error does not fail unrelated pending requests', async () => {
    const { peer, client } = await open();
    const errors: Error[] = [];
    client.on('sessionError', (e) => errors.push(e));
    const listing = client.listJobs();
    const sub = client.submit({ agent: 'one' });
    await peer.next('session.list_jobs');
    await peer.next('job.submit');
    peer.send('session.error', { code: 'INVALID_REQUEST', message: 'something else', retryable: false });
    await settle();
    expect(errors).toHaveLength(1);
    const list = await peer.received.find((f) => f.type === 'session.list_jobs')!;
    peer.send('session.jobs', { request_id: list.id, jobs: [], next_cursor: null });
    peer.send('job.accepted', { job_id: A, lease: {}, accepted_at: 'now' }, { job_id: A });
    await expect(listing).resolves.toEqual({ jobs: [], nextCursor: null });
    expect((await sub).jobId).toBe(A);
    await client.close();
  });

  it('an uncorrelated session-fatal error fails every pending request and live handle', async () => {
    const { peer, client } = await open();
    const s = client.submit({ agent: 'one' });
    await peer.accept(A);
    const handle = await s;
    const pending = client.submit({ agent: 'two' });
    await peer.next('job.submit');
    peer.send('session.error', { code: 'INTERNAL_ERROR', message: 'cap exceeded', retryable: true });
    await expect(pending).rejects.toMatchObject({ code: 'INTERNAL_ERROR' });
    await expect(handle.done).rejects.toMatchObject({ code: 'INTERNAL_ERROR' });
    await client.close();
  });
});

describe('cancel', () => {
  it('sends job.cancel with the envelope job_id and a reason, resolves on job.cancelled, then CANCELLED', async () => {
    const { peer, client } = await open();
    const s = client.submit({ agent: 'slow' });
    await peer.accept(A);
    const handle = await s;
    const cancelled = handle.cancel('user asked');
    const frame = await peer.next('job.cancel');
    expect(frame.job_id).toBe(A);
    expect(frame.payload).toEqual({ reason: 'user asked' });
    // Go stamps job.cancelled with a seq (catalog §9 #3): it must count, not look like a gap.
    peer.sendSeq('job.cancelled', A, { job_id: A, reason: 'user asked' });
    await cancelled;
    peer.sendSeq('job.error', A, { final_status: 'cancelled', code: 'CANCELLED', message: 'cancelled', retryable: false });
    await expect(handle.done).rejects.toMatchObject({ name: 'CancelledError' });
    expect(handle.finalStatus).toBe('cancelled');
    expect(client.latestEventSeq).toBe(2);
    await client.close();
  });

  it('a refused cancel (PERMISSION_DENIED job.error on the target) rejects cancel() but does not end the job', async () => {
    const { peer, client } = await open();
    const s = client.submit({ agent: 'slow' });
    await peer.accept(A);
    const handle = await s;
    const cancelled = handle.cancel();
    await peer.next('job.cancel');
    peer.sendSeq('job.error', A, { final_status: 'error', code: 'PERMISSION_DENIED', message: 'not yours', retryable: false });
    await expect(cancelled).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
    expect(handle.isSettled).toBe(false);
    await client.close();
  });

  it('a peer that never acks a cancel (Py) settles cancel() on the terminal', async () => {
    const { peer, client } = await open();
    const s = client.submit({ agent: 'slow' });
    await peer.accept(A);
    const handle = await s;
    const cancelled = handle.cancel();
    await peer.next('job.cancel');
    peer.sendSeq('job.error', A, { final_status: 'cancelled', code: 'CANCELLED', message: 'cancelled', retryable: false });
    await cancelled;
    expect(handle.finalStatus).toBe('cancelled');
    await client.close();
  });
});
