/**
 * The client's one door to protocol/: building envelopes (strict on the way out), decoding
 * frames (lenient on the way in), and minting ids. Keeping it in one file means the rest of the
 * client speaks plain objects and never depends on codec details.
 */
import { decodeFrame, encodeMessage } from '../protocol/codec.js';
import { newMessageId, newTraceId } from '../protocol/ids.js';

export { newMessageId, newTraceId };

export interface EnvelopeFields {
  session_id?: string;
  job_id?: string;
  trace_id?: string;
}

/** Builds an envelope (`arcp` "1.1", fresh `id`) ready for `encodeOutbound`. */
export function envelope(
  type: string,
  payload: Record<string, unknown>,
  fields: EnvelopeFields = {},
  id: string = newMessageId(),
): Record<string, unknown> {
  const env: Record<string, unknown> = { arcp: '1.1', id, type };
  if (fields.session_id !== undefined) env.session_id = fields.session_id;
  if (fields.job_id !== undefined) env.job_id = fields.job_id;
  if (fields.trace_id !== undefined) env.trace_id = fields.trace_id;
  env.payload = payload;
  return env;
}

/** Strict encode: throws KitError ARCP_KIT_ENCODE_INVALID when the message breaks the emit schema. */
export function encodeOutbound(env: Record<string, unknown>): string {
  return encodeMessage(env as never);
}

export type InboundFrame =
  | { ok: true; message: Record<string, unknown> }
  | { ok: false; error: Error; seq?: number; type?: string; salvaged?: Record<string, unknown> }
  | { ok: 'ignore' };

/**
 * Replies and terminals are never dropped for a schema complaint beyond the documented variants:
 * losing one would leave a request or a job handle waiting forever. They are still reported as
 * a protocolError, then read by the defensive readers of normalize.ts and errorFromPayload
 * (which, e.g., keeps LEASE_EXPIRED non-retryable whatever the peer claimed).
 */
const SALVAGEABLE = new Set([
  'session.welcome',
  'session.error',
  'session.closed',
  'session.jobs',
  'job.accepted',
  'job.subscribed',
  'job.cancelled',
  'job.result',
  'job.error',
]);

/**
 * Lenient decode. On a schema failure we still recover `event_seq` (one extra parse, only on
 * this rare path) so a single malformed event does not look like a seq gap (catalog §7).
 */
export function decodeInbound(frame: string): InboundFrame {
  const d = decodeFrame(frame);
  if (d.ok === true) return { ok: true, message: d.message as unknown as Record<string, unknown> };
  if (d.ok === 'ignore') return { ok: 'ignore' };
  const out: InboundFrame = { ok: false, error: d.error };
  if (typeof d.partial?.type === 'string') out.type = d.partial.type;
  let raw: unknown;
  try {
    raw = JSON.parse(frame);
  } catch {
    return out; // not JSON at all: nothing to recover
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return out;
  const env = raw as Record<string, unknown>;
  if (typeof env.event_seq === 'number' && Number.isInteger(env.event_seq)) out.seq = env.event_seq;
  const p = env.payload;
  if (typeof env.type === 'string' && SALVAGEABLE.has(env.type) && typeof p === 'object' && p !== null && !Array.isArray(p)) {
    out.salvaged = env;
  }
  return out;
}

/** The `event_seq` of a frame we will not otherwise read (an oversized one), if it has one. */
export function seqOf(frame: string): number | undefined {
  try {
    const seq = (JSON.parse(frame) as { event_seq?: unknown }).event_seq;
    return typeof seq === 'number' && Number.isInteger(seq) ? seq : undefined;
  } catch {
    return undefined;
  }
}
