/**
 * telemetry/ (`arcp-kit/telemetry`): OpenTelemetry for the runtime and client. This entry point
 * imports @opentelemetry/api (an optional peer dependency); nothing else in arcp-kit does.
 *
 * @module arcp-kit/telemetry
 */
export { openTelemetry, TRACER_NAME, type OpenTelemetryOptions } from './opentelemetry.js';
export { activeTraceId, propagateTraceContext } from './client-trace.js';
export { formatTraceparent, parseTraceparent, TRACECONTEXT_EXTENSION, type TraceParent } from '../runtime/instrumentation/index.js';
export type { RuntimeInstrumentation } from '../runtime/instrumentation/index.js';
