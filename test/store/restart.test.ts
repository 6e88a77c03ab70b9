// Restart on the same store (issue 12), in-process, for every RuntimeStore that survives the
// runtime object: the memory store (same object) and SQLite (same file, a fresh connection).
// What a second runtime on the same store must give the client of the first: exact replay of
// every event emitted before, the restart terminal for the job that was running, finished
// jobs still listed, idempotency keys still answering.
import { describe, expect, it } from 'vitest';
import { ARCPRuntime } from '../../runtime-kit/runtime/index.js';
import type { RuntimeStore } from '../../runtime-kit/store/runtime-store.js';
import { TestPeer, type Msg } from '../../runtime-kit/runtime/test/support/test-peer.js';
import { storeEngines } from './support/store-engines.js';

const { engines, cleanup } = storeEngines('restart', ['memory', 'sqlite']);

function runtimeOn(store: RuntimeStore): ARCPRuntime {
  const rt = new ARCPRuntime({ tokens: { t: 'alice' }, store, logger: () => undefined });
  rt.registerAgent('echo', (input) => input);
  // Logs three lines, then waits until cancelled: "running when the process died".
  rt.registerAgent('hang', async (_input, ctx) => {
    for (let i = 1; i <= 3; i++) ctx.log('info', `line ${i}`);
    await new Promise((_r, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason)));
  });
  cleanup(() => rt.close());
  return rt;
}

async function list(peer: TestPeer): Promise<Msg> {
  const id = peer.send('session.list_jobs', {});
  return peer.find((m) => m.type === 'session.jobs' && m.payload?.request_id === id);
}

describe.each(engines)('restart on the same $name store', (engine) => {
  it('resume replays every event verbatim, the running job ends with INTERNAL_ERROR runtime_restarted, jobs listed, keys answer', async () => {
    const store = await engine.open();
    const first = runtimeOn(store);
    await first.ready();
    const peer = TestPeer.connect(first);
    await peer.hello();
    const echoReq = peer.submit('echo', { v: 1 }, { idempotency_key: 'k-1' });
    const echoJob = (await peer.accepted(echoReq)).payload.job_id as string;
    await peer.terminal(echoJob);
    const hangJob = (await peer.accepted(peer.submit('hang'))).payload.job_id as string;
    await peer.find((m) => m.payload?.body?.message === 'line 3');
    const seen = peer.sequenced();
    const last = seen[seen.length - 1]!.event_seq!;
    const token = peer.resumeToken!;
    const sessionId = peer.sessionId!;
    // "The process dies": everything the client saw is durable (it was sent only once it was);
    // the first runtime is never used again.
    await store.flush();
    await peer.close();

    const second = runtimeOn(await engine.reopen(store));
    await second.ready();
    const again = TestPeer.connect(second);
    const welcome = await again.hello({ resume: { session_id: sessionId, resume_token: token, last_event_seq: 1 } });
    expect(welcome.type).toBe('session.welcome');
    expect(welcome.session_id).toBe(sessionId);
    const terminal = await again.terminal(hangJob);
    // exact replay: the same frames, byte for byte, for every seq > 1 emitted before the restart
    const replayed = again.rawFrames.filter((f) => {
      const seq = (JSON.parse(f) as Msg).event_seq;
      return seq !== undefined && seq <= last;
    });
    const original = peer.rawFrames.filter((f) => {
      const seq = (JSON.parse(f) as Msg).event_seq;
      return seq !== undefined && seq > 1;
    });
    expect(replayed).toEqual(original);
    // then the restart terminal, next in the same seq space
    expect(terminal.event_seq).toBe(last + 1);
    expect(terminal.type).toBe('job.error');
    expect(terminal.payload).toMatchObject({ final_status: 'error', code: 'INTERNAL_ERROR', retryable: true, details: { reason: 'runtime_restarted' } });

    const jobs = (await list(again)).payload.jobs as { job_id: string; status: string }[];
    expect(jobs.map((j) => [j.job_id, j.status])).toEqual([
      [echoJob, 'success'],
      [hangJob, 'error'],
    ]);
    // the idempotency key still names the first job, and its terminal is re-sent
    const retry = again.submit('echo', { v: 1 }, { idempotency_key: 'k-1' });
    const accepted = await again.accepted(retry);
    expect(accepted.type).toBe('job.accepted');
    expect(accepted.payload.job_id).toBe(echoJob);
    expect((await again.find((m) => m.type === 'job.result' && m.job_id === echoJob)).payload.result).toEqual({ v: 1 });
  });

  it('a wrong resume token is still refused after the restart (only its hash was stored)', async () => {
    const store = await engine.open();
    const first = runtimeOn(store);
    const peer = TestPeer.connect(first);
    await peer.hello();
    await peer.terminal((await peer.accepted(peer.submit('echo', {}))).payload.job_id);
    await store.flush();
    await peer.close();
    const second = runtimeOn(await engine.reopen(store));
    await second.ready();
    const again = TestPeer.connect(second);
    const reply = await again.hello({ resume: { session_id: peer.sessionId!, resume_token: `rt_${'0'.repeat(64)}`, last_event_seq: 0 } });
    expect(reply.type).toBe('session.error');
    expect(reply.payload.code).toBe('RESUME_WINDOW_EXPIRED');
  });
});
