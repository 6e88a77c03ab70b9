// OpenTelemetry spans for the runtime (`arcp-kit/telemetry`; @opentelemetry/api is an optional
// peer, loaded only by this entry point):
//   arcp.session   one per transport attachment (fresh welcome or resume), SERVER
//   arcp.job       submit to terminal, SERVER; in the trace ARCP's trace_id names (§11), parented
//                  to the submit's traceparent extension when it sent one; linked to its session
//   arcp.tool_call ctx.toolCall / invokeModel / operation, child of the job
//   arcp.delegate  ctx.delegate, child of the job; the delegated child's arcp.job is its child
// The agent runs inside its job's context and each tool call inside its span, so spans the
// agent's own libraries create nest under them; ctx.traceparent is the job span's header.
import {
  context,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  TraceFlags,
  type Attributes,
  type Context,
  type Link,
  type Span,
  type SpanContext,
  type Tracer,
  type TracerProvider,
} from '@opentelemetry/api';
import {
  formatTraceparent,
  newSpanId,
  parseTraceparent,
  type ErrorFacts,
  type JobObservation,
  type JobOutcome,
  type RuntimeInstrumentation,
} from '../runtime/instrumentation/index.js';
import { isTraceId } from '../protocol/index.js';

export interface OpenTelemetryOptions {
  /** The tracer to use. Default: `tracerProvider` (or the global provider)'s `arcp-kit` tracer. */
  tracer?: Tracer;
  tracerProvider?: TracerProvider;
}

export const TRACER_NAME = 'arcp-kit';

