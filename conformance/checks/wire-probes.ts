// What the wire itself says about a job, independent of what the peer's agent reports: the
// tool_call/tool_result pairs of its operations, its job.accepted, listings and subscriptions.
// Checks judge lease, budget, model and delegation verdicts from these frames.
import { envelope, field, newTraceId, type Envelope } from '../driver/wire.js';
import type { Session } from '../driver/session.js';
import { NotApplicable, require_, Violation } from './outcomes.js';

export interface WireOp {
  capability?: string;
  target?: string;
  allowed: boolean;
  code?: string;
  /** The tool_result frame that carried the verdict, for messages (`msg_... seq 7`). */
  frame: string;
}

/** The job's operations in emission order, pairing each tool_result with its tool_call by call_id. */
export function opsOnWire(frames: readonly Envelope[], jobId: string): WireOp[] {
  const calls = new Map<string, { capability?: string; target?: string }>();
  const out: WireOp[] = [];
  for (const m of frames) {
    if (m.job_id !== jobId || m.type !== 'job.event') continue;
    const kind = field(m, 'payload', 'kind');
    const body = field(m, 'payload', 'body');
    const callId = String(field(body, 'call_id') ?? field(body, 'tool_call_id'));
    if (kind === 'tool_call') {
      calls.set(callId, { capability: field(body, 'args', 'capability') as string | undefined, target: field(body, 'args', 'target') as string | undefined });
    } else if (kind === 'tool_result') {
      const error = field(body, 'error');
      out.push({ ...calls.get(callId), allowed: error === undefined || error === null, code: field(error, 'code') as string | undefined, frame: `tool_result ${String(m.id)} event_seq ${String(m.event_seq)}` });
    }
  }
  return out;
}

/** Requires the wire to show exactly `expected` (allowed, or denied with one of the codes). */
export function requireOpsOnWire(frames: readonly Envelope[], jobId: string, expected: readonly { allowed: boolean; codes?: readonly string[]; what: string }[], label: string): void {
  const ops = opsOnWire(frames, jobId);
  require_(ops.length === expected.length, `${label}: the wire shows ${ops.length} tool_result(s), expected ${expected.length}`);
  expected.forEach((e, i) => {
    const got = ops[i];
    if (got.allowed !== e.allowed) throw new Violation(`${label}: ${e.what} was ${got.allowed ? 'allowed' : `denied (${String(got.code)})`} on the wire (${got.frame}), expected ${e.allowed ? 'allowed' : 'denied'}`);
    if (!e.allowed && e.codes && !e.codes.includes(String(got.code))) throw new Violation(`${label}: ${e.what} denied with ${String(got.code)}, expected ${e.codes.join(' or ')}`);
  });
}

/** The job.accepted of `jobId` seen on this connection (a delegated child's included). */
export function acceptedOf(frames: readonly Envelope[], jobId: string): Envelope | undefined {
  return frames.find((m) => m.type === 'job.accepted' && (m.job_id === jobId || field(m, 'payload', 'job_id') === jobId));
}

/**
 * Resubmits under an idempotency key whose job is known; resolves with the reply, matched by the
 * driver's correlator the moment it arrives (catalog §9 #5, #30: a stored job.accepted may come
 * back with the original request's trace_id, which matches by order).
 */
export function resubmit(s: Session, agent: string, input: unknown, key: string, knownJobId: string): Promise<Envelope> {
  const env = envelope('job.submit', { agent, input, idempotency_key: key }, { session_id: s.sessionId, trace_id: newTraceId() });
  return s.conn.request(env, { what: `the idempotent resubmit of ${knownJobId}` });
}

/**
 * A round trip through the runtime's inbound queue (session.ping, answered by session.pong and
 * matched by the correlator): everything sent before it has been handled. Needs heartbeat.
 */
export async function barrier(s: Session): Promise<void> {
  const nonce = `p_barrier_${Date.now()}_${Math.random().toString(36).slice(2, 8)}`;
  const pong = await s.conn.request(envelope('session.ping', { nonce, sent_at: new Date().toISOString() }, { session_id: s.sessionId }), { what: `session.ping ${nonce}` });
  require_(field(pong, 'payload', 'ping_nonce') === nonce, `session.pong ${String(pong.id)} echoes nonce ${String(field(pong, 'payload', 'ping_nonce'))}, not ${nonce}`, pong);
}

