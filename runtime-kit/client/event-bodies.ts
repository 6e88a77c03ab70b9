/**
 * Event bodies as real peers send them (catalog §3.2, §9) turned into the spec's form (§8.2),
 * so a consumer reads one shape whichever SDK the runtime is built on. Only the documented
 * variants are rewritten; a body already in the spec form comes back unchanged (same object),
 * and none of these throws. Keys a variant renames are dropped; other extra keys are kept.
 */
import { errorFromPayload } from '../errors/index.js';
import { isObject, str } from './normalize.js';

type Obj = Record<string, unknown>;

/** Log level aliases seen in the wild; anything else unknown reads as `info` (original kept). */
const LOG_LEVELS = new Set(['trace', 'debug', 'info', 'warn', 'error', 'critical']);
const LOG_LEVEL_ALIASES: Readonly<Record<string, string>> = { warning: 'warn', fatal: 'critical', err: 'error', information: 'info', notice: 'info' };

const byKind: Readonly<Partial<Record<string, (b: Obj) => Obj>>> = {
  log: logBody,
  metric: metricBody,
  tool_call: toolCallBody,
  tool_result: toolResultBody,
  artifact_ref: artifactRefBody,
  result_chunk: resultChunkBody,
};

export function normalizeEventBody(kind: string, body: unknown): unknown {
  const fn = byKind[kind];
  return fn && isObject(body) ? fn(body) : body;
}

function without(b: Obj, ...keys: string[]): Obj {
  const out = { ...b };
  for (const k of keys) delete out[k];
  return out;
}

/** Go names the extra object `fields` (catalog §3.2); unknown level names read as info. */
function logBody(b: Obj): Obj {
  let out = b;
  if (out.attributes === undefined && isObject(b.fields)) out = { ...without(b, 'fields'), attributes: b.fields };
  const level = out.level;
  if (typeof level === 'string' && !LOG_LEVELS.has(level)) {
    const mapped = LOG_LEVEL_ALIASES[level.toLowerCase()] ?? (LOG_LEVELS.has(level.toLowerCase()) ? level.toLowerCase() : 'info');
    const attributes = { ...(isObject(out.attributes) ? out.attributes : {}), level_name: level };
    out = { ...out, level: mapped, attributes };
  }
  return out;
}

/** `dimensions` (spec, Go), `dims` (TS) or `attributes` (Py): catalog §9 #10. */
function metricBody(b: Obj): Obj {
  if (b.dimensions !== undefined) return b;
  if (b.dims !== undefined) return { ...without(b, 'dims'), dimensions: b.dims };
  if (b.attributes !== undefined) return { ...without(b, 'attributes'), dimensions: b.attributes };
  return b;
}

/** Py `{tool_call_id, name, arguments}`; TS may omit `args` (catalog §3.2). */
function toolCallBody(b: Obj): Obj {
  let out = b;
  if (out.call_id === undefined && str(b.tool_call_id)) {
    out = { ...without(b, 'tool_call_id', 'name', 'arguments'), tool: out.tool ?? b.name, call_id: b.tool_call_id };
    if (isObject(b.arguments)) out.args = b.arguments;
  }
  return isObject(out.args) ? out : { ...out, args: {} };
}

/**
 * Py `{tool_call_id, output, error}` (error possibly a bare string); TS allows neither result nor
 * error (a void tool: `result: null` here, catalog §10 #24). An error keeps its meaning but is
 * read like any inbound error (unknown code -> INTERNAL_ERROR, pinned retryable, §12).
 */
function toolResultBody(b: Obj): Obj {
  let out = b;
  if (out.call_id === undefined && str(b.tool_call_id)) {
    out = { ...without(b, 'tool_call_id', 'output'), call_id: b.tool_call_id };
    if (b.output !== undefined && b.output !== null) out.result = b.output;
    else if (b.error === undefined || b.error === null) out.result = b.output ?? null;
    if (b.error === null) delete out.error;
  }
  if (out.error !== undefined) {
    const payload = typeof out.error === 'string' ? { code: 'INTERNAL_ERROR', message: out.error || 'tool failed', retryable: true } : out.error;
    const error = errorFromPayload(payload).toPayload();
    // `result` and `error` never both (§8.2): the error wins, it is the more informative.
    out = { ...without(out, 'result'), error };
  } else if (!('result' in out)) {
    out = { ...out, result: null };
  }
  return out;
}

/** Py `{artifact_id, media_type, size_bytes, uri, summary}` (catalog §3.2). */
function artifactRefBody(b: Obj): Obj {
  if (b.content_type !== undefined || !str(b.media_type)) return b;
  const out: Obj = { ...without(b, 'media_type', 'size_bytes'), content_type: b.media_type };
  // A Py ref without a uri still names its artifact: give it a stable URN so `uri` is always set.
  out.uri = str(b.uri) ?? `urn:arcp:artifact:${str(b.artifact_id) ?? 'unknown'}`;
  if (typeof b.size_bytes === 'number') out.byte_size = b.size_bytes;
  return out;
}

/** Py defaults `encoding` to utf8 when absent (catalog §3.2). */
function resultChunkBody(b: Obj): Obj {
  return b.encoding === undefined ? { ...b, encoding: 'utf8' } : b;
}
