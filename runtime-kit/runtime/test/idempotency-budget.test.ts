// Idempotency keys under a memory budget (issue 13): before, every accepted key was kept 24 h
// with no cap on their number (a client submitting distinct keys grew the table, and the jobs
// the keys hold, without bound) and a key string of any length was stored as sent. Now:
// `maxIdempotencyKeysPerPrincipal` / `maxIdempotencyKeys` (oldest finished first, a key whose
// job still runs is kept) and `maxIdempotencyKeyBytes` (INVALID_REQUEST before it is kept).
import { afterEach, describe, expect, it } from 'vitest';
import { Job } from '../job.js';
import type { ARCPRuntime } from '../runtime.js';
import { connected, gate, makeRuntime } from './support/runtime-fixture.js';
import type { TestPeer } from './support/test-peer.js';

let runtime: ARCPRuntime;
afterEach(async () => runtime?.close());

/** Submits `echo` with `key`, waits for its terminal; the job id (or the refusal code). */
async function submitKey(peer: TestPeer, key: string, input: unknown = { key }): Promise<string> {
  const reply = await peer.accepted(peer.submit('echo', input, { idempotency_key: key }));
  if (reply.type !== 'job.accepted') return `refused:${reply.payload.code}`;
  await peer.terminal(reply.payload.job_id);
  return reply.payload.job_id as string;
}

describe('idempotency key count', () => {
  it('keeps at most maxIdempotencyKeysPerPrincipal keys: the oldest finished are evicted, the newest still answer', async () => {
    runtime = makeRuntime({ limits: { maxIdempotencyKeysPerPrincipal: 20 } });
    const peer = await connected(runtime);
    const jobs: string[] = [];
    for (let i = 0; i < 60; i++) {
      jobs.push(await submitKey(peer, `k${i}`));
      expect(runtime.idempotency.sizeOf('alice')).toBeLessThanOrEqual(20);
    }
    expect(runtime.idempotency.size).toBe(20);
    // The newest 20 still answer with their job; an evicted one starts a new job.
    const again = await peer.accepted(peer.submit('echo', { key: 'k59' }, { idempotency_key: 'k59' }));
    expect(again.payload.job_id).toBe(jobs[59]);
    expect(await peer.accepted(peer.submit('echo', { key: 'k40' }, { idempotency_key: 'k40' })).then((m) => m.payload.job_id)).toBe(jobs[40]);
    const fresh = await submitKey(peer, 'k0');
    expect(fresh).not.toBe(jobs[0]);
    expect(fresh).toMatch(/^job_/);
    // ... and, being the newest key now, it pushed the oldest remaining one (k40) out.
    expect(runtime.idempotency.size).toBe(20);
    expect(await submitKey(peer, 'k40')).not.toBe(jobs[40]);
  });

  it('never evicts a key whose job still runs; when only such keys are left a new key is refused (PERMISSION_DENIED, retryable)', async () => {
    runtime = makeRuntime({ limits: { maxIdempotencyKeysPerPrincipal: 3 } });
    const hold = gate();
    runtime.registerAgent('holder', async () => {
      await hold.promise;
      return 'done';
    });
    const peer = await connected(runtime);
    const live = (await peer.accepted(peer.submit('holder', {}, { idempotency_key: 'live' }))).payload.job_id as string;
    for (let i = 0; i < 10; i++) await submitKey(peer, `quick${i}`);
    expect(runtime.idempotency.sizeOf('alice')).toBe(3);
    expect((await peer.accepted(peer.submit('holder', {}, { idempotency_key: 'live' }))).payload.job_id).toBe(live);

    await peer.accepted(peer.submit('holder', {}, { idempotency_key: 'live2' }));
    await peer.accepted(peer.submit('holder', {}, { idempotency_key: 'live3' }));
    expect(runtime.idempotency.sizeOf('alice')).toBe(3);
    const refused = await peer.accepted(peer.submit('echo', {}, { idempotency_key: 'one-more' }));
    expect(refused.type).toBe('job.error');
    expect(refused.payload).toMatchObject({
      code: 'PERMISSION_DENIED',
      retryable: true,
      details: { reason: 'limit_exceeded', limit: 'maxIdempotencyKeysPerPrincipal', max: 3 },
    });
    // A submit without a key is not held back; another principal has its own budget.
    expect((await peer.accepted(peer.submit('echo', {}))).type).toBe('job.accepted');
    const bob = await connected(runtime, { token: 'u' });
    expect(await submitKey(bob, 'one-more')).toMatch(/^job_/);

    hold.open();
    await peer.terminal(live);
    expect(await submitKey(peer, 'one-more')).toMatch(/^job_/);
    expect(runtime.idempotency.sizeOf('alice')).toBe(3);
  });

  it('keeps at most maxIdempotencyKeys across principals, evicting the oldest finished of anyone', async () => {
    runtime = makeRuntime({ limits: { maxIdempotencyKeys: 10 } });
    const alice = await connected(runtime);
    const bob = await connected(runtime, { token: 'u' });
    const first = await submitKey(alice, 'a0');
    for (let i = 1; i < 8; i++) await submitKey(alice, `a${i}`);
    for (let i = 0; i < 8; i++) {
      await submitKey(bob, `b${i}`);
      expect(runtime.idempotency.size).toBeLessThanOrEqual(10);
    }
    expect(runtime.idempotency.size).toBe(10);
    expect(runtime.idempotency.sizeOf('bob')).toBe(8);
    expect(await submitKey(alice, 'a0')).not.toBe(first);
  });
});

