// Invariant (issue 13, client side): what a runtime sends one job handle costs bounded memory
// whether or not anyone reads it. Unread events past maxBufferedEventsPerJob /
// maxBufferedEventBytesPerJob are dropped oldest first and reported once, typed, on the next
// read; result chunks past maxResultBytes fail that job's `done`, typed; other jobs go on.
// Our real client over a real WebSocket against a raw `ws` server (support/hostile-runtime.ts).
import { afterEach, describe, expect, it } from 'vitest';
import { connectWebSocket } from '../../transport/websocket-client.js';
import { DEFAULT_MAX_BUFFERED_EVENTS_PER_JOB, DEFAULT_MAX_RESULT_BYTES, handleLimitsFrom } from '../buffer-limits.js';
import { ChunkAssembler } from '../chunk-assembler.js';
import { ARCPClient } from '../client.js';
import { EventQueue } from '../event-queue.js';
import type { JobEvent, ARCPClientOptions } from '../types.js';
import { startHostileRuntime, type Frame, type HostileConnection } from './support/hostile-runtime.js';

/** Closers of what each test opened, run newest first. */
const opened: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  for (const o of opened.splice(0).reverse()) await o.close();
});

const ts = () => new Date().toISOString();

/** A runtime that accepts every submit (job ids from `jobIds`, in order) and lets the test script the rest on `conn`. */
async function setUp(opts: Partial<ARCPClientOptions>, jobIds: string[] = []) {
  let conn: HostileConnection | undefined;
  let seq = 0;
  const fromClient: Frame[] = [];
  const hostile = await startHostileRuntime((c) => {
    conn = c;
    c.socket.on('message', (data) => {
      const f = JSON.parse(String(data)) as Frame;
      fromClient.push(f);
      if (f.type === 'job.cancel') return c.send('job.cancelled', { job_id: f.job_id, reason: f.payload.reason }, { job_id: f.job_id, event_seq: ++seq });
      if (f.type !== 'job.submit') return;
      const jobId = jobIds.shift()!;
      c.send('job.accepted', { job_id: jobId, request_id: f.id, lease: {}, accepted_at: ts(), agent: 'x@1' }, { job_id: jobId, trace_id: f.trace_id });
    });
  });
  opened.push(hostile);
  const c = new ARCPClient({ client: { name: 't', version: '1' }, token: 'x', closeTimeoutMs: 1, ...opts });
  opened.push(c);
  await c.connect(await connectWebSocket(hostile.url));
  let received = 0;
  const waiters: Array<{ n: number; resolve: () => void }> = [];
  c.on('event', () => {
    received++;
    for (const w of waiters.filter((x) => received >= x.n)) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve();
    }
  });
  return {
    client: c,
    /** Sends one sequenced job.event; returns its seq. */
    event(jobId: string, kind: string, body: unknown): number {
      conn!.send('job.event', { kind, ts: ts(), body }, { job_id: jobId, event_seq: ++seq });
      return seq;
    },
    result(jobId: string, payload: Frame): void {
      conn!.send('job.result', payload, { job_id: jobId, event_seq: ++seq });
    },
    /** Frames of `type` the client sent. */
    sent: (type: string) => fromClient.filter((f) => f.type === type),
    /** Resolves once the client has taken in `n` job events in all. */
    received: (n: number) => (received >= n ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ n, resolve }))),
  };
}

describe('unread events of one handle', () => {
  it('a handle nobody reads keeps at most 10,000 events (it held all 25,000); the next read throws ARCP_KIT_EVENTS_DROPPED once, later events and done arrive', async () => {
    const rt = await setUp({}, ['job_UNREAD']);
    const handle = await rt.client.submit({ agent: 'x' });
    const sent = 25_000;
    for (let i = 0; i < sent; i++) rt.event('job_UNREAD', 'log', { level: 'info', message: `e${i}` });
    await rt.received(sent);
    expect(handle.bufferedEvents).toBe(10_000);

    const it = handle.events()[Symbol.asyncIterator]();
    await expect(it.next()).rejects.toMatchObject({
      code: 'ARCP_KIT_EVENTS_DROPPED',
      retryable: false,
      details: { jobId: 'job_UNREAD', dropped: 15_000, first_seq: 1, last_seq: 15_000 },
    });
    // Nothing kept was lost: the stream goes on with the oldest event kept.
    expect((await it.next()).value).toMatchObject({ seq: 15_001, body: { message: 'e15000' } });

    const later = [rt.event('job_UNREAD', 'log', { level: 'info', message: 'later' })];
    rt.result('job_UNREAD', { final_status: 'success', result: { ok: true } });
    const seqs: number[] = [];
    for await (const ev of handle.events()) seqs.push(ev.seq);
    expect(seqs.length).toBe(9_999 + later.length);
    expect(seqs[0]).toBe(15_002);
    expect(seqs[seqs.length - 1]).toBe(later[0]);
    await expect(handle.done).resolves.toMatchObject({ finalStatus: 'success', result: { ok: true } });
  });

  it('the byte bound holds for large events, on a handle only the runtime named (adopted), as for a submitted one', async () => {
    const cap = 64 * 1024;
    const rt = await setUp({ maxBufferedEventBytesPerJob: cap });
    const message = 'x'.repeat(2_000); // each frame is longer than this
    const sent = 500;
    for (let i = 0; i < sent; i++) rt.event('job_ADOPTED', 'log', { level: 'info', message });
    await rt.received(sent);
    const handle = rt.client.job('job_ADOPTED');
    const kept = handle.bufferedEvents;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThanOrEqual(Math.floor(cap / message.length));
    const it = handle.events()[Symbol.asyncIterator]();
    await expect(it.next()).rejects.toMatchObject({ code: 'ARCP_KIT_EVENTS_DROPPED', details: { dropped: sent - kept, first_seq: 1, last_seq: sent - kept } });
    expect((await it.next()).value).toMatchObject({ seq: sent - kept + 1 });
  });
});

