// session.list_jobs (§6.6; catalog §2.9, §6.7, §9 #21/#32/#33, §10 #28): filters, limit cap,
// opaque keyset cursor, terminal jobs within the retention window, principal scope, no credentials.
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_LIMIT, parseListQuery } from '../listing/list-query.js';
import type { ARCPRuntime } from '../runtime.js';
import { alice, authorityRuntime, bob, submitAccepted } from './support/authority-fixture.js';
import { sleep } from './support/runtime-fixture.js';
import type { Msg, TestPeer } from './support/test-peer.js';

let runtime: ARCPRuntime;
afterEach(async () => runtime?.close());

async function list(peer: TestPeer, payload: Record<string, unknown> = {}): Promise<Msg> {
  const id = peer.send('session.list_jobs', payload);
  return peer.find((m) => (m.type === 'session.jobs' || m.type === 'session.error') && m.payload?.request_id === id);
}

describe('session.list_jobs (§6.6)', () => {
  it('lists live and terminal jobs with every entry field, in creation order; next_cursor null on the last page', async () => {
    runtime = authorityRuntime();
    const peer = await alice(runtime);
    const done = await submitAccepted(peer, 'conformance.echo', { a: 1 }, { lease_request: { 'fs.read': ['/x/**'] } });
    await peer.terminal(done.payload.job_id);
    const live = await submitAccepted(peer, 'conformance.slow', { steps: 1, interval_ms: 60_000 });
    const reply = await list(peer);
    expect(reply.type).toBe('session.jobs');
    expect(reply.event_seq).toBeUndefined();
    expect(reply.payload.next_cursor).toBeNull();
    expect(reply.payload.jobs.map((j: { job_id: string }) => j.job_id)).toEqual([done.payload.job_id, live.payload.job_id]);
    const [first, second] = reply.payload.jobs;
    expect(first).toEqual({
      job_id: done.payload.job_id,
      agent: 'conformance.echo',
      status: 'success',
      lease: { 'fs.read': ['/x/**'] },
      parent_job_id: null,
      created_at: expect.stringMatching(/Z$/),
      trace_id: done.trace_id,
      last_event_seq: (await peer.terminal(done.payload.job_id)).event_seq,
    });
    expect(second.status).toBe('running');
  });

  it('filters by status, agent (bare name = any version, name@version exact) and creation time', async () => {
    runtime = authorityRuntime();
    const peer = await alice(runtime);
    const v1 = await submitAccepted(peer, 'conformance.versioned@1.0.0', {});
    const v2 = await submitAccepted(peer, 'conformance.versioned', {});
    await peer.terminal(v1.payload.job_id);
    await peer.terminal(v2.payload.job_id);
    await sleep(5);
    const cut = new Date().toISOString();
    await sleep(5);
    const slow = await submitAccepted(peer, 'conformance.slow', { steps: 1, interval_ms: 60_000 });
    const ids = (m: Msg): string[] => m.payload.jobs.map((j: { job_id: string }) => j.job_id);
    expect(ids(await list(peer, { filter: { agent: 'conformance.versioned' } }))).toEqual([v1.payload.job_id, v2.payload.job_id]);
    expect(ids(await list(peer, { filter: { agent: 'conformance.versioned@2.0.0' } }))).toEqual([v2.payload.job_id]);
    expect(ids(await list(peer, { filter: { status: ['running', 'pending'] } }))).toEqual([slow.payload.job_id]);
    expect(ids(await list(peer, { filter: { status: ['success'] } }))).toEqual([v1.payload.job_id, v2.payload.job_id]);
    expect(ids(await list(peer, { filter: { created_after: cut } }))).toEqual([slow.payload.job_id]);
    expect(ids(await list(peer, { filter: { created_before: cut } }))).toEqual([v1.payload.job_id, v2.payload.job_id]);
  });

  it('pages with limit and an opaque cursor without gaps or repeats; limit is capped at 1000', async () => {
    runtime = authorityRuntime();
    const peer = await alice(runtime);
    const all: string[] = [];
    for (let i = 0; i < 7; i++) all.push((await submitAccepted(peer, 'conformance.echo', { i })).payload.job_id);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const reply = await list(peer, { limit: 3, cursor });
      seen.push(...reply.payload.jobs.map((j: { job_id: string }) => j.job_id));
      cursor = reply.payload.next_cursor;
      pages++;
    } while (cursor !== null && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toEqual(all);
    const big = await list(peer, { limit: 5000 });
    expect(big.type).toBe('session.jobs');
    expect(big.payload.jobs).toHaveLength(7);
  });

  it('answers a forged cursor or a bad filter with session.error INVALID_REQUEST carrying request_id', async () => {
    runtime = authorityRuntime();
    const peer = await alice(runtime);
    const bad = await list(peer, { cursor: 'not-a-cursor' });
    expect(bad.type).toBe('session.error');
    expect(bad.payload.code).toBe('INVALID_REQUEST');
    const badTime = await list(peer, { filter: { created_after: 'yesterday' } });
    expect(badTime.payload.code).toBe('INVALID_REQUEST');
  });

  it('drops terminal jobs after the retention window', async () => {
    runtime = authorityRuntime({ listRetentionSec: 0.05 });
    const peer = await alice(runtime);
    const acc = await submitAccepted(peer, 'conformance.echo', {});
    await peer.terminal(acc.payload.job_id);
    await sleep(120);
    expect((await list(peer)).payload.jobs).toEqual([]);
  });

  it('never lists another principal\'s jobs (and never credentials)', async () => {
    {
      runtime = authorityRuntime();
      const a = await alice(runtime);
      const b = await bob(runtime);
      const job = await submitAccepted(a, 'conformance.echo', {});
      const seenByBob = (await list(b)).payload.jobs.map((j: { job_id: string }) => j.job_id);
      expect(seenByBob).not.toContain(job.payload.job_id);
      const own = (await list(a)).payload.jobs;
      expect(own.every((j: Record<string, unknown>) => !('credentials' in j))).toBe(true);
      await runtime.close();
    }
  });

  it('rejects session.list_jobs when list_jobs was not negotiated', async () => {
    runtime = authorityRuntime();
    const { connected } = await import('./support/runtime-fixture.js');
    const peer = await connected(runtime, { features: ['ack'] });
    const reply = await list(peer);
    expect(reply.type).toBe('session.error');
    expect(reply.payload.code).toBe('INVALID_REQUEST');
  });

  it('parses limits: default 100, capped at 1000, non-positive or fractional refused; unknown statuses ignored', () => {
    expect(parseListQuery({}).limit).toBe(100);
    expect(parseListQuery({ limit: 5000 }).limit).toBe(MAX_LIMIT);
    expect(MAX_LIMIT).toBe(1000);
    for (const limit of [0, -1, 2.5, '10']) expect(() => parseListQuery({ limit })).toThrow(/limit/);
    expect([...parseListQuery({ filter: { status: ['running', 'bogus'] } }).statuses!]).toEqual(['running']);
  });
});
