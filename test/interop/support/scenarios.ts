// The features both sides support, each as one scenario run through an Endpoint (either
// client against the other side's runtime). A scenario throws Failure with the frame that shows
// what went wrong, or NotApplicable when the transport cannot express it.
import type { ResumeForm } from '../../../runtime-kit/client/index.js';
import { within, type Endpoint, type Ev, type Job, type Outcome, type Session } from './sides.js';

export class Failure extends Error {
  constructor(message: string, readonly frame?: unknown) {
    super(message);
  }
}
export class NotApplicable extends Error {}

/** Liveness bounds for answers that may never come (never asserted on as speed). */
const TERMINAL_MS = 30_000;

function check(cond: unknown, message: string, frame?: unknown): asserts cond {
  if (!cond) throw new Failure(message, frame);
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

async function done(job: Job, what = 'terminal'): Promise<Outcome> {
  return within(job.done(), TERMINAL_MS, `${what} for ${job.jobId}`).catch((e: Error) => {
    throw new Failure(e.message);
  });
}

async function succeed(job: Job): Promise<unknown> {
  const o = await done(job);
  check(o.ok, `job ended ${o.ok ? '' : `${o.code}: ${o.message}`}`);
  return o.result;
}

/** Waits until `cond()` holds, polling on the event loop (bounded, never asserted on as speed). */
async function until(cond: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + TERMINAL_MS;
  while (!cond()) {
    if (Date.now() > deadline) throw new Failure(`no ${what} within ${TERMINAL_MS / 1000} s`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** A submit's outcome, whether the runtime refused the submit itself or ended the job. */
async function outcomeOf(s: Session, agent: string, input: unknown, opts: { lease?: Record<string, string[]> } = {}): Promise<Outcome> {
  let job: Job;
  try {
    job = await within(s.submit(agent, input, opts), TERMINAL_MS, `answer to submit ${agent}`);
  } catch (e: any) {
    return { ok: false, code: String(e?.code ?? 'ERROR'), message: String(e?.message ?? e) };
  }
  return done(job);
}

const progressOf = (events: Ev[]): number[] => events.filter((e) => e.kind === 'progress').map((e) => e.body?.current);
const lastFrame = (s: Session, pred: (f: any) => boolean): unknown => [...s.inbound].reverse().find(pred);

/** Runs `fn` in a fresh session, closes it, then checks the wire carried nothing out of form. */
async function session<T>(ep: Endpoint, fn: (s: Session) => Promise<T>): Promise<T> {
  const s = await ep.open();
  let out: T;
  try {
    out = await fn(s);
  } finally {
    await within(s.close(), 5_000, 'close').catch(() => undefined);
  }
  check(s.inbound.length > 0, 'no inbound frame was recorded (the wire check would be vacuous)');
  const problems = s.wireProblems();
  check(problems.length === 0, `wire: ${problems[0]}`);
  return out;
}

export interface Feature {
  id: string;
  title: string;
  run(ep: Endpoint): Promise<void>;
}

const NEGOTIABLE = ['heartbeat', 'ack', 'list_jobs', 'subscribe', 'lease_expires_at', 'cost.budget', 'progress', 'result_chunk', 'agent_versions'];

function resumable(ep: Endpoint, form: ResumeForm): void {
  if (!ep.multiSession) throw new NotApplicable('one session per stdio process: nothing to reconnect to');
  if (!ep.resumeForms.includes(form)) throw new NotApplicable(`the client cannot send the ${form} form`);
}

async function resumeOrFail(s: Session, opts: { form?: ResumeForm; fromSeq?: number }): Promise<Session> {
  try {
    return await within(s.resume(opts), TERMINAL_MS, 'answer to the resume');
  } catch (e: any) {
    const frames: any[] = e?.frames ?? [];
    throw new Failure(`resume failed: ${e?.code ?? ''} ${e?.message ?? e}`, frames.length ? frames[frames.length - 1] : null);
  }
}

/** Drop mid-job, resume from the latest seq: events emitted while away, then the terminal. */
async function dropAndResume(ep: Endpoint, form: ResumeForm): Promise<void> {
  resumable(ep, form);
  const s = await ep.open();
  // 250 ms between events: the drop lands well inside a gap, whatever the machine's load.
  const job = await s.submit('conformance.slow', { steps: 6, interval_ms: 250 });
  await until(() => progressOf(job.events).length >= 2, 'two progress events before the drop');
  await s.drop();
  const s2 = await resumeOrFail(s, { form });
  try {
    const adopted = s2.adopt(job.jobId);
    const o = await done(adopted, 'terminal after resume');
    const seen = [...new Set([...progressOf(job.events), ...progressOf(adopted.events)])].sort((a, b) => a - b);
    check(same(seen, [1, 2, 3, 4, 5, 6]), `progress seen across the resume: ${seen.join(',')}`, lastFrame(s2, (f) => f.job_id === job.jobId));
    check(o.ok && same(o.result, { steps: 6 }), `terminal after resume: ${JSON.stringify(o)}`, lastFrame(s2, (f) => f.job_id === job.jobId));
  } finally {
    await within(s2.close(), 5_000, 'close').catch(() => undefined);
  }
}

/** A finished job, then drop and resume from an earlier seq: the stored events are replayed in order. */
async function resumeReplay(ep: Endpoint): Promise<void> {
  resumable(ep, 'hello');
  const s = await ep.open();
  const job = await s.submit('conformance.slow', { steps: 3, interval_ms: 5 });
  await succeed(job);
  const from = job.events.find((e) => e.kind === 'progress' && e.body?.current === 1)!.seq;
  await s.drop();
  const s2 = await resumeOrFail(s, { fromSeq: from });
  try {
    const adopted = s2.adopt(job.jobId);
    const o = await done(adopted, 'replayed terminal');
    check(o.ok && same(o.result, { steps: 3 }), `replayed terminal ${JSON.stringify(o)}`);
    const replayed = adopted.events.map((e) => e.seq);
    const want = job.events.filter((e) => e.seq > from).map((e) => e.seq);
    check(same(replayed, want), `replayed seqs ${replayed.join(',')} (expected ${want.join(',')})`);
    check(same(progressOf(adopted.events), [2, 3]), `replayed progress ${progressOf(adopted.events).join(',')}`);
  } finally {
    await within(s2.close(), 5_000, 'close').catch(() => undefined);
  }
}

export const FEATURES: readonly Feature[] = [
  {
    id: 'handshake',
    title: 'handshake (hello/welcome, feature intersection, bad token refused)',
    run: async (ep) => {
      await session(ep, async (s) => {
        check(s.sessionId, 'welcome without session_id');
        const missing = NEGOTIABLE.filter((f) => !s.features.includes(f));
        check(missing.length === 0, `features not negotiated: ${missing.join(', ')}`);
      });
      if (!ep.multiSession) return; // a second stdio process would be a second runtime
      const refused = await within(ep.open('no-such-token').then(() => null, (e: any) => e), 20_000, 'answer to a bad token').catch((e: Error) => e);
      check(refused && String(refused.code) === 'UNAUTHENTICATED', `bad token: ${refused ? `${refused.code} ${refused.message}` : 'accepted'}`);
    },
  },
  {
    id: 'echo',
    title: 'echo (inline result)',
    run: (ep) =>
      session(ep, async (s) => {
        const input = { a: 1, nested: { b: [1, 2, 'three'] }, s: 'ünïcode' };
        const r = await succeed(await s.submit('conformance.echo', input));
        check(same(r, input), `result ${JSON.stringify(r)}`);
      }),
  },
  {
    id: 'stream-2000',
    title: '2,000-event stream, in order, with acks',
    run: (ep) =>
      session(ep, async (s) => {
        const job = await s.submit('conformance.chatty', { n: 2000 });
        const r = await succeed(job);
        check(same(r, { count: 2000 }), `result ${JSON.stringify(r)}`);
        const logs = job.events.filter((e) => e.kind === 'log');
        check(logs.length === 2000, `${logs.length} log events`);
        const outOfOrder = logs.findIndex((e, i) => e.body?.message !== `event ${i + 1}`);
        check(outOfOrder < 0, `log ${outOfOrder} reads ${JSON.stringify(logs[outOfOrder]?.body)}`);
        const seqs = job.events.map((e) => e.seq);
        check(seqs.every((q, i) => i === 0 || q === seqs[i - 1]! + 1), 'event_seq not contiguous within the job');
        const acked = await s.ack();
        check(acked >= seqs[seqs.length - 1]!, `acked ${acked}, last event ${seqs[seqs.length - 1]}`);
      }),
  },
  {
    id: 'progress',
    title: 'progress events',
    run: (ep) =>
      session(ep, async (s) => {
        const job = await s.submit('conformance.slow', { steps: 3, interval_ms: 5 });
        check(same(await succeed(job), { steps: 3 }), 'result');
        const bodies = job.events.filter((e) => e.kind === 'progress').map((e) => ({ current: e.body.current, total: e.body.total }));
        check(same(bodies, [1, 2, 3].map((current) => ({ current, total: 3 }))), `progress ${JSON.stringify(bodies)}`);
      }),
  },
  {
    id: 'cancel',
    title: 'cancel (job.cancel -> CANCELLED)',
    run: (ep) =>
      session(ep, async (s) => {
        const job = await s.submit('conformance.slow', { steps: 1000, interval_ms: 20 });
        await until(() => progressOf(job.events).length >= 1, 'first progress');
        await within(s.cancel(job), TERMINAL_MS, 'cancel acknowledgement');
        const o = await done(job);
        check(!o.ok && o.code === 'CANCELLED', `terminal ${JSON.stringify(o)}`, lastFrame(s, (f) => f.job_id === job.jobId));
      }),
  },
  ...(['utf8', 'base64'] as const).map((encoding) => ({
    id: `result-chunk-${encoding}`,
    title: `result_chunk stream (${encoding})`,
    run: (ep: Endpoint) =>
      session(ep, async (s) => {
        const job = await s.submit('conformance.streamer', { chunks: 4, chunk_size: 40, encoding });
        const o = await done(job);
        check(o.ok, `terminal ${JSON.stringify(o)}`, lastFrame(s, (f) => f.job_id === job.jobId));
        const want = Buffer.from(Array.from({ length: 160 }, (_, k) => (encoding === 'utf8' ? 97 + (k % 26) : k % 256)));
        const got = typeof o.result === 'string' ? Buffer.from(o.result, 'utf8') : Buffer.isBuffer(o.result) ? o.result : undefined;
        check(got && got.equals(want), `assembled ${JSON.stringify(o.result)?.slice(0, 80)}`);
        check(job.events.filter((e) => e.kind === 'result_chunk').length >= 4, 'fewer result_chunk events than chunks');
      }),
  })),
  {
    id: 'typed-errors',
    title: 'typed errors from conformance.failer (code, message, retryable)',
    run: (ep) =>
      session(ep, async (s) => {
        const cases = [
          { code: 'PERMISSION_DENIED', retryable: false },
          { code: 'BUDGET_EXHAUSTED', retryable: false },
          { code: 'INTERNAL_ERROR', retryable: true },
          { code: 'TIMEOUT', retryable: true, input: { retryable: true } },
        ];
        for (const c of cases) {
          const o = await outcomeOf(s, 'conformance.failer', { code: c.code, message: `failed with ${c.code}`, ...(c.input ?? {}) });
          check(!o.ok && o.code === c.code && o.message === `failed with ${c.code}` && o.retryable === c.retryable, `${c.code}: ${JSON.stringify(o)}`, lastFrame(s, (f) => f.type === 'job.error'));
        }
      }),
  },
  {
    id: 'agent-versions',
    title: 'agent versions (inventory, name@version, default, unknown version)',
    run: (ep) =>
      session(ep, async (s) => {
        const entry = s.agents.find((a) => a.name === 'conformance.versioned');
        check(entry && same([...(entry.versions ?? [])].sort(), ['1.0.0', '2.0.0']) && entry.default === '2.0.0', `inventory entry ${JSON.stringify(entry)}`);
        check(same(await succeed(await s.submit('conformance.versioned@1.0.0', {})), { version: '1.0.0' }), 'pinned 1.0.0');
        check(same(await succeed(await s.submit('conformance.versioned', {})), { version: '2.0.0' }), 'default 2.0.0');
        const o = await outcomeOf(s, 'conformance.versioned@9.9.9', {});
        check(!o.ok && o.code === 'AGENT_VERSION_NOT_AVAILABLE', `unknown version: ${JSON.stringify(o)}`);
      }),
  },
  {
    id: 'lease-denial',
    title: 'lease denial (tool_result PERMISSION_DENIED, job goes on)',
    run: (ep) =>
      session(ep, async (s) => {
        const ops = [{ capability: 'fs.read', target: '/etc/passwd' }, { capability: 'fs.read', target: '/tmp/ok.txt' }];
        const job = await s.submit('conformance.tools', { ops }, { lease: { 'fs.read': ['/tmp/**'] } });
        const r = await succeed(job);
        check(same(r, { outcomes: [{ allowed: false, code: 'PERMISSION_DENIED' }, { allowed: true }] }), `outcomes ${JSON.stringify(r)}`);
        const denied = job.events.find((e) => e.kind === 'tool_result' && e.body?.error);
        check(denied?.body.error.code === 'PERMISSION_DENIED' && denied.body.error.retryable === false, `tool_result ${JSON.stringify(denied?.body)}`);
      }),
  },
  {
    id: 'budgets',
    title: 'cost.budget (accepted budget, exhaustion refuses the next op)',
    run: (ep) =>
      session(ep, async (s) => {
        const lease = { 'cost.budget': ['USD:1.00'], 'fs.read': ['/tmp/**'] };
        const job = await s.submit('conformance.spender', { costs: [{ amount: 0.6, currency: 'USD' }, { amount: 0.6, currency: 'USD' }], op: { capability: 'fs.read', target: '/tmp/x' } }, { lease });
        check(same(job.budget, { USD: 1 }), `accepted budget ${JSON.stringify(job.budget)}`);
        const r = await succeed(job);
        check(same(r, { outcomes: [{ allowed: true }, { allowed: false, code: 'BUDGET_EXHAUSTED' }] }), `outcomes ${JSON.stringify(r)}`);
      }),
  },
  {
    id: 'listing',
    title: 'list_jobs (a running job is listed)',
    run: (ep) =>
      session(ep, async (s) => {
        const job = await s.submit('conformance.slow', { steps: 1000, interval_ms: 20 });
        await until(() => progressOf(job.events).length >= 1, 'first progress');
        const jobs = await within(s.list(), TERMINAL_MS, 'session.jobs');
        const mine = jobs.find((j) => j.job_id === job.jobId);
        check(mine && mine.status === 'running' && mine.agent.startsWith('conformance.slow'), `listing ${JSON.stringify(jobs)}`, lastFrame(s, (f) => f.type === 'session.jobs'));
        await s.cancel(job);
        await done(job);
      }),
  },
  {
    id: 'subscribe',
    title: 'subscribe from a second session (history + live, terminal)',
    run: async (ep) => {
      if (!ep.multiSession) throw new NotApplicable('one session per stdio process');
      await session(ep, async (owner) => {
        const job = await owner.submit('conformance.slow', { steps: 5, interval_ms: 60 });
        await until(() => progressOf(job.events).length >= 1, 'first progress');
        await session(ep, async (watcher) => {
          const view = await within(watcher.subscribe(job.jobId), TERMINAL_MS, 'job.subscribed');
          const o = await done(view, 'terminal on the subscription');
          check(o.ok && same(o.result, { steps: 5 }), `subscriber terminal ${JSON.stringify(o)}`);
          const seen = progressOf(view.events);
          check(same(seen, [1, 2, 3, 4, 5]), `subscriber progress ${seen.join(',')}`, lastFrame(watcher, (f) => f.job_id === job.jobId));
        });
        await succeed(job);
      });
    },
  },
  {
    id: 'close',
    title: 'close (session.close / session.bye), no error',
    run: async (ep) => {
      const s = await ep.open();
      await succeed(await s.submit('conformance.echo', 1));
      const { sessionErrors } = await within(s.close(), 10_000, 'close');
      check(sessionErrors.length === 0, `session.error on close: ${JSON.stringify(sessionErrors[0])?.slice(0, 200)}`, lastFrame(s, (f) => f.type === 'session.error'));
    },
  },
  {
    id: 'resume-replay',
    title: 'resume (hello.payload.resume) from an earlier seq: stored events replayed',
    run: resumeReplay,
  },
  {
    id: 'resume-hello',
    title: 'drop mid-job and resume (hello.payload.resume): events emitted while away, terminal',
    run: (ep) => dropAndResume(ep, 'hello'),
  },
  {
    id: 'resume-session-resume',
    title: 'drop mid-job and resume (session.resume, spec form)',
    run: (ep) => dropAndResume(ep, 'session.resume'),
  },
];