/** `new ARCPRuntime({ instrumentation: openTelemetry({ tracer }) })`. */
export function openTelemetry(opts: OpenTelemetryOptions = {}): RuntimeInstrumentation {
  const tracer = opts.tracer ?? (opts.tracerProvider ?? trace).getTracer(TRACER_NAME);
  // The live attachment span of each session, so a job can link to the session it came over.
  const sessions = new Map<string, Span>();

  return {
    sessionAttached(facts) {
      const span = tracer.startSpan(
        'arcp.session',
        {
          kind: SpanKind.SERVER,
          attributes: {
            'arcp.session_id': facts.sessionId,
            'arcp.principal': facts.principal,
            'arcp.session.resumed': facts.resumed,
            'arcp.session.features': [...facts.features],
          },
        },
        ROOT_CONTEXT,
      );
      sessions.set(facts.sessionId, span);
      return {
        end(reason) {
          if (sessions.get(facts.sessionId) === span) sessions.delete(facts.sessionId);
          span.setAttribute('arcp.session.end_reason', reason);
          span.end();
        },
      };
    },

    // A refused submit is still a job from the caller's view: a span that ends as it starts.
    jobRejected(r) {
      const session = sessions.get(r.sessionId);
      const span = tracer.startSpan(
        'arcp.job',
        {
          kind: SpanKind.SERVER,
          startTime: r.submittedAtMs,
          links: session ? [{ context: session.spanContext() }] : [],
          attributes: {
            'arcp.job_id': r.jobId,
            'arcp.session_id': r.sessionId,
            'arcp.agent': r.agent,
            'arcp.principal': r.principal,
            'arcp.trace_id': r.traceId,
            'arcp.request_id': r.requestId,
            'arcp.job.final_status': 'error',
          },
        },
        parentOf(r.traceId, r.traceparent),
      );
      fail(span, r.error);
      span.end();
    },

    jobStarted({ job, traceparent }): JobObservation {
      const session = sessions.get(job.sessionId);
      const links: Link[] = session ? [{ context: session.spanContext() }] : [];
      const attributes: Attributes = {
        'arcp.job_id': job.jobId,
        'arcp.session_id': job.sessionId,
        'arcp.agent': job.agentRef,
        'arcp.principal': job.principal,
        'arcp.trace_id': job.traceId,
      };
      if (job.parentJobId !== undefined) attributes['arcp.parent_job_id'] = job.parentJobId;
      const expiresAt = job.leaseConstraints?.expires_at;
      if (typeof expiresAt === 'string') attributes['arcp.lease.expires_at'] = expiresAt;
      const span = tracer.startSpan('arcp.job', { kind: SpanKind.SERVER, attributes, links, startTime: job.createdAtMs }, parentOf(job.traceId, traceparent));
      const here = trace.setSpan(ROOT_CONTEXT, span);
      return {
        traceparent: headerOf(span.spanContext()),
        run: (fn) => context.with(here, fn),
        toolCall(call) {
          const child = tracer.startSpan(
            'arcp.tool_call',
            {
              kind: SpanKind.INTERNAL,
              attributes: { 'arcp.job_id': job.jobId, 'arcp.tool.name': call.tool, 'arcp.tool.call_id': call.callId, 'arcp.capability': call.capability, 'arcp.target': call.target },
            },
            here,
          );
          const callContext = trace.setSpan(here, child);
          return {
            run: (fn) => context.with(callContext, fn),
            end({ error }) {
              if (error) fail(child, error);
              else child.setStatus({ code: SpanStatusCode.OK });
              child.end();
            },
          };
        },
        delegation(req) {
          const child = tracer.startSpan('arcp.delegate', { kind: SpanKind.INTERNAL, attributes: { 'arcp.job_id': job.jobId, 'arcp.delegate.agent': req.agent } }, here);
          return {
            traceparent: headerOf(child.spanContext()),
            end(outcome) {
              if (outcome.childJobId !== undefined) child.setAttribute('arcp.delegate.child_job_id', outcome.childJobId);
              if (outcome.delegateId !== undefined) child.setAttribute('arcp.delegate.delegate_id', outcome.delegateId);
              if (outcome.finalStatus !== undefined) child.setAttribute('arcp.job.final_status', outcome.finalStatus);
              if (outcome.error) fail(child, outcome.error);
              else child.setStatus({ code: SpanStatusCode.OK });
              child.end();
            },
          };
        },
        end(outcome: JobOutcome) {
          span.setAttribute('arcp.job.final_status', outcome.finalStatus);
          for (const [currency, value] of Object.entries(outcome.budgetRemaining ?? {})) span.setAttribute(`arcp.budget.remaining.${currency}`, value);
          if (outcome.error && (outcome.finalStatus === 'error' || outcome.finalStatus === 'timed_out')) fail(span, outcome.error);
          else if (outcome.error) {
            // Cancelled: an outcome the client asked for, not a failure of the runtime.
            span.setAttribute('arcp.error.code', outcome.error.code);
          } else span.setStatus({ code: SpanStatusCode.OK });
          span.end();
        },
      };
    },
  };
}

function fail(span: Span, error: ErrorFacts): void {
  span.setAttribute('arcp.error.code', error.code);
  span.setAttribute('arcp.error.retryable', error.retryable);
  span.recordException({ name: error.code, message: error.message });
  span.setStatus({ code: SpanStatusCode.ERROR, message: `${error.code}: ${error.message}` });
}

function headerOf(sc: SpanContext): string {
  return formatTraceparent({ traceId: sc.traceId, spanId: sc.spanId, flags: sc.traceFlags });
}

// The job's parent: the caller's span when the submit (or delegation) carried a traceparent of
// this trace; else a remote placeholder that only fixes the trace id, so the job span lands in
// the trace ARCP's trace_id names. A trace_id that is not a W3C trace-id starts a new trace.
function parentOf(traceId: string, traceparent: string | undefined): Context {
  const tp = parseTraceparent(traceparent);
  if (tp && tp.traceId === traceId) {
    return trace.setSpanContext(ROOT_CONTEXT, { traceId: tp.traceId, spanId: tp.spanId, traceFlags: tp.flags, isRemote: true });
  }
  if (!isTraceId(traceId)) return ROOT_CONTEXT;
  return trace.setSpanContext(ROOT_CONTEXT, { traceId, spanId: newSpanId(), traceFlags: TraceFlags.SAMPLED, isRemote: true });
}
