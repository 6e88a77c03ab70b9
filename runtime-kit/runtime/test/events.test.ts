import { afterEach, describe, expect, it } from 'vitest';
import { registerConformanceAgents } from '../../agents/conformance.js';
import { ARCPRuntime } from '../runtime.js';
import { connected, makeRuntime } from './support/runtime-fixture.js';

let runtime: ARCPRuntime;
afterEach(async () => runtime?.close());

describe('event_seq (§8.3)', () => {
  it('is session-scoped, starts at 1, strictly monotonic and gap-free across concurrent jobs', async () => {
    runtime = registerConformanceAgents(makeRuntime());
    runtime.registerAgent('interleaver', async (input, ctx) => {
      const n = (input as { n: number }).n;
      for (let i = 0; i < n; i++) {
        ctx.log('debug', `tick ${i}`);
        await new Promise((r) => setImmediate(r)); // yield so jobs interleave
      }
      return n;
    });
    const peer = await connected(runtime);
    const reqs = [peer.submit('interleaver', { n: 30 }), peer.submit('interleaver', { n: 20 }), peer.submit('conformance.chatty', { n: 25 })];
    const jobIds = await Promise.all(reqs.map(async (r) => (await peer.accepted(r)).payload.job_id as string));
    await Promise.all(jobIds.map((id) => peer.terminal(id)));
    const seqs = peer.sequenced().map((m) => m.event_seq);
    expect(seqs.length).toBe(3 + 30 + 20 + 25 + 3); // running + logs + terminals
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    // jobs really interleaved (otherwise the test proves little)
    const owners = peer.sequenced().map((m) => m.job_id);
    const switches = owners.filter((id, i) => i > 0 && id !== owners[i - 1]).length;
    expect(switches).toBeGreaterThan(3);
    // unsequenced types never carry a seq
    for (const m of peer.received.filter((m) => !['job.event', 'job.result', 'job.error'].includes(m.type))) {
      expect(m.event_seq).toBeUndefined();
    }
  });
});

describe('JobContext (§8.2)', () => {
  it('emits every event kind with the documented bodies', async () => {
    runtime = makeRuntime();
    runtime.registerAgent('kinds', async (_input, ctx) => {
      ctx.log('warn', 'careful', { file: 'a.ts' });
      ctx.thought('thinking');
      ctx.status('indexing', 'step 1');
      ctx.metric('latency', 12.5, { unit: 'ms', dimensions: { region: 'eu' } });
      ctx.progress(3, { total: 10, units: 'files', message: 'x' });
      ctx.artifactRef({ uri: 'file:///tmp/a', content_type: 'text/plain', byte_size: 3 });
      ctx.event('x-vendor.acme.ping', { ok: true });
      const sum = await ctx.toolCall('calc.add', { a: 1, b: 2 }, () => 3);
      const d = ctx.authorize('fs.read', '/etc/passwd');
      return { sum, allowed: d.allowed };
    });
    const peer = await connected(runtime);
    const lease_request = { 'tool.call': ['calc.*'], 'fs.read': ['/etc/**'] };
    const jobId = (await peer.accepted(peer.submit('kinds', {}, { lease_request }))).payload.job_id;
    const terminal = await peer.terminal(jobId);
    expect(terminal.payload.result).toEqual({ sum: 3, allowed: true });
    const bodies = peer.ofType('job.event').map((m) => [m.payload.kind, m.payload.body]);
    expect(bodies).toEqual([
      ['status', { phase: 'running' }],
      ['log', { level: 'warn', message: 'careful', attributes: { file: 'a.ts' } }],
      ['thought', { text: 'thinking' }],
      ['status', { phase: 'indexing', message: 'step 1' }],
      ['metric', { name: 'latency', value: 12.5, unit: 'ms', dimensions: { region: 'eu' } }],
      ['progress', { current: 3, total: 10, units: 'files', message: 'x' }],
      ['artifact_ref', { uri: 'file:///tmp/a', content_type: 'text/plain', byte_size: 3 }],
      ['x-vendor.acme.ping', { ok: true }],
      ['tool_call', { tool: 'calc.add', args: { a: 1, b: 2 }, call_id: expect.stringMatching(/^call_/) }],
      ['tool_result', { call_id: expect.stringMatching(/^call_/), result: 3 }],
    ]);
    const [call, result] = peer.ofType('job.event').slice(-2);
    expect(result!.payload.body.call_id).toBe(call!.payload.body.call_id);
    for (const m of peer.ofType('job.event')) expect(m.payload.ts).toMatch(/Z$/);
  });

  it('refuses an invalid body synchronously (strict outbound validation) without consuming a seq', async () => {
    runtime = makeRuntime();
    runtime.registerAgent('badlog', (_i, ctx) => {
      try {
        ctx.log('loud' as never, 'x');
        return 'not refused';
      } catch (err) {
        ctx.log('info', 'after');
        return (err as { code?: string }).code;
      }
    });
    const peer = await connected(runtime);
    const jobId = (await peer.accepted(peer.submit('badlog'))).payload.job_id;
    expect((await peer.terminal(jobId)).payload.result).toBe('INVALID_REQUEST') // typed for the agent (issue 9), not the local encoder code;
    expect(peer.sequenced().map((m) => m.event_seq)).toEqual([1, 2, 3]);
  });

  it('does not send progress when the session did not negotiate it (§6.2)', async () => {
    runtime = makeRuntime();
    runtime.registerAgent('prog', (_i, ctx) => ctx.progress(1, { total: 2 }));
    const peer = await connected(runtime, { features: ['ack'] });
    const jobId = (await peer.accepted(peer.submit('prog'))).payload.job_id;
    expect((await peer.terminal(jobId)).payload.result).toBe(false);
    expect(peer.ofType('job.event').filter((m) => m.payload.kind === 'progress')).toEqual([]);
  });

  it('surfaces an agent exception inside toolCall as a tool_result error and a job.error', async () => {
    runtime = makeRuntime();
    runtime.registerAgent('toolfail', (_i, ctx) => ctx.toolCall('net.get', {}, () => Promise.reject(new Error('ECONNRESET'))));
    const peer = await connected(runtime);
    const jobId = (await peer.accepted(peer.submit('toolfail', {}, { lease_request: { 'tool.call': ['net.get'] } }))).payload.job_id;
    expect((await peer.terminal(jobId)).payload.code).toBe('INTERNAL_ERROR');
    const tr = peer.ofType('job.event').find((m) => m.payload.kind === 'tool_result')!;
    expect(tr.payload.body.error).toMatchObject({ code: 'INTERNAL_ERROR', message: expect.stringMatching(/ECONNRESET/), retryable: true });
  });
});

