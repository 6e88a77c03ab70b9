// Issue 14 item 4: ctx.emit(kind, body) sends any reserved kind with its generated body type (a
// kind added to schema/ needs no hand-written JobContext method), honours the kind's feature flag
// (§6.2), validates strictly (§8.2.1) and leaves result_chunk to resultStream() (§8.4).
import { afterEach, describe, expect, it } from 'vitest';
import { isARCPError } from '../../errors/index.js';
import { ARCPRuntime } from '../runtime.js';
import { TestPeer } from './support/test-peer.js';

let runtime: ARCPRuntime | undefined;
afterEach(async () => {
  await runtime?.close();
  runtime = undefined;
});

function start(): ARCPRuntime {
  const rt = new ARCPRuntime({ tokens: { t: 'alice' } });
  rt.registerAgent('emit.all', (_input, ctx) => {
    const sent = {
      status: ctx.emit('status', { phase: 'working', message: 'half way' }),
      thought: ctx.emit('thought', { text: 'hmm' }),
      progress: ctx.emit('progress', { current: 1, total: 2 }),
    };
    let bad: unknown = null;
    try {
      ctx.emit('log', { level: 'bogus', message: 'x' } as never);
    } catch (err) {
      bad = isARCPError(err) ? err.code : String(err);
    }
    let chunk: unknown = null;
    try {
      ctx.emit('result_chunk' as never, {} as never);
    } catch (err) {
      chunk = err instanceof TypeError ? 'TypeError' : String(err);
    }
    return { sent, bad, chunk };
  });
  return rt;
}

describe('ctx.emit(kind, body)', () => {
  it('sends reserved kinds, returns false for a kind whose feature was not negotiated, refuses bad bodies', async () => {
    runtime = start();
    const peer = TestPeer.connect(runtime);
    await peer.hello({ features: [] });
    const acc = await peer.accepted(peer.submit('emit.all'));
    const term = await peer.terminal(acc.payload.job_id);
    expect(term.type).toBe('job.result');
    expect(term.payload.result).toEqual({ sent: { status: true, thought: true, progress: false }, bad: 'INVALID_REQUEST', chunk: 'TypeError' });
    const kinds = peer.ofType('job.event').map((m) => m.payload.kind);
    expect(kinds).toContain('status');
    expect(kinds).toContain('thought');
    expect(kinds).not.toContain('progress');
    expect(peer.rawFrames.some((f) => f.includes('bogus'))).toBe(false);
  });

  it('sends a gated kind once its feature is negotiated', async () => {
    runtime = start();
    const peer = TestPeer.connect(runtime);
    await peer.hello({ features: ['progress'] });
    const acc = await peer.accepted(peer.submit('emit.all'));
    const term = await peer.terminal(acc.payload.job_id);
    expect((term.payload.result as { sent: { progress: boolean } }).sent.progress).toBe(true);
    const progress = peer.ofType('job.event').find((m) => m.payload.kind === 'progress');
    expect(progress?.payload.body).toEqual({ current: 1, total: 2 });
  });
});
