// Envelope builders for the harness. The harness writes raw JSON itself (it must be able to send
// what a good client never would), so these helpers only fill the boring fields.
import { ulid } from 'ulid';

/** What the harness sends: a plain JSON object (validated against the strict schema unless raw). */
export type Envelope = Record<string, unknown> & { type: string; payload?: unknown };

/** The 11 feature flags of §6.2 (kept here so the harness never trusts the peer's list). */
export const ALL_FEATURES = [
  'heartbeat',
  'ack',
  'list_jobs',
  'subscribe',
  'lease_expires_at',
  'cost.budget',
  'model.use',
  'provisioned_credentials',
  'progress',
  'result_chunk',
  'agent_versions',
] as const;

export function newMessageId(): string {
  return `msg_${ulid()}`;
}

/** A fresh 32-lower-hex, non-zero trace id (catalog §10 #2). */
export function newTraceId(): string {
  let s = '';
  while (s.length < 32) s += Math.floor(Math.random() * 0x100000000).toString(16).padStart(8, '0');
  return s === '0'.repeat(32) ? '1'.padStart(32, '0') : s.slice(0, 32);
}

/** Builds `{arcp, id, type, session_id?, job_id?, payload}` with fresh ids. */
export function envelope(
  type: string,
  payload: unknown,
  extra: { session_id?: string; job_id?: string; trace_id?: string; id?: string } = {},
): Envelope {
  const env: Envelope = { arcp: '1.1', id: extra.id ?? newMessageId(), type, payload: payload as object };
  if (extra.session_id !== undefined) env.session_id = extra.session_id;
  if (extra.job_id !== undefined) env.job_id = extra.job_id;
  if (extra.trace_id !== undefined) env.trace_id = extra.trace_id;
  return env;
}

export function isoNow(): string {
  return new Date().toISOString();
}

/** A frame's event_seq, when it carries a numeric one. */
export function seqOf(m: Envelope): number | undefined {
  return typeof m.event_seq === 'number' ? m.event_seq : undefined;
}

/** The job a frame names: the envelope's job_id, else the payload's (peers put it in either place). */
export function jobIdOf(m: Envelope): string | undefined {
  const nonEmpty = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
  return nonEmpty(m.job_id) ?? nonEmpty(field(m, 'payload', 'job_id'));
}

/** A field read that tolerates any shape (peer frames are untrusted). */
export function field(obj: unknown, ...path: string[]): unknown {
  let cur: unknown = obj;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

export const TERMINAL_TYPES: ReadonlySet<string> = new Set(['job.result', 'job.error']);

const REPLY_TO = Symbol('arcp-conformance.replyTo');

/** Marks an inbound frame as the reply to a harness request of `requestType` (driver/correlator.ts). */
export function markReply(m: Envelope, requestType: string): void {
  Object.defineProperty(m, REPLY_TO, { value: requestType, enumerable: false });
}

/**
 * The type of the harness request this frame answered, if the correlator matched it to one. A
 * `job.error` that answered a request is a rejection of that request (catalog §4.4: TS reports a
 * refused cancel or submit as `job.error` on the requested job id), not the job's terminal.
 */
export function replyTo(m: Envelope): string | undefined {
  return (m as { [REPLY_TO]?: string })[REPLY_TO];
}
