// Envelope codec (contracts.md §3 protocol/codec): send the strict form, accept every documented
// variant (catalog §9 preamble, App. A). decodeFrame never throws; every bad input becomes an
// InvalidRequestError whose message and `details.field` name the offending JSON pointer.
import type { ArcpMessage, MessageType } from '../../generated/types.js';
import { isKnownMessageType, validateEventBody, validateMessage, type ValidationIssue } from '../../generated/validators.js';
import { InvalidRequestError } from '../errors/classes.js';
import type { ARCPError } from '../errors/arcp-error.js';
import { KitError, KIT_ERROR_CODES } from '../errors/kit-error.js';

export interface PartialIds {
  id?: string;
  type?: string;
  session_id?: string;
  job_id?: string;
}

export type Decoded =
  | { ok: true; message: ArcpMessage }
  | { ok: false; error: ARCPError; partial: PartialIds }
  | { ok: 'ignore'; reason: string };

export interface EncodeOptions {
  /**
   * Strict-validate before serialising (default true). Hot paths that build messages from
   * already-validated parts (e.g. the event stream) may pass false.
   */
  validate?: boolean;
}

/** Serialise one message as a JSON text frame; throws KitError ARCP_KIT_ENCODE_INVALID if not strict. */
export function encodeMessage(msg: ArcpMessage, opts: EncodeOptions = {}): string {
  if (opts.validate !== false) assertStrict(msg);
  return JSON.stringify(msg);
}

/**
 * The strict check of encodeMessage on its own (same KitError): for output that is checked when
 * it is handed over and serialised later (a deferred agent emit, runtime/limits/emit-outbox.ts).
 */
export function assertStrict(msg: ArcpMessage): void {
  const result = validateMessage('strict', msg);
  if (result.ok) return;
  const issue = pickIssue(result.issues);
  const type = typeof (msg as { type?: unknown }).type === 'string' ? (msg as { type: string }).type : '?';
  throw new KitError(KIT_ERROR_CODES.ENCODE_INVALID, `refusing to send invalid ${type}: ${describeIssue(issue)}`, {
    details: { type, field: issue?.path ?? '', issues: result.issues.slice(0, MAX_ISSUES) },
  });
}

/**
 * True when a job.event payload's kind is a schema kind and its body passes the strict schema of
 * that kind: the part of the frame an agent supplies. The rest (ids, seq, ts) is the runtime's
 * own, and the whole frame is still checked when it is encoded. False (a bad body, a vendor
 * kind) says nothing: run assertStrict on the frame for the verdict and its usual error.
 */
export function strictEventBodyOk(payload: { kind: string; body: unknown }): boolean {
  return validateEventBody('strict', payload.kind, payload.body).ok === true;
}

// Vendor message types (catalog §1.1 VENDOR_EXTENSION_PATTERN, §2.17).
const VENDOR_TYPE = /^x-vendor\.[a-z0-9_-]+(\.[a-z0-9_-]+)+$/;
const MAX_ISSUES = 10;

export interface DecodeOptions {
  /**
   * Consulted once the type is known and before any schema validation: an error refuses the
   * frame by its type alone (e.g. a runtime-only type from a client, anything but a handshake
   * before the handshake), so hostile bodies of those types cost no validation.
   */
  gate?: (type: MessageType) => ARCPError | undefined;
}

/** Parse and leniently validate one inbound frame. */
export function decodeFrame(frame: string, opts: DecodeOptions = {}): Decoded {
  let value: unknown;
  try {
    value = JSON.parse(frame);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    return reject(`malformed JSON: ${why}`, '', {});
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return reject(`frame must be a JSON object, got ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value}`, '', {});
  }
  const envelope = value as Record<string, unknown>;
  const partial = partialIds(envelope);
  const type = envelope.type;
  if (typeof type !== 'string' || type === '') {
    return reject(type === undefined ? 'missing required field /type' : '/type must be a non-empty string', '/type', partial);
  }
  if (type.startsWith('x-vendor.')) {
    if (!VENDOR_TYPE.test(type)) {
      return reject(`/type '${type}' is not a valid vendor type (x-vendor.<vendor>.<name>)`, '/type', partial);
    }
    const ext = envelope.extensions;
    if (typeof ext === 'object' && ext !== null && (ext as { optional?: unknown }).optional === true) {
      return { ok: 'ignore', reason: `optional vendor message type ${type}` };
    }
    return reject(`/type: vendor message type '${type}' is not supported (not marked extensions.optional)`, '/type', partial);
  }
  if (!isKnownMessageType(type)) {
    return reject(`/type: unknown message type '${type}'`, '/type', partial);
  }
  const refused = opts.gate?.(type);
  if (refused) return { ok: false, error: refused, partial };
  const result = validateMessage('lenient', value);
  if (!result.ok) {
    const issue = pickIssue(result.issues);
    return reject(`invalid ${type}: ${describeIssue(issue)}`, issue?.path ?? '', partial, result.issues);
  }
  normaliseTraceId(envelope);
  return { ok: true, message: result.message };
}

// Lenient accepts a full W3C traceparent in `trace_id` (what §11 literally says); reduce it to
// its 32-hex trace-id so whatever echoes it back (job.accepted, events) stays strict.
const TRACEPARENT = /^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/;

function normaliseTraceId(envelope: Record<string, unknown>): void {
  const trace = envelope.trace_id;
  if (typeof trace !== 'string' || trace.length === 32) return;
  const m = TRACEPARENT.exec(trace);
  if (m) envelope.trace_id = m[1];
}

function reject(message: string, field: string, partial: PartialIds, issues?: ValidationIssue[]): Decoded {
  const details: Record<string, unknown> = { field };
  if (issues) details.issues = issues.slice(0, MAX_ISSUES);
  return { ok: false, error: new InvalidRequestError(message, { details }), partial };
}

function partialIds(envelope: Record<string, unknown>): PartialIds {
  const partial: PartialIds = {};
  for (const key of ['id', 'type', 'session_id', 'job_id'] as const) {
    const v = envelope[key];
    if (typeof v === 'string' && v !== '') partial[key] = v;
  }
  return partial;
}

// ajv reports every failed anyOf branch; the deepest path is the most specific complaint.
function pickIssue(issues: ValidationIssue[]): ValidationIssue | undefined {
  let best: ValidationIssue | undefined;
  for (const issue of issues) if (!best || depth(issue.path) > depth(best.path)) best = issue;
  return best;
}

function depth(path: string): number {
  return path === '' ? 0 : path.split('/').length;
}

function describeIssue(issue: ValidationIssue | undefined): string {
  if (!issue) return 'schema violation';
  return `${issue.path || '/'} ${issue.message}`;
}
