// Issue 13 x issue 12: an agent that never awaits ends while most of its output (and so its
// terminal) is still queued in the emit outbox (runtime-kit/runtime/limits/emit-outbox.ts). The
// process dies right after the store records the job as ended. On restart the client resuming
// its session must still get a terminal for the job, after its events, gap-free: a job record
// that says "ended" while its terminal is not in the session's stream would be restored as
// finished, and the client would wait for a terminal forever (what sqlite-kill9 saw).
// The kill -9 is simulated in-process: a store that commits up to that write and drops every
// write after it, and a second runtime on what it committed.
import { afterEach, expect, it } from 'vitest';
import { ARCPRuntime } from '../../runtime-kit/runtime/index.js';
import { MemoryRuntimeStore } from '../../runtime-kit/store/memory-store.js';
import type { JobRecord, RuntimeStore } from '../../runtime-kit/store/runtime-store.js';
import { TestPeer } from '../../runtime-kit/runtime/test/support/test-peer.js';

const WRITES = new Set(['saveSession', 'appendEvent', 'freeEvents', 'deleteSession', 'saveJob', 'appendJobHistory', 'deleteJob', 'saveIdempotencyKey', 'deleteIdempotencyKey', 'saveRevocation', 'deleteRevocation', 'appendAudit']);
const ENDED = new Set(['success', 'error', 'cancelled', 'timed_out']);

/** Forwards to `inner` until `dieAfter` accepts a committed job record; from then on every write is lost. */
function dyingStore(inner: MemoryRuntimeStore, dieAfter: (record: JobRecord) => boolean): { store: RuntimeStore; dead: () => boolean } {
  let dead = false;
  const store = new Proxy(inner, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver) as unknown;
      if (typeof value !== 'function') return value;
      if (!WRITES.has(String(key))) return value.bind(target);
      return (...args: unknown[]) => {
        if (dead) return undefined;
        const out = (value as (...a: unknown[]) => unknown).apply(target, args);
        if (key === 'saveJob' && dieAfter(args[0] as JobRecord)) dead = true;
        return out;
      };
    },
  });
  return { store, dead: () => dead };
}

function runtimeOn(store: RuntimeStore): ARCPRuntime {
  // Four frames a turn: a 200-event burst leaves most of it, and the terminal, queued.
  const rt = new ARCPRuntime({ tokens: { t: 'alice' }, store, logger: () => undefined, limits: { maxFramesPerTick: 4 } });
  rt.registerAgent('burst', (input, ctx) => {
    const { count } = input as { count: number };
    for (let i = 0; i < count; i++) void ctx.log('info', 'b', { i });
    return { done: count };
  });
  cleanups.push(() => rt.close());
  return rt;
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

it('a job whose terminal was still queued when the process died ends, after its events, on resume', async () => {
  const inner = new MemoryRuntimeStore();
  let jobId: string | undefined;
  const { store, dead } = dyingStore(inner, (r) => r.job_id === jobId && ENDED.has(r.status));
  const first = runtimeOn(store);
  await first.ready();
  const peer = TestPeer.connect(first);
  await peer.hello();
  const sessionId = peer.sessionId!;
  const token = peer.resumeToken!;
  const submit = peer.submit('burst', { count: 200 });
  jobId = (await peer.accepted(submit)).payload.job_id as string;
  await peer.terminal(jobId);
  expect(dead()).toBe(true); // the job's end was recorded: the "process" died right there

  const second = runtimeOn(inner);
  await second.ready();
  const again = TestPeer.connect(second);
  const welcome = await again.hello({ resume: { session_id: sessionId, resume_token: token, last_event_seq: 0 } });
  expect(welcome.type).toBe('session.welcome');
  const terminal = await again.terminal(jobId);
  // The store said the job ended, so its session's stream had its real terminal by then.
  expect(terminal.type).toBe('job.result');
  expect(terminal.payload.result).toEqual({ done: 200 });
  const seqs = again.sequenced().map((m) => m.event_seq!);
  expect(seqs).toEqual(seqs.map((_, k) => k + 1)); // gap-free from the start of the session
  const logs = again.received.filter((m) => m.job_id === jobId && m.payload?.kind === 'log').map((m) => m.payload.body.attributes.i as number);
  expect(logs).toEqual(Array.from({ length: 200 }, (_, k) => k)); // every event, in order
  expect(again.received.indexOf(terminal)).toBeGreaterThan(again.received.findLastIndex((m) => m.job_id === jobId && m.payload?.kind === 'log'));
  // The outcome the client got is the one the runtime lists.
  const list = again.send('session.list_jobs', {});
  const jobs = (await again.find((m) => m.type === 'session.jobs' && m.payload?.request_id === list)).payload.jobs as { job_id: string; status: string }[];
  expect(jobs.find((j) => j.job_id === jobId)?.status).toBe('success');
});