describe('result streaming (§8.4)', () => {
  it('streams conformance.streamer output as ordered chunks ending with more:false and a result_id terminal', async () => {
    runtime = registerConformanceAgents(makeRuntime());
    const peer = await connected(runtime);
    const jobId = (await peer.accepted(peer.submit('conformance.streamer', { chunks: 3, chunk_size: 30, encoding: 'utf8' }))).payload.job_id;
    const terminal = await peer.terminal(jobId);
    const chunks = peer.ofType('job.event').filter((m) => m.payload.kind === 'result_chunk').map((m) => m.payload.body);
    expect(chunks.map((c) => [c.chunk_seq, c.more, c.encoding])).toEqual([
      [0, true, 'utf8'],
      [1, true, 'utf8'],
      [2, false, 'utf8'],
    ]);
    const assembled = chunks.map((c) => c.data).join('');
    const expected = Array.from({ length: 90 }, (_, k) => String.fromCharCode(97 + (k % 26))).join('');
    expect(assembled).toBe(expected);
    expect(new Set(chunks.map((c) => c.result_id)).size).toBe(1);
    expect(terminal.payload).toMatchObject({ final_status: 'success', result_id: chunks[0]!.result_id, result_size: 90 });
    expect(terminal.payload.result).toBeUndefined();
  });

  it('streams base64 bytes k mod 256', async () => {
    runtime = registerConformanceAgents(makeRuntime());
    const peer = await connected(runtime);
    const jobId = (await peer.accepted(peer.submit('conformance.streamer', { chunks: 2, chunk_size: 300, encoding: 'base64' }))).payload.job_id;
    await peer.terminal(jobId);
    const bytes = Buffer.concat(
      peer.ofType('job.event').filter((m) => m.payload.kind === 'result_chunk').map((m) => Buffer.from(m.payload.body.data, 'base64')),
    );
    expect([...bytes]).toEqual(Array.from({ length: 600 }, (_, k) => k % 256));
  });

  it('fails the job with INTERNAL_ERROR when a chunk or the total exceeds its cap (§14)', async () => {
    runtime = makeRuntime({ maxResultChunkBytes: 10, maxResultBytes: 25 });
    runtime.registerAgent('bigchunk', (_i, ctx) => ctx.resultStream().write('x'.repeat(11)));
    runtime.registerAgent('bigtotal', (_i, ctx) => {
      const s = ctx.resultStream();
      for (let i = 0; i < 3; i++) s.write('y'.repeat(10));
    });
    const peer = await connected(runtime);
    for (const agent of ['bigchunk', 'bigtotal']) {
      const jobId = (await peer.accepted(peer.submit(agent))).payload.job_id;
      const terminal = await peer.terminal(jobId);
      expect(terminal.type).toBe('job.error');
      expect(terminal.payload).toMatchObject({ code: 'INTERNAL_ERROR', retryable: true });
    }
  });

  it('refuses resultStream() when result_chunk was not negotiated', async () => {
    runtime = registerConformanceAgents(makeRuntime());
    const peer = await connected(runtime, { features: [] });
    const jobId = (await peer.accepted(peer.submit('conformance.streamer', { chunks: 1, chunk_size: 1 }))).payload.job_id;
    expect((await peer.terminal(jobId)).payload.code).toBe('INVALID_REQUEST');
    expect(peer.ofType('job.event').filter((m) => m.payload.kind === 'result_chunk')).toEqual([]);
  });
});