describe('what a key keeps', () => {
  it('the Job while it runs (a retry streams on from it), only the replay view once it has ended', async () => {
    runtime = makeRuntime();
    const hold = gate();
    runtime.registerAgent('holder', async () => {
      await hold.promise;
      return 'done';
    });
    const peer = await connected(runtime);
    const submitted = { agent: 'holder', input: {}, idempotency_key: 'h' };
    const jobId = (await peer.accepted(peer.submit('holder', {}, { idempotency_key: 'h' }))).payload.job_id as string;
    const running = runtime.idempotency.lookup('alice', 'h', submitted, Date.now());
    expect(running.kind === 'same' && running.job).toBeInstanceOf(Job);
    hold.open();
    await peer.terminal(jobId);
    const ended = runtime.idempotency.lookup('alice', 'h', submitted, Date.now());
    expect(ended.kind).toBe('same');
    const view = (ended as { job: object }).job;
    expect(view).not.toBeInstanceOf(Job);
    expect(Object.keys(view).sort()).toEqual(['acceptedPayload', 'jobId', 'terminal', 'traceId']);
    // The replay from the view: the same job.accepted, and the terminal again.
    const other = await connected(runtime, { token: 't2' });
    const again = await other.accepted(other.submit('holder', {}, { idempotency_key: 'h' }));
    expect(again.payload.job_id).toBe(jobId);
    expect((await other.terminal(jobId)).payload.result).toBe('done');
  });
});

describe('idempotency key length', () => {
  it('refuses a key over maxIdempotencyKeyBytes (default 1 KiB) with INVALID_REQUEST before keeping it', async () => {
    runtime = makeRuntime();
    const peer = await connected(runtime);
    const long = 'k'.repeat(100_000);
    const reply = await peer.accepted(peer.submit('echo', {}, { idempotency_key: long }));
    expect(reply.type).toBe('job.error');
    expect(reply.payload).toMatchObject({
      code: 'INVALID_REQUEST',
      retryable: false,
      details: { reason: 'limit_exceeded', limit: 'maxIdempotencyKeyBytes', max: 1024, field: '/payload/idempotency_key', key_bytes: 100_000 },
    });
    // The refusal does not echo the key back, and nothing was kept.
    expect(reply.payload.message.length).toBeLessThan(200);
    expect(runtime.idempotency.size).toBe(0);
    expect(runtime.jobs.size).toBe(0);
    // Bytes, not characters: 257 x 4-byte characters are 1,028 bytes.
    expect(await submitKey(peer, '\u{1D11E}'.repeat(257))).toBe('refused:INVALID_REQUEST');
    // Every key of the strict form fits: 256 characters of 4 bytes, 1,024 bytes.
    const strictMax = '\u{1D11E}'.repeat(256);
    const job = await submitKey(peer, strictMax);
    expect(job).toMatch(/^job_/);
    expect((await peer.accepted(peer.submit('echo', { key: strictMax }, { idempotency_key: strictMax }))).payload.job_id).toBe(job);
    expect(await submitKey(peer, 'k'.repeat(1024))).toMatch(/^job_/);
    expect(await submitKey(peer, 'k'.repeat(1025))).toBe('refused:INVALID_REQUEST');
  });
});
