// Fans every observation point out to each instrumentation. An observer that throws is logged and
// ignored: observing a job must never change what the job does on the wire.
import type { RuntimeLogger } from '../options.js';
import { isTraceId, newTraceId } from '../../protocol/index.js';
import { formatTraceparent, newSpanId, parseTraceparent } from './trace-context.js';
import type {
  CallObservation,
  DelegationObservation,
  JobObservation,
  JobRejection,
  JobStart,
  RuntimeInstrumentation,
  SessionFacts,
  SessionObservation,
} from './types.js';

/** The runtime's view: every method present, every observation complete. */
export interface Instrumentation {
  sessionAttached(facts: SessionFacts): Required<SessionObservation>;
  jobStarted(start: JobStart): ResolvedJobObservation;
  jobRejected(rejection: JobRejection): void;
}

export interface ResolvedJobObservation {
  /** Always set: the first instrumentation's, else a fresh span id under the job's trace id. */
  readonly traceparent: string;
  run<T>(fn: () => T): T;
  toolCall(call: Parameters<NonNullable<JobObservation['toolCall']>>[0]): Required<CallObservation>;
  delegation(req: { agent: string }): { traceparent: string | undefined; end: DelegationObservation['end'] };
  end: JobObservation['end'];
}

export function composeInstrumentation(list: readonly RuntimeInstrumentation[], logger: RuntimeLogger): Instrumentation {
  const safely = <T>(what: string, fn: () => T): T | undefined => {
    try {
      return fn();
    } catch (err) {
      logger('error', `instrumentation failed in ${what}`, { error: String(err) });
      return undefined;
    }
  };
  const present = <T>(xs: Array<T | void | undefined>): T[] => xs.filter((x): x is T => x !== undefined && x !== null);
  // Runs fn inside every observer's context, outermost first; fn's own errors propagate.
  const nest = <T>(runners: Array<{ run?<U>(f: () => U): U }>, fn: () => T): T =>
    runners.reduceRight<() => T>((next, o) => (o.run ? () => o.run!(next) : next), fn)();

  return {
    sessionAttached(facts) {
      const observed = present(list.map((i) => safely('sessionAttached', () => i.sessionAttached?.(facts))));
      return { end: (reason) => observed.forEach((o) => safely('session end', () => o.end(reason))) };
    },
    jobRejected(rejection) {
      for (const i of list) safely('jobRejected', () => i.jobRejected?.(rejection));
    },
    jobStarted(start) {
      const observed = present(list.map((i) => safely('jobStarted', () => i.jobStarted?.(start))));
      const inbound = parseTraceparent(start.traceparent);
      const traceparent =
        observed.find((o) => o.traceparent !== undefined)?.traceparent ??
        formatTraceparent({ traceId: isTraceId(start.job.traceId) ? start.job.traceId : newTraceId(), spanId: newSpanId(), flags: inbound?.flags ?? 1 });
      return {
        traceparent,
        run: (fn) => nest(observed, fn),
        toolCall(call) {
          const calls = present(observed.map((o) => safely('toolCall', () => o.toolCall?.(call))));
          return { run: (fn) => nest(calls, fn), end: (outcome) => calls.forEach((c) => safely('tool call end', () => c.end(outcome))) };
        },
        delegation(req) {
          const ds = present(observed.map((o) => safely('delegation', () => o.delegation?.(req))));
          return {
            traceparent: ds.find((d) => d.traceparent !== undefined)?.traceparent ?? traceparent,
            end: (outcome) => ds.forEach((d) => safely('delegation end', () => d.end(outcome))),
          };
        },
        end: (outcome) => observed.forEach((o) => safely('job end', () => o.end(outcome))),
      };
    },
  };
}
