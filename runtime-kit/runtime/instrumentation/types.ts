// Observation points of the runtime: session attachments, jobs (submit to terminal), tool calls
// and delegation. The runtime calls these; telemetry/ (OpenTelemetry spans) and the lifecycle log
// implement them, so the runtime itself never depends on a tracing or logging library.
import type { JobInfo } from '../hooks.js';

/** A transport now carries the session (a fresh welcome, or a resume). */
export interface SessionFacts {
  readonly sessionId: string;
  readonly principal: string;
  readonly resumed: boolean;
  readonly features: readonly string[];
}

/** Why an attachment ended: `transport_closed`, `heartbeat_lost`, `closed` (§6.7), `event_buffer_full`, `replaced`. */
export type SessionEndReason = 'transport_closed' | 'heartbeat_lost' | 'closed' | 'event_buffer_full' | 'replaced';

export interface SessionObservation {
  end(reason: SessionEndReason): void;
}

export interface ErrorFacts {
  readonly code: string;
  readonly message: string;
  readonly retryable: boolean;
}

export interface JobOutcome {
  /** `success`, `error`, `cancelled`, `timed_out`. */
  readonly finalStatus: string;
  readonly error?: ErrorFacts;
  /** Budget counters left at the end (§9.6), when the job had a budget. */
  readonly budgetRemaining?: Readonly<Record<string, number>>;
}

/** A job as it starts; `traceparent` is the inbound W3C trace context, when the caller sent one. */
export interface JobStart {
  readonly job: JobInfo;
  readonly traceparent?: string;
}

export interface ToolCallFacts {
  /** `tool_call.tool` (e.g. a tool name, `model.invoke`). */
  readonly tool: string;
  readonly callId: string;
  /** The lease capability checked (`tool.call`, `model.use`, ...). */
  readonly capability: string;
  readonly target: string;
}

export interface CallObservation {
  /** Runs the operation inside this call's trace context. */
  run?<T>(fn: () => T): T;
  end(outcome: { error?: ErrorFacts }): void;
}

export interface DelegationOutcomeFacts {
  readonly childJobId?: string;
  readonly delegateId?: string;
  readonly finalStatus?: string;
  readonly error?: ErrorFacts;
}

export interface DelegationObservation {
  /** W3C traceparent the child job is started under (its span's parent). */
  readonly traceparent?: string;
  end(outcome: DelegationOutcomeFacts): void;
}

export interface JobObservation {
  /** W3C traceparent of this job's span: what the agent forwards to tool servers and sub-agents (§11). */
  readonly traceparent?: string;
  /** Runs the agent inside this job's trace context. */
  run?<T>(fn: () => T): T;
  toolCall?(call: ToolCallFacts): CallObservation | void;
  delegation?(req: { agent: string }): DelegationObservation | void;
  end(outcome: JobOutcome): void;
}

/** A submit refused before a job existed (job.error with a fresh job_id, catalog §9 #5). */
export interface JobRejection {
  readonly jobId: string;
  readonly sessionId: string;
  readonly principal: string;
  /** The agent as the submit named it. */
  readonly agent: string;
  readonly traceId: string;
  readonly traceparent?: string;
  readonly requestId: string;
  readonly submittedAtMs: number;
  readonly error: ErrorFacts;
}

/** What an embedder passes as `ARCPRuntime({ instrumentation })`; every method is optional. */
export interface RuntimeInstrumentation {
  sessionAttached?(facts: SessionFacts): SessionObservation | void;
  jobStarted?(start: JobStart): JobObservation | void;
  jobRejected?(rejection: JobRejection): void;
}
