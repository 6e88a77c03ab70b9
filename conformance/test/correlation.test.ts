// Request/reply correlation against a scripted peer that answers with each documented variant
// (wire catalog §5, §9 #5, #30): every variant is recognised as the reply the moment it arrives
// (before a macrotask turn, so no timeout is involved), and frames that only look like replies
// (a live job's terminal, a delegated child's acceptance) are left to whoever waits for them.
import { describe, expect, it } from 'vitest';
import { PeerConnection, type WireTransport } from '../driver/connection.js';
import { Recorder } from '../driver/recorder.js';
import type { PeerTarget } from '../driver/target.js';
import type { Session } from '../driver/session.js';
import { envelope, type Envelope } from '../driver/wire.js';
import { CheckContext } from '../runner/context.js';
import { scenario } from '../checks/define.js';
import { SeqOracle } from '../model/seq-oracle.js';

const SID = 'sess_01JDXK5V6R8Q2W3E4T5Y6Z7A8B';
const NOW = '2026-12-02T00:00:00.000Z';
let n = 0;
const jobId = () => `job_01JDXK5V6R8Q2W3E4T5Y6Z${String(n++).padStart(4, '0')}`;

type Script = (req: Envelope, peer: ScriptedPeer) => unknown[];

/** A peer that answers each harness frame with the frames its script returns, synchronously. */
class ScriptedPeer implements WireTransport {
  isOpen = true;
  private handlers?: Parameters<WireTransport['start']>[0];
  readonly received: Envelope[] = [];
  constructor(private readonly script: Script) {}
  start(h: Parameters<WireTransport['start']>[0]): void {
    this.handlers = h;
  }
  send(frame: string): void {
    let req: Envelope;
    try {
      req = JSON.parse(frame) as Envelope;
    } catch {
      return; // a deliberately malformed frame: this peer drops it silently
    }
    this.received.push(req);
    const out = req.type === 'session.hello' ? [welcome()] : this.script(req, this);
    for (const f of out) this.deliver(f);
  }
  deliver(f: unknown): void {
    this.handlers?.message(JSON.stringify(f));
  }
  async close(): Promise<void> {
    this.isOpen = false;
    this.handlers?.close({ code: 1000 });
  }
}

function welcome(): Envelope {
  return {
    ...envelope('session.welcome', { runtime: { name: 'scripted', version: '1' }, resume_token: 'rt_scripted', resume_window_sec: 60, heartbeat_interval_sec: 30, capabilities: { encodings: ['json'], features: ['list_jobs', 'subscribe'] } }),
    session_id: SID,
  };
}

function accepted(job: string, trace?: string, extra: Record<string, unknown> = {}): Envelope {
  return envelope('job.accepted', { job_id: job, agent: 'conformance.echo', lease: {}, accepted_at: NOW, ...extra }, { session_id: SID, job_id: job, ...(trace ? { trace_id: trace } : {}) });
}

function jobError(job: string, code: string, extra: { trace?: string; seq?: number; details?: Record<string, unknown>; final?: string } = {}): Envelope {
  const env = envelope(
    'job.error',
    { final_status: extra.final ?? 'error', code, message: code.toLowerCase(), retryable: false, ...(extra.details ? { details: extra.details } : {}) },
    { session_id: SID, job_id: job, ...(extra.trace ? { trace_id: extra.trace } : {}) },
  );
  return extra.seq !== undefined ? { ...env, event_seq: extra.seq } : env;
}

function result(job: string, seq: number, trace?: string): Envelope {
  return { ...envelope('job.result', { final_status: 'success', result: {} }, { session_id: SID, job_id: job, ...(trace ? { trace_id: trace } : {}) }), event_seq: seq };
}

function contextFor(peer: ScriptedPeer): CheckContext {
  const target: PeerTarget = {
    describe: 'scripted',
    tokenA: 'a',
    tokenB: 'b',
    multiConnection: true,
    connect: async () => peer,
    dispose: async () => undefined,
  };
  const check = scenario({ id: 'x/correlation', statements: [], spec: '§5', level: 'MUST', title: 'correlation', run: async () => undefined });
  // a long expectation timeout: a reply recognised only by timing out would still be pending below
  return new CheckContext({ target, profile: 'interop', timeoutMs: 30_000, seed: 1, runs: 1 }, { runtime: {}, features: ['list_jobs', 'subscribe'], agents: [] }, check);
}

/** Resolves the promise's value if it settled before the next macrotask turn; throws otherwise. */
async function atOnce<T>(p: Promise<T>): Promise<T> {
  const late = Symbol('late');
  const first = await Promise.race([p, new Promise<typeof late>((r) => setImmediate(() => r(late)))]);
  if (first === late) {
    p.catch(() => undefined);
    throw new Error('the reply was not recognised when it arrived');
  }
  return first as T;
}

