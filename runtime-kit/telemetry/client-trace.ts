// The client half of §11. `activeTraceId()` is the trace id to submit under, so the runtime's
// arcp.job span joins the caller's trace (`client.submit({ ..., traceId: activeTraceId() })`);
// `propagateTraceContext(transport)` also puts the caller's span in the submit envelope's
// `x-vendor.opentelemetry.tracecontext` extension, so the job span becomes its child. It wraps
// the transport rather than the client: the frame is sent synchronously inside submit(), while
// the caller's context is still the active one.
import { context, isSpanContextValid, trace, type Context } from '@opentelemetry/api';
import { isTraceId } from '../protocol/index.js';
import { formatTraceparent, TRACECONTEXT_EXTENSION } from '../runtime/instrumentation/index.js';
import type { Transport } from '../transport/index.js';

/** The active span's trace id, when there is a valid one. */
export function activeTraceId(ctx: Context = context.active()): string | undefined {
  const sc = trace.getSpanContext(ctx);
  return sc && isTraceId(sc.traceId) ? sc.traceId : undefined;
}

/** A transport that adds the active span's traceparent (and tracestate) to `job.submit` frames of the same trace. */
export function propagateTraceContext(transport: Transport): Transport {
  return {
    get kind() {
      return transport.kind;
    },
    get isOpen() {
      return transport.isOpen;
    },
    get remoteAddress() {
      return transport.remoteAddress;
    },
    get bufferedAmount() {
      return transport.bufferedAmount;
    },
    start: (handlers) => transport.start(handlers),
    send: (frame) => transport.send(withTraceContext(frame)),
    close: (reason, code) => transport.close(reason, code),
  };
}

function withTraceContext(frame: string): string {
  if (!frame.includes('"job.submit"')) return frame; // every other frame passes untouched
  const sc = trace.getSpanContext(context.active());
  if (!sc || !isSpanContextValid(sc)) return frame;
  let env: Record<string, unknown>;
  try {
    env = JSON.parse(frame) as Record<string, unknown>;
  } catch {
    return frame;
  }
  // A different trace_id is the caller's explicit choice; the runtime would ignore the header anyway.
  if (env.type !== 'job.submit' || env.trace_id !== sc.traceId) return frame;
  const carrier: Record<string, string> = { traceparent: formatTraceparent({ traceId: sc.traceId, spanId: sc.spanId, flags: sc.traceFlags }) };
  const state = sc.traceState?.serialize();
  if (state) carrier.tracestate = state;
  const extensions = env.extensions !== null && typeof env.extensions === 'object' ? (env.extensions as Record<string, unknown>) : {};
  env.extensions = { ...extensions, [TRACECONTEXT_EXTENSION]: carrier };
  return JSON.stringify(env);
}
