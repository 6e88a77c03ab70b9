// Builders for outbound envelopes. Every envelope gets a fresh `msg_<ULID>` id (catalog §5: no
// SDK reuses a request id as a reply id); payload shapes are the generated types.
import { PROTOCOL_VERSION, type ArcpMessage, type ErrorPayload } from '../../generated/index.js';
import { newMessageId } from '../protocol/index.js';
import type { ARCPError } from '../errors/index.js';

type Fields = { session_id?: string; job_id?: string; trace_id?: string; event_seq?: number };

/** Assembles an envelope; the caller picks the generated message type `M`. */
export function envelope<M extends ArcpMessage>(type: M['type'], fields: Fields, payload: M['payload']): M {
  const msg: Record<string, unknown> = { arcp: PROTOCOL_VERSION, id: newMessageId(), type };
  if (fields.session_id !== undefined) msg.session_id = fields.session_id;
  if (fields.job_id !== undefined) msg.job_id = fields.job_id;
  if (fields.trace_id !== undefined) msg.trace_id = fields.trace_id;
  if (fields.event_seq !== undefined) msg.event_seq = fields.event_seq;
  msg.payload = payload;
  return msg as M;
}

/** Correlation extras every per-request error carries (catalog §9 #4, §10 #11). */
export interface Correlation {
  request_id?: string;
  job_id?: string;
}

/** ErrorPayload of an ARCPError plus correlation keys (receivers ignore unknown keys, §5). */
export function errorPayload(err: ARCPError, corr: Correlation = {}): ErrorPayload & Correlation {
  const payload: ErrorPayload & Correlation = { ...err.toPayload() };
  if (corr.request_id !== undefined) payload.request_id = corr.request_id;
  if (corr.job_id !== undefined) payload.job_id = corr.job_id;
  return payload;
}
