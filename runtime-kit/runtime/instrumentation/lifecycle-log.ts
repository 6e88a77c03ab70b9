// The runtime's own structured log of sessions and jobs, through the `logger` option: one record
// per attachment, job start and job end (info; failed jobs warn), tool calls and delegations
// (debug). Every record carries `event` so a log pipeline can filter without parsing messages.
import type { RuntimeLogger } from '../options.js';
import type { Clock } from '../timers.js';
import type { RuntimeInstrumentation } from './types.js';

export function lifecycleLog(logger: RuntimeLogger, clock: Pick<Clock, 'now'>): RuntimeInstrumentation {
  return {
    sessionAttached(facts) {
      logger('info', facts.resumed ? 'session resumed' : 'session opened', {
        event: 'session.attached',
        session_id: facts.sessionId,
        principal: facts.principal,
        resumed: facts.resumed,
        features: facts.features,
      });
      return { end: (reason) => logger('info', 'session detached', { event: 'session.detached', session_id: facts.sessionId, reason }) };
    },
    jobRejected(r) {
      logger('warn', 'job rejected', {
        event: 'job.rejected',
        job_id: r.jobId,
        session_id: r.sessionId,
        trace_id: r.traceId,
        request_id: r.requestId,
        agent: r.agent,
        principal: r.principal,
        code: r.error.code,
        retryable: r.error.retryable,
        error: r.error.message,
      });
    },
    jobStarted({ job }) {
      const ids = { job_id: job.jobId, session_id: job.sessionId, trace_id: job.traceId };
      logger('info', 'job started', {
        event: 'job.started',
        ...ids,
        agent: job.agentRef,
        principal: job.principal,
        ...(job.parentJobId !== undefined ? { parent_job_id: job.parentJobId } : {}),
      });
      return {
        toolCall(call) {
          logger('debug', 'tool call', { event: 'tool.call', ...ids, tool: call.tool, call_id: call.callId, capability: call.capability });
          return {
            end: ({ error }) =>
              logger('debug', error ? 'tool call failed' : 'tool call done', {
                event: 'tool.result',
                ...ids,
                call_id: call.callId,
                ...(error ? { code: error.code, retryable: error.retryable } : {}),
              }),
          };
        },
        delegation(req) {
          logger('debug', 'delegation', { event: 'delegate', ...ids, agent: req.agent });
          return {
            end: (o) =>
              logger(o.error ? 'warn' : 'debug', o.error ? 'delegation failed' : 'delegation done', {
                event: 'delegate.done',
                ...ids,
                ...(o.childJobId !== undefined ? { child_job_id: o.childJobId } : {}),
                ...(o.finalStatus !== undefined ? { final_status: o.finalStatus } : {}),
                ...(o.error ? { code: o.error.code, retryable: o.error.retryable } : {}),
              }),
          };
        },
        end(outcome) {
          const failed = outcome.finalStatus === 'error' || outcome.finalStatus === 'timed_out';
          logger(failed ? 'warn' : 'info', 'job ended', {
            event: 'job.ended',
            ...ids,
            final_status: outcome.finalStatus,
            duration_ms: Math.max(0, clock.now() - job.createdAtMs),
            ...(outcome.error ? { code: outcome.error.code, retryable: outcome.error.retryable, error: outcome.error.message } : {}),
          });
        },
      };
    },
  };
}
