export type * from './types.js';
export { composeInstrumentation, type Instrumentation, type ResolvedJobObservation } from './compose.js';
export { lifecycleLog } from './lifecycle-log.js';
export { formatTraceparent, newSpanId, parseTraceparent, traceparentOfExtensions, TRACECONTEXT_EXTENSION, type TraceParent } from './trace-context.js';