/** `barrier`, for checks that rely on heartbeat being negotiated: not applicable without it. */
export async function heartbeatBarrier(s: Session): Promise<void> {
  if (!s.features.includes('heartbeat')) throw new NotApplicable('needs heartbeat (session.ping as an ordering barrier)');
  await barrier(s);
}

/** Sends session.list_jobs; resolves with its reply, matched by the driver's correlator. */
export function listJobs(s: Session, payload: Record<string, unknown> = { limit: 1000 }): Promise<Envelope> {
  return s.conn.request(envelope('session.list_jobs', payload, { session_id: s.sessionId }));
}

/** The job ids of one listing, requiring a session.jobs answer. */
export async function listedJobIds(s: Session, payload?: Record<string, unknown>): Promise<string[]> {
  return (await listing(s, payload)).ids;
}

/** One listing: its ids and the session.jobs frame that carried them (named in messages). */
export async function listing(s: Session, payload?: Record<string, unknown>): Promise<{ ids: string[]; frame: string }> {
  const reply = await listJobs(s, payload);
  require_(reply.type === 'session.jobs', `list_jobs answered by ${reply.type} ${String(field(reply, 'payload', 'code') ?? '')}`, reply);
  const jobs = field(reply, 'payload', 'jobs');
  return { ids: Array.isArray(jobs) ? jobs.map((j) => String(field(j, 'job_id'))) : [], frame: `session.jobs ${String(reply.id)}` };
}

/** Sends job.subscribe; resolves with job.subscribed or the refusal. */
export function subscribe(s: Session, jobId: string, opts: { history?: boolean; from_event_seq?: number } = {}): Promise<Envelope> {
  return s.conn.request(envelope('job.subscribe', { job_id: jobId, history: opts.history ?? false, ...opts }, { session_id: s.sessionId }));
}

/** The `current` of each progress event of the job, in arrival order. */
export function progressCurrents(frames: readonly Envelope[], jobId: string): number[] {
  return eventsOf(frames, jobId, 'progress').map((m) => Number(field(m, 'payload', 'body', 'current')));
}

/** The job's events (job.event frames) this connection received. */
export function eventsOf(frames: readonly Envelope[], jobId: string, kind?: string): Envelope[] {
  return frames.filter((m) => m.type === 'job.event' && m.job_id === jobId && (kind === undefined || field(m, 'payload', 'kind') === kind));
}

/** What the wire shows of one delegation by the parent job, once it shows anything. */
export interface DelegationOnWire {
  /** The child's job.accepted (the delegation was granted). */
  child?: Envelope;
  /** The code of the parent's first refused operation (tool_result error), if any. */
  refusal?: string;
  /** The parent's terminal, if it came first. */
  terminal?: Envelope;
}

/**
 * Waits until the parent's delegation shows on the wire — a child's job.accepted, a refused
 * operation of the parent, or the parent's end — without relying on the delegator agent to
 * finish after a refusal (docs/conformance-agents.md asks it to; some peers' never do).
 */
export async function delegationOnWire(s: Session, parentId: string, timeoutMs: number): Promise<DelegationOnWire> {
  const isChild = (m: Envelope) => m.type === 'job.accepted' && field(m, 'payload', 'parent_job_id') === parentId;
  const isTerminal = (m: Envelope) => m.job_id === parentId && (m.type === 'job.result' || m.type === 'job.error');
  const isRefusal = (m: Envelope) => m.job_id === parentId && field(m, 'payload', 'kind') === 'tool_result' && field(m, 'payload', 'body', 'error') != null;
  const spoke = await s.conn.arrives((m) => isChild(m) || isTerminal(m) || isRefusal(m), timeoutMs);
  require_(spoke, `the delegation of job ${parentId} showed neither a child's job.accepted, a refusal nor the parent's end within ${timeoutMs} ms`);
  const frames = s.conn.messages();
  const refused = frames.find(isRefusal);
  const child = frames.find(isChild);
  const terminal = frames.find(isTerminal);
  return { ...(child ? { child } : {}), ...(refused ? { refusal: String(field(refused, 'payload', 'body', 'error', 'code')) } : {}), ...(terminal ? { terminal } : {}) };
}