async function open(script: Script): Promise<{ ctx: CheckContext; s: Session; peer: ScriptedPeer }> {
  const peer = new ScriptedPeer(script);
  const ctx = contextFor(peer);
  const s = await atOnce(ctx.open('A'));
  return { ctx, s, peer };
}

describe('reply correlation (catalog §5, §9 #5, #30)', () => {
  it('takes a submit rejection job.error without trace_id (phantom job_id) as the reply', async () => {
    const { ctx, s } = await open(() => [jobError(jobId(), 'AGENT_NOT_AVAILABLE')]);
    const reply = await atOnce(ctx.submitRaw(s, 'conformance.none', {}));
    expect(reply.type).toBe('job.error');
    expect((reply.payload as { code: string }).code).toBe('AGENT_NOT_AVAILABLE');
    await ctx.dispose();
  });

  it('takes a session.error without request_id (AGENT_VERSION_NOT_AVAILABLE) as the reply', async () => {
    const { ctx, s } = await open(() => [envelope('session.error', { code: 'AGENT_VERSION_NOT_AVAILABLE', message: 'no', retryable: false }, { session_id: SID })]);
    const reply = await atOnce(ctx.submitRaw(s, 'conformance.versioned@9.9.9', {}));
    expect(reply.type).toBe('session.error');
    await ctx.dispose();
  });

  it('takes an idempotent hit re-sending the stored job.accepted with the ORIGINAL trace_id', async () => {
    let stored: Envelope | undefined;
    const job = jobId();
    const { ctx, s } = await open((req) => {
      if (!stored) {
        stored = accepted(job, String(req.trace_id));
        return [stored, result(job, 1, String(req.trace_id))];
      }
      return [{ ...stored, id: `msg_resend_${n++}` }];
    });
    const first = await atOnce(ctx.submitRaw(s, 'conformance.echo', { v: 1 }, { idempotency_key: 'k' }));
    await atOnce(ctx.terminal(s, job));
    const second = await atOnce(ctx.submitRaw(s, 'conformance.echo', { v: 1 }, { idempotency_key: 'k' }));
    expect(second.type).toBe('job.accepted');
    expect(second.job_id).toBe(first.job_id);
    expect(second.trace_id).toBe(first.trace_id);
    await ctx.dispose();
  });

  it('takes DUPLICATE_KEY naming the existing (finished or running) job as the reply, not as that job\'s terminal', async () => {
    const job = jobId();
    let calls = 0;
    const { ctx, s } = await open((req) => {
      calls += 1;
      if (calls === 1) return [accepted(job, String(req.trace_id))];
      return [jobError(job, 'DUPLICATE_KEY', { seq: 3, details: { existing_job_id: job } })];
    });
    await atOnce(ctx.submitRaw(s, 'conformance.slow', { v: 1 }, { idempotency_key: 'k' }));
    const conflict = await atOnce(ctx.submitRaw(s, 'conformance.slow', { v: 2 }, { idempotency_key: 'k' }));
    expect((conflict.payload as { code: string }).code).toBe('DUPLICATE_KEY');
    await ctx.dispose();
  });

  it('matches by request_id first and by trace_id second, whatever the arrival order', async () => {
    const held: Envelope[] = [];
    const { ctx, s, peer } = await open((req) => {
      held.push(req);
      return [];
    });
    const a = ctx.submitRaw(s, 'conformance.echo', { n: 1 });
    const b = ctx.submitRaw(s, 'conformance.echo', { n: 2 });
    const c = ctx.submitRaw(s, 'conformance.echo', { n: 3 });
    const [ra, rb, rc] = held;
    // c by request_id (no trace), then b by trace_id, then a by order
    peer.deliver({ ...accepted('job_c'), payload: { ...(accepted('job_c').payload as object), request_id: rc.id } });
    peer.deliver(accepted('job_b', String(rb.trace_id)));
    peer.deliver(accepted('job_a'));
    expect((await atOnce(c)).job_id).toBe('job_c');
    expect((await atOnce(b)).job_id).toBe('job_b');
    expect((await atOnce(a)).job_id).toBe('job_a');
    expect(ra.type).toBe('job.submit');
    await ctx.dispose();
  });

  it('leaves a live job\'s terminal job.error and a delegated child\'s job.accepted to their own waiters', async () => {
    const parent = jobId();
    const held: Envelope[] = [];
    const { ctx, s, peer } = await open((req) => {
      held.push(req);
      return held.length === 1 ? [accepted(parent, String(req.trace_id))] : [];
    });
    await atOnce(ctx.submitRaw(s, 'conformance.delegator', {}));
    const pending = ctx.submitRaw(s, 'conformance.echo', {});
    const parentTrace = String(held[0].trace_id);
    peer.deliver(accepted(jobId(), parentTrace, { parent_job_id: parent }));
    peer.deliver(jobError(parent, 'CANCELLED', { seq: 4, final: 'cancelled' }));
    const term = await atOnce(ctx.terminal(s, parent));
    expect((term.payload as { code: string }).code).toBe('CANCELLED');
    peer.deliver(accepted('job_mine'));
    expect((await atOnce(pending)).job_id).toBe('job_mine');
    await ctx.dispose();
  });

  it('correlates list_jobs, subscribe (replay before job.subscribed) and cancel replies', async () => {
    const watched = jobId();
    const { ctx, s } = await open((req) => {
      if (req.type === 'session.list_jobs') return [envelope('session.jobs', { request_id: req.id, jobs: [], next_cursor: null }, { session_id: SID })];
      if (req.type === 'job.subscribe') {
        return [
          { ...envelope('job.event', { kind: 'log', ts: NOW, body: { level: 'info', message: 'replayed' } }, { session_id: SID, job_id: watched }), event_seq: 1 },
          envelope('job.subscribed', { job_id: watched, current_status: 'running', subscribed_from: 1, replayed: true }, { session_id: SID, job_id: watched }),
        ];
      }
      if (req.type === 'job.cancel') return [jobError(String(req.job_id), 'JOB_NOT_FOUND')];
      return [];
    });
    const jobs = await atOnce(s.conn.request(envelope('session.list_jobs', { limit: 10 }, { session_id: SID })));
    expect(jobs.type).toBe('session.jobs');
    const sub = await atOnce(s.conn.request(envelope('job.subscribe', { job_id: watched, history: true }, { session_id: SID })));
    expect(sub.type).toBe('job.subscribed');
    const ghost = 'job_01JZZZZZZZZZZZZZZZZZZZZZZZ';
    const cancel = await atOnce(s.conn.request(envelope('job.cancel', { reason: 'x' }, { session_id: SID, job_id: ghost })));
    expect((cancel.payload as { code: string }).code).toBe('JOB_NOT_FOUND');
    await ctx.dispose();
  });

  it('gives an uncorrelated error to the unawaited bad frame before the next request, not to that request', async () => {
    const { ctx, s, peer } = await open(() => []);
    s.conn.sendText(JSON.stringify(envelope('job.frobnicate', {}, { session_id: SID })));
    const submit = ctx.submitRaw(s, 'conformance.echo', {});
    const sent = peer.received[peer.received.length - 1];
    // TS answers the unknown type late, after the submit went out, without any correlation key
    peer.deliver(envelope('session.error', { code: 'INVALID_REQUEST', message: 'Unknown core message type', retryable: false }, { session_id: SID }));
    peer.deliver(accepted('job_alive', String(sent.trace_id)));
    expect((await atOnce(submit)).job_id).toBe('job_alive');
    expect(await s.conn.arrives((m) => m.type === 'session.error', 0)).toBe(true);
    await ctx.dispose();
  });

  it('closes an unawaited frame\'s window after the reply wait: a later uncorrelated rejection answers the later request', async () => {
    const peer = new ScriptedPeer(() => []);
    const conn = new PeerConnection('A1', peer, new Recorder(), { timeoutMs: 40 });
    conn.sendText('{not json');
    await new Promise((r) => setTimeout(r, 80));
    const submit = conn.request(envelope('job.submit', { agent: 'conformance.none', input: {} }, { session_id: SID, trace_id: 'a'.repeat(32) }));
    peer.deliver(jobError(jobId(), 'AGENT_NOT_AVAILABLE'));
    expect((await atOnce(submit)).type).toBe('job.error');
    await conn.close();
  });

  it('a refused cancel of a finished job (TS: job.error JOB_NOT_FOUND on its id, with a seq) is the cancel\'s reply, not a second terminal', async () => {
    const job = jobId();
    const { ctx, s } = await open((req) => {
      if (req.type === 'job.submit') return [{ ...accepted(job, String(req.trace_id)) }, result(job, 1, String(req.trace_id))];
      if (req.type === 'job.cancel') return [jobError(job, 'JOB_NOT_FOUND', { seq: 2 })];
      return [];
    });
    await atOnce(ctx.submitRaw(s, 'conformance.echo', {}));
    await atOnce(ctx.terminal(s, job));
    s.conn.send(envelope('job.cancel', { reason: 'late' }, { session_id: SID, job_id: job }));
    const oracle = new SeqOracle().observeAll(s.conn.messages());
    oracle.requireTerminals([job]);
    expect(oracle.violations).toEqual([]);
    await ctx.dispose();
  });
});
