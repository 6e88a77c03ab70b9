// Runtime-to-client frames the scripted runtime sends, built on the generated registry and
// checked against the generated STRICT schema: a frame meant to be correct that fails it is a
// harness bug (HarnessError), never blamed on the client. Deliberate variants and hostile frames
// go through `raw()` and say so.
import { randomBytes } from 'node:crypto';
import { ulid } from 'ulid';
import { ERROR_CODES } from '../../generated/registry.js';
import { validateMessage } from '../../generated/validators.js';
import { HarnessError } from '../checks/outcomes.js';
import { newMessageId } from '../driver/wire.js';
import type { Frame } from './scripted-runtime.js';

export const ids = {
  session: (): string => `sess_${ulid()}`,
  job: (): string => `job_${ulid()}`,
  result: (): string => `res_${ulid()}`,
  token: (): string => `rt_${randomBytes(32).toString('hex')}`,
  message: newMessageId,
};

export const isoNow = (): string => new Date().toISOString();

/** Validates a frame meant to be strictly valid; returns it. */
export function strict(frame: Frame): Frame {
  const v = validateMessage('strict', frame);
  if (!v.ok) throw new HarnessError(`harness built an invalid ${String(frame.type)}: ${JSON.stringify(v.issues.slice(0, 2))}`);
  return frame;
}

/** Validates a documented variant against the generated LENIENT schema (what every client must accept). */
export function lenient(frame: Frame): Frame {
  const v = validateMessage('lenient', frame);
  if (!v.ok) throw new HarnessError(`harness built a ${String(frame.type)} outside the documented variants: ${JSON.stringify(v.issues.slice(0, 2))}`);
  return frame;
}

/** A frame the harness sends on purpose although it is not in the strict form (a variant, a hostile frame). */
export function raw(frame: Frame): Frame {
  return frame;
}

function env(type: string, payload: Record<string, unknown>, extra: Record<string, unknown> = {}): Frame {
  return { arcp: '1.1', id: newMessageId(), type, ...extra, payload };
}

export interface WelcomeOptions {
  features: readonly string[];
  heartbeatSec?: number;
  resumeWindowSec?: number;
  agents?: unknown[];
}

export function welcome(sessionId: string, token: string, o: WelcomeOptions): Frame {
  const payload: Record<string, unknown> = {
    runtime: { name: 'arcp-kit-client-conformance', version: '1.1.0' },
    resume_token: token,
    resume_window_sec: o.resumeWindowSec ?? 600,
    capabilities: { encodings: ['json'], features: [...o.features], ...(o.agents ? { agents: o.agents } : {}) },
  };
  if (o.heartbeatSec !== undefined) payload.heartbeat_interval_sec = o.heartbeatSec;
  return strict(env('session.welcome', payload, { session_id: sessionId }));
}

/** `job.accepted` answering `submit`: request_id and trace_id echoed (catalog §5 superset). */
export function accepted(sessionId: string, jobId: string, submit: Frame, extra: Record<string, unknown> = {}): Frame {
  const sp = (submit.payload ?? {}) as Record<string, unknown>;
  const trace = typeof submit.trace_id === 'string' ? submit.trace_id : undefined;
  const payload: Record<string, unknown> = {
    job_id: jobId,
    agent: String(sp.agent ?? 'agent'),
    lease: sp.lease_request ?? {},
    accepted_at: isoNow(),
    request_id: submit.id,
    ...(trace ? { trace_id: trace } : {}),
    ...extra,
  };
  return strict(env('job.accepted', payload, { session_id: sessionId, job_id: jobId, ...(trace ? { trace_id: trace } : {}) }));
}

export function event(sessionId: string, jobId: string, seq: number, kind: string, body: unknown): Frame {
  return strict(env('job.event', { kind, ts: isoNow(), body }, { session_id: sessionId, job_id: jobId, event_seq: seq }));
}

export function result(sessionId: string, jobId: string, seq: number, payload: Record<string, unknown> = { result: { ok: true } }): Frame {
  return strict(env('job.result', { final_status: 'success', ...payload }, { session_id: sessionId, job_id: jobId, event_seq: seq }));
}

export type FinalStatus = 'error' | 'cancelled' | 'timed_out';

/** The final_status §7.3/§7.4 pair with a code. */
export function finalStatusFor(code: string): FinalStatus {
  return code === 'CANCELLED' ? 'cancelled' : code === 'TIMEOUT' ? 'timed_out' : 'error';
}

/** A terminal `job.error` with the code's retryable value (the pinned one where pinned). */
export function jobError(sessionId: string, jobId: string, seq: number, code: string, o: { retryable?: boolean; details?: Record<string, unknown>; message?: string } = {}): Frame {
  const info = ERROR_CODES[code as keyof typeof ERROR_CODES];
  const payload: Record<string, unknown> = {
    final_status: finalStatusFor(code),
    code,
    message: o.message ?? `scripted ${code}`,
    retryable: o.retryable ?? info?.retryable ?? false,
  };
  if (o.details) payload.details = o.details;
  return strict(env('job.error', payload, { session_id: sessionId, job_id: jobId, event_seq: seq }));
}

export function sessionError(sessionId: string | undefined, code: string, extra: Record<string, unknown> = {}): Frame {
  const info = ERROR_CODES[code as keyof typeof ERROR_CODES];
  const payload = { code, message: `scripted ${code}`, retryable: info?.retryable ?? false, ...extra };
  // Without a session id (pre-welcome, catalog §9 #26) the frame is an accepted variant, not the strict form.
  if (!sessionId) return lenient(env('session.error', payload));
  return strict(env('session.error', payload, { session_id: sessionId }));
}

export function ping(sessionId: string, nonce = `p_${ulid()}`): Frame {
  return strict(env('session.ping', { nonce, sent_at: isoNow() }, { session_id: sessionId }));
}

export function cancelled(sessionId: string, jobId: string, reason?: string): Frame {
  return strict(env('job.cancelled', reason ? { reason } : {}, { session_id: sessionId, job_id: jobId }));
}

export function closed(sessionId: string, reason?: string): Frame {
  return strict(env('session.closed', reason ? { reason } : {}, { session_id: sessionId }));
}

export function jobsPage(sessionId: string, requestId: string, jobs: Record<string, unknown>[], nextCursor: string | null): Frame {
  return strict(env('session.jobs', { request_id: requestId, jobs, next_cursor: nextCursor }, { session_id: sessionId }));
}

export function listEntry(jobId: string, lastEventSeq: number, status = 'running'): Record<string, unknown> {
  return { job_id: jobId, agent: 'conformance.echo@1.0.0', status, lease: {}, parent_job_id: null, created_at: isoNow(), last_event_seq: lastEventSeq };
}

export function subscribed(sessionId: string, jobId: string, subscribe: Frame, subscribedFrom: number, replayed: boolean): Frame {
  return strict(
    env(
      'job.subscribed',
      { job_id: jobId, current_status: 'running', agent: 'conformance.echo@1.0.0', lease: {}, parent_job_id: null, subscribed_from: subscribedFrom, replayed, request_id: subscribe.id },
      { session_id: sessionId, job_id: jobId },
    ),
  );
}

/** A result_chunk event body. */
export function chunkBody(resultId: string, chunkSeq: number, data: string, encoding: 'utf8' | 'base64', more: boolean): Record<string, unknown> {
  return { result_id: resultId, chunk_seq: chunkSeq, data, encoding, more };
}

export { env as envelopeOf };
