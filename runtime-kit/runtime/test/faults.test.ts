// Each injected fault must produce the wire deviation it names (so the conformance harness can
// prove it catches it); the same scenarios without faults are asserted clean in the other tests.
import { afterEach, describe, expect, it } from 'vitest';
import { registerConformanceAgents } from '../../agents/conformance.js';
import { FAULT_NAMES, FaultSet, type FaultName } from '../faults.js';
import { ARCPRuntime } from '../runtime.js';
import { connected, gate, makeRuntime } from './support/runtime-fixture.js';
import { TestPeer } from './support/test-peer.js';

let runtime: ARCPRuntime;
afterEach(async () => runtime?.close());

function faulty(...faults: FaultName[]): ARCPRuntime {
  return registerConformanceAgents(makeRuntime({ faults }));
}

async function chattySeqs(rt: ARCPRuntime): Promise<number[]> {
  const peer = await connected(rt);
  const jobId = (await peer.accepted(peer.submit('conformance.chatty', { n: 12 }))).payload.job_id;
  await peer.terminal(jobId);
  return peer.sequenced().map((m) => m.event_seq!);
}

/** Runs a held job, drops the transport after `running`, lets the job log while away, returns what resume needs. */
async function awayScenario(rt: ARCPRuntime) {
  const g = gate();
  rt.registerAgent('away', async (_i, ctx) => {
    await g.promise;
    ctx.log('info', 'while away');
    return 'ok';
  });
  const peer = await connected(rt);
  const jobId = (await peer.accepted(peer.submit('away'))).payload.job_id;
  await peer.find((m) => m.payload?.body?.phase === 'running');
  await peer.close();
  await peer.settle();
  g.open();
  await new Promise((r) => setTimeout(r, 10));
  return { sessionId: peer.sessionId!, token: peer.resumeToken!, jobId };
}

describe('fault injection (faults.ts)', () => {
  it('rejects unknown fault names and costs nothing when unused', () => {
    expect(() => new FaultSet(['no-such-fault' as FaultName])).toThrow(/unknown fault/);
    const none = new FaultSet();
    expect(FAULT_NAMES.some((f) => none.has(f))).toBe(false);
    expect(none.any).toBe(false);
  });

  it('seq-skip leaves a gap; seq-repeat repeats a seq', async () => {
    runtime = faulty('seq-skip');
    const skipped = await chattySeqs(runtime);
    expect(skipped.some((s, i) => i > 0 && s !== skipped[i - 1]! + 1 && s > skipped[i - 1]!)).toBe(true);
    await runtime.close();
    runtime = faulty('seq-repeat');
    const repeated = await chattySeqs(runtime);
    expect(new Set(repeated).size).toBeLessThan(repeated.length);
  });

  it('resume-off-by-one skips the first missed event on replay', async () => {
    runtime = faulty('resume-off-by-one');
    const away = await awayScenario(runtime);
    const peer = TestPeer.connect(runtime);
    await peer.hello({ resume: { session_id: away.sessionId, resume_token: away.token, last_event_seq: 1 } });
    await peer.find((m) => m.type === 'job.result');
    expect(peer.sequenced()[0]!.event_seq).toBe(3); // 2 was owed
  });

  it('drop-while-away loses events emitted while detached', async () => {
    runtime = faulty('drop-while-away');
    const away = await awayScenario(runtime);
    const peer = TestPeer.connect(runtime);
    await peer.hello({ resume: { session_id: away.sessionId, resume_token: away.token, last_event_seq: 1 } });
    await peer.settle(10);
    expect(peer.sequenced()).toEqual([]); // the log and the result were never buffered
  });

  it('resume-token-reuse accepts a used token; resume-token-not-rotated re-issues it', async () => {
    runtime = faulty('resume-token-reuse');
    let away = await awayScenario(runtime);
    const first = TestPeer.connect(runtime);
    await first.hello({ resume: { session_id: away.sessionId, resume_token: away.token, last_event_seq: 1 } });
    await first.close();
    await first.settle();
    const reuse = TestPeer.connect(runtime);
    expect((await reuse.hello({ resume: { session_id: away.sessionId, resume_token: away.token, last_event_seq: 1 } })).type).toBe('session.welcome');
    await runtime.close();
    runtime = faulty('resume-token-not-rotated');
    away = await awayScenario(runtime);
    const again = TestPeer.connect(runtime);
    const welcome = await again.hello({ resume: { session_id: away.sessionId, resume_token: away.token, last_event_seq: 1 } });
    expect(welcome.payload.resume_token).toBe(away.token);
  });

  it('double-terminal emits the terminal twice', async () => {
    runtime = faulty('double-terminal');
    const peer = await connected(runtime);
    const jobId = (await peer.accepted(peer.submit('conformance.echo', 1))).payload.job_id;
    await peer.terminal(jobId);
    await peer.settle();
    expect(peer.ofType('job.result').filter((m) => m.job_id === jobId)).toHaveLength(2);
  });

  it('close-kills-jobs cancels in-flight jobs on session.close', async () => {
    runtime = faulty('close-kills-jobs');
    const away = gate();
    runtime.registerAgent('held', async (_i, ctx) => {
      await Promise.race([away.promise, new Promise((_r, rej) => ctx.signal.addEventListener('abort', () => rej(ctx.signal.reason)))]);
      return 'ok';
    });
    const peer = await connected(runtime);
    const jobId = (await peer.accepted(peer.submit('held'))).payload.job_id;
    await peer.find((m) => m.payload?.body?.phase === 'running');
    peer.send('session.close', {});
    await peer.closed;
    await new Promise((r) => setTimeout(r, 10));
    const back = TestPeer.connect(runtime);
    await back.hello({ resume: { session_id: peer.sessionId!, resume_token: peer.resumeToken!, last_event_seq: 1 } });
    expect((await back.terminal(jobId)).payload.code).toBe('CANCELLED');
  });

  it('feature-outside-negotiated sends progress without the flag', async () => {
    runtime = faulty('feature-outside-negotiated');
    const peer = await connected(runtime, { features: [] });
    const jobId = (await peer.accepted(peer.submit('conformance.slow', { steps: 2, interval_ms: 1 }))).payload.job_id;
    await peer.terminal(jobId);
    expect(peer.ofType('job.event').filter((m) => m.payload.kind === 'progress')).toHaveLength(2);
  });

  it('cancel-ignored lets a normal return after cancel end in job.result success', async () => {
    runtime = faulty('cancel-ignored');
    runtime.registerAgent('stubborn', (_i, ctx) => new Promise((r) => ctx.signal.addEventListener('abort', () => r('mine'))));
    const peer = await connected(runtime);
    const jobId = (await peer.accepted(peer.submit('stubborn'))).payload.job_id;
    await peer.find((m) => m.payload?.body?.phase === 'running');
    peer.send('job.cancel', {}, { job_id: jobId });
    expect((await peer.terminal(jobId)).type).toBe('job.result');
  });
});
