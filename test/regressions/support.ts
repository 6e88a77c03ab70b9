// Shared set-up for the ecosystem regression tests (docs: /work/shared/reference/ecosystem.md
// §1.4): a runtime with two principals (alice: tokens t/t2, bob: token u), raw-frame peers
// (runtime-kit's TestPeer) and an agent the test drives from outside, so every event is
// emitted exactly when the test says (no timing).
import { ARCPRuntime, type JobContext, type RuntimeOptions } from '../../runtime-kit/index.js';
import { TestPeer, type Msg } from '../../runtime-kit/runtime/test/support/test-peer.js';

export { TestPeer, type Msg };
export const TOKENS = { t: 'alice', t2: 'alice', u: 'bob' };

export function makeRuntime(opts: RuntimeOptions = {}): ARCPRuntime {
  return new ARCPRuntime({ tokens: TOKENS, validateOutbound: true, ...opts });
}

export async function connect(runtime: ARCPRuntime, token = 't', features?: string[]): Promise<TestPeer> {
  const peer = TestPeer.connect(runtime);
  const welcome = await peer.hello({ token, ...(features ? { features } : {}) });
  if (welcome.type !== 'session.welcome') throw new Error(`handshake failed: ${JSON.stringify(welcome.payload)}`);
  return peer;
}

/** A fresh transport resuming `peer`'s session from `lastEventSeq` (hello-embedded form). */
export async function resumeOf(runtime: ARCPRuntime, peer: TestPeer, lastEventSeq: number, token = 't'): Promise<{ peer: TestPeer; reply: Msg }> {
  const next = TestPeer.connect(runtime);
  const reply = await next.hello({ token, resume: { session_id: peer.sessionId!, resume_token: peer.resumeToken!, last_event_seq: lastEventSeq } });
  return { peer: next, reply };
}

export async function submitAccepted(peer: TestPeer, agent: string, input: unknown = {}, extra: Record<string, unknown> = {}): Promise<Msg> {
  const reply = await peer.accepted(peer.submit(agent, input, extra));
  if (reply.type !== 'job.accepted') throw new Error(`expected job.accepted, got ${reply.type} ${JSON.stringify(reply.payload)}`);
  return reply;
}

export function logsOf(peer: TestPeer, jobId: string): string[] {
  return peer
    .ofType('job.event')
    .filter((m) => m.job_id === jobId && m.payload.kind === 'log')
    .map((m) => m.payload.body.message as string);
}

/** Checks the sequenced envelopes a peer saw form 1..n (or from..n) in wire order, no gaps. */
export function seqs(peer: TestPeer): number[] {
  return peer.sequenced().map((m) => m.event_seq!);
}

export function range(from: number, to: number): number[] {
  const out: number[] = [];
  for (let i = from; i <= to; i++) out.push(i);
  return out;
}

interface Driven {
  ctx: JobContext;
  finish(value?: unknown): void;
  fail(err: unknown): void;
}

/**
 * Registers `name` as an agent that waits until the test finishes it; `ctxOf(jobId)` hands the
 * test the job's context so it can emit events at chosen moments (e.g. while disconnected).
 */
export function drivenAgent(runtime: ARCPRuntime, name = 'driven'): {
  ctxOf(jobId: string): Promise<Driven>;
} {
  const jobs = new Map<string, Driven>();
  const waiters = new Map<string, (d: Driven) => void>();
  runtime.registerAgent(name, (_input, ctx) =>
    new Promise((resolve, reject) => {
      const d: Driven = { ctx, finish: resolve, fail: reject };
      // A well-behaved agent: it stops when the runtime aborts it (cancel, expiry, timeout).
      ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason), { once: true });
      jobs.set(ctx.jobId, d);
      waiters.get(ctx.jobId)?.(d);
    }),
  );
  return {
    ctxOf(jobId) {
      const d = jobs.get(jobId);
      if (d) return Promise.resolve(d);
      return new Promise((resolve) => waiters.set(jobId, resolve));
    },
  };
}

export function futureIso(nowMs: number, ms: number): string {
  return new Date(nowMs + ms).toISOString();
}

/** One step of the `script` agent (see scriptAgent). */
export type Step =
  | { metric: [name: string, value: number, unit?: string] }
  | { op: [capability: string, target: string] }
  | { model: string }
  | { delegate: { agent: string; input?: unknown; lease_request?: Record<string, string[]>; lease_constraints?: { expires_at: string } } };

/**
 * Registers `script`: runs `input.steps` in order and returns one outcome per step — 'ok', or
 * the ARCP code the step was refused with (a delegate step reports the child's final status /
 * error code). The agent handles refusals itself, as §9.3 intends.
 */
export function scriptAgent(runtime: ARCPRuntime, name = 'script'): void {
  runtime.registerAgent(name, async (input, ctx) => {
    const out: string[] = [];
    for (const step of (input as { steps: Step[] }).steps ?? []) {
      try {
        if ('metric' in step) {
          const [metricName, value, unit] = step.metric;
          ctx.metric(metricName, value, unit === undefined ? {} : { unit });
          out.push('ok');
        } else if ('op' in step) {
          const d = ctx.authorize(step.op[0], step.op[1]);
          out.push(d.allowed ? 'ok' : d.error.code);
        } else if ('model' in step) {
          await ctx.invokeModel(step.model, () => 'answer');
          out.push('ok');
        } else {
          const r = await ctx.delegate(step.delegate);
          out.push(r.finalStatus === 'success' ? 'ok' : (r.error?.code ?? r.finalStatus));
        }
      } catch (err) {
        out.push((err as { code?: string }).code ?? String(err));
      }
    }
    return out;
  });
}

/** Submits `script` with `steps` under `lease`, waits for the terminal, returns it. */
export async function runScript(peer: TestPeer, steps: Step[], lease: Record<string, string[]>, extra: Record<string, unknown> = {}): Promise<Msg> {
  const reply = await peer.accepted(peer.submit('script', { steps }, { lease_request: lease, ...extra }));
  if (reply.type !== 'job.accepted') return reply;
  return peer.terminal(reply.job_id!);
}
