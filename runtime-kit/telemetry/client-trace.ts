// The client half of §11: the trace id to submit under, taken from the caller's active span, so
// the runtime's arcp.job span joins the caller's trace (`client.submit({ ..., traceId })`).
import { context, trace, type Context } from '@opentelemetry/api';
import { isTraceId } from '../protocol/index.js';

/** The active span's trace id, when there is a valid one. */
export function activeTraceId(ctx: Context = context.active()): string | undefined {
  const sc = trace.getSpanContext(ctx);
  return sc && isTraceId(sc.traceId) ? sc.traceId : undefined;
}