describe('streamed result of one job', () => {
  it('chunks past maxResultBytes fail that job with ARCP_KIT_RESULT_TOO_LARGE (it assembled them all); another job still gets its result, and cancel() still reaches the job', async () => {
    const rt = await setUp({ maxResultBytes: 50_000 }, ['job_BIG', 'job_SMALL']);
    const big = await rt.client.submit({ agent: 'x' });
    const small = await rt.client.submit({ agent: 'x' });
    const data = 'y'.repeat(1_000);
    const chunks = 100;
    for (let i = 0; i < chunks; i++) rt.event('job_BIG', 'result_chunk', { result_id: 'res_BIG', chunk_seq: i, data, encoding: 'utf8', more: true });
    rt.event('job_SMALL', 'result_chunk', { result_id: 'res_SMALL', chunk_seq: 0, data: 'ab', encoding: 'utf8', more: true });
    rt.event('job_SMALL', 'result_chunk', { result_id: 'res_SMALL', chunk_seq: 1, data: 'c', encoding: 'utf8', more: false });
    rt.result('job_SMALL', { final_status: 'success', result_id: 'res_SMALL', result_size: 3 });
    await expect(big.done).rejects.toMatchObject({
      code: 'ARCP_KIT_RESULT_TOO_LARGE',
      retryable: false,
      details: { jobId: 'job_BIG', resultId: 'res_BIG', maxResultBytes: 50_000 },
    });
    await expect(small.done).resolves.toMatchObject({ finalStatus: 'success', result: 'abc', resultId: 'res_SMALL' });
    // The job still runs at the runtime: the handle given up on can still cancel it.
    await big.cancel('result too large');
    expect(rt.sent('job.cancel')).toEqual([expect.objectContaining({ job_id: 'job_BIG', payload: { reason: 'result too large' } })]);
  });
});

describe('the bounded parts alone', () => {
  it('EventQueue: past maxItems the oldest are dropped; the next read rejects once with what was dropped, then the rest follow', async () => {
    const q = new EventQueue<number>({ maxItems: 3, maxBytes: Infinity, overflow: (dropped, first, last) => ({ dropped, first, last }) });
    for (let i = 1; i <= 5; i++) q.push(i);
    expect(q.size).toBe(3);
    q.end();
    await expect(q.next()).rejects.toEqual({ dropped: 2, first: 1, last: 2 });
    const rest: number[] = [];
    for await (const v of q) rest.push(v);
    expect(rest).toEqual([3, 4, 5]);
  });

  it('a bound given as NaN keeps its default (NaN compares false against every size: no bound at all); 0 means 1, Infinity none', () => {
    expect(handleLimitsFrom({ maxBufferedEventsPerJob: Number.NaN, maxBufferedEventBytesPerJob: 0, maxResultBytes: Infinity })).toEqual({
      maxBufferedEvents: DEFAULT_MAX_BUFFERED_EVENTS_PER_JOB,
      maxBufferedEventBytes: 1,
      maxResultBytes: Infinity,
    });
  });

  it('ChunkAssembler: 256 MiB by default, and a flood of empty chunks is bounded too (64 charged per chunk)', () => {
    expect(new ChunkAssembler().maxBytes).toBe(DEFAULT_MAX_RESULT_BYTES);
    const a = new ChunkAssembler(64 * 100);
    const outcomes = new Set<string>();
    for (let i = 0; i < 100; i++) outcomes.add(a.add({ result_id: 'res_E', chunk_seq: i, data: '', encoding: 'utf8', more: true }));
    expect([...outcomes]).toEqual(['kept']);
    expect(a.add({ result_id: 'res_E', chunk_seq: 100, data: '', encoding: 'utf8', more: true })).toBe('too_large');
    expect(a.heldBytes).toBe(0);
    expect(a.has('res_E')).toBe(false);
  });

  it('a settled handle drops the chunks of a result_id its terminal never named', async () => {
    const rt = await setUp({}, ['job_STRAY']);
    const handle = await rt.client.submit({ agent: 'x' });
    rt.event('job_STRAY', 'result_chunk', { result_id: 'res_STRAY', chunk_seq: 0, data: 'z'.repeat(10_000), encoding: 'utf8', more: true });
    rt.result('job_STRAY', { final_status: 'success', result: 'inline' });
    await expect(handle.done).resolves.toMatchObject({ result: 'inline' });
    const events: JobEvent[] = [];
    for await (const ev of handle.events()) events.push(ev);
    expect(events.map((e) => e.kind)).toEqual(['result_chunk']);
    expect((handle as unknown as { chunks: ChunkAssembler }).chunks.heldBytes).toBe(0);
  });
});
