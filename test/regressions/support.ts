// Shared set-up for the ecosystem regression tests (docs: /work/shared/reference/ecosystem.md
// §1.4): a runtime with two principals (alice: tokens t/t2, bob: token u), raw-frame peers
// (runtime-kit's TestPeer) and an agent the test drives from outside, so every event is
// emitted exactly when the test says (no timing).
import { ARCPRuntime, type FaultName, type JobContext, type RuntimeOptions } from '../../runtime-kit/index.js';
import { TestPeer, type Msg } from '../../runtime-kit/runtime/test/support/test-peer.js';

export { TestPeer, type Msg };
export const TOKENS = { t: 'alice', t2: 'alice', u: 'bob' };

/**
 * Sanity check that these tests can fail: `ARCP_REGRESSION_FAULTS=drop-while-away,seq-skip npx
 * vitest run test/regressions` re-creates known bugs through the runtime's test-only faults.
 */
const INJECTED = (process.env.ARCP_REGRESSION_FAULTS ?? '').split(',').filter(Boolean) as FaultName[];

export function makeRuntime(opts: RuntimeOptions = {}): ARCPRuntime {
  return new ARCPRuntime({ tokens: TOKENS, validateOutbound: true, ...opts, ...(INJECTED.length > 0 ? { faults: INJECTED } : {}) });
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
