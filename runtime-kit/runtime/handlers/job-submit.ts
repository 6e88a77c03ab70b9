// job.submit (§7.1-§7.2, §7.5). Order: idempotency (principal-scoped) -> agent resolution ->
// lease validation and policy -> authority -> credentials -> job.accepted -> status running.
// Rejections (catalog §9 #5): job.error with a fresh job_id, the submit's trace_id and
// payload.request_id; AGENT_VERSION_NOT_AVAILABLE alone goes as session.error (§13.8).
import type { ArcpMessage, Credential, JobAccepted, JobAcceptedPayload, JobSubmit } from '../../../generated/index.js';
import { arcpError, type ARCPError } from '../../errors/index.js';
import { toARCPError } from '../arcp-errors.js';
import { newJobId, newTraceId } from '../../protocol/index.js';
import type { ResolvedAgent } from '../agent-registry.js';
import type { HandlerContext, MessageHandler } from '../dispatch.js';
import { authorityServicesOf } from '../enforcement/authority-services.js';
import { envelope, errorPayload } from '../envelope.js';
import { Job } from '../job.js';
import type { KeyedJob } from '../keyed-job.js';
import type { Session } from '../session.js';
import { isoTime } from '../timers.js';
import { isTransportTrusted } from '../transport-trust.js';
import { formatTraceparent, traceparentOfExtensions } from '../instrumentation/index.js';

export const jobSubmitHandler: MessageHandler = {
  types: ['job.submit'],
  phase: 'session',
  handle(msg: ArcpMessage, ctx: HandlerContext) {
    return submit(msg as JobSubmit, ctx);
  },
};

/** Submits whose key was already looked up in a shared store (cluster mode). */
const askedStore = new WeakSet<JobSubmit>();

function submit(msg: JobSubmit, ctx: HandlerContext): void | Promise<void> {
  const { core } = ctx;
  const session = ctx.session!;
  const p = msg.payload;
  // §11: a W3C traceparent in the tracecontext extension parents the job's span when it names the
  // same trace as trace_id (or trace_id is absent: then it names the trace).
  const inbound = traceparentOfExtensions((msg as { extensions?: unknown }).extensions);
  const sentTraceId = (msg as { trace_id?: string }).trace_id;
  const traceId = sentTraceId ?? inbound?.traceId ?? newTraceId();
  const traceparent = inbound && inbound.traceId === traceId ? formatTraceparent(inbound) : undefined;
  const now = core.timers.now();
  const reject = (error: ARCPError): void => {
    const jobId = rejectSubmit(session, msg.id, traceId, error);
    core.options.instrumentation.jobRejected({
      jobId,
      sessionId: session.id,
      principal: session.principal,
      agent: String(p.agent),
      traceId,
      ...(traceparent !== undefined ? { traceparent } : {}),
      requestId: msg.id,
      submittedAtMs: now,
      error: { code: error.code, message: error.message, retryable: error.retryable },
    });
  };

  // Input size first (linear in the input): an oversized or unmeasurable input is refused before anything keeps it.
  const inputBytes = jsonSize(p.input);
  if (inputBytes === undefined) {
    return reject(arcpError('INVALID_REQUEST', 'job input is nested too deeply to process', { details: { field: '/payload/input' } }));
  }
  const tooLarge = core.jobs.admitInputSize(inputBytes);
  if (tooLarge) return reject(tooLarge);

  const key = p.idempotency_key;
  if (key !== undefined) {
    // Its length next (the lenient form puts no bound on it): before it is hashed, kept or echoed.
    const keyTooLong = core.idempotency.admitKey(key);
    if (keyTooLong) return reject(keyTooLong);
    const hit = core.idempotency.lookup(session.principal, key, p, now);
    // Cluster (issue 12): a key this node does not know may name another node's job.
    const cluster = core.persistence?.cluster;
    if (hit.kind === 'miss' && cluster && !askedStore.has(msg)) {
      askedStore.add(msg);
      const duplicate = (jobId: string): void =>
        reject(arcpError('DUPLICATE_KEY', `idempotency_key "${key}" was used with different parameters`, { details: { existing_job_id: jobId } }));
      return cluster.answerIdempotent(session, msg.id, key, p, duplicate).then((answered) => (answered ? undefined : submit(msg, ctx)));
    }
    // The first submit is still being accepted (credentials pending): decide once it is
    // settled, by re-running this one then — a replay or DUPLICATE_KEY if the first job was
    // accepted, a fresh submit if it was refused (its key is released).
    if (hit.kind !== 'miss' && hit.settled) return hit.settled.then(() => submit(msg, ctx));
    if (hit.kind === 'same') return replayIdempotent(ctx, session, msg.id, hit.job);
    if (hit.kind === 'conflict') {
      return reject(
        arcpError('DUPLICATE_KEY', `idempotency_key "${key}" was used with different parameters`, {
          details: { existing_job_id: hit.job.jobId },
        }),
      );
    }
  }

  // Memory budgets (limits/): live jobs and the input bytes they hold, per principal and overall;
  // room for one more idempotency key (none when every retained key names a running job).
  const overBudget = core.jobs.admit(session.principal, inputBytes) ?? (key !== undefined ? core.idempotency.admit(session.principal) : undefined);
  if (overBudget) return reject(overBudget);

  let agent: ResolvedAgent;
  let lease: JobAcceptedPayload['lease'];
  let constraints: JobAcceptedPayload['lease_constraints'];
  try {
    agent = core.agents.resolve(p.agent);
    const validated = core.hooks.validateLease!(p.lease_request, p.lease_constraints, now);
    lease = core.hooks.leasePolicy!(validated.lease, { principal: session.principal, sessionId: session.id, agentRef: agent.ref, nowMs: now });
    constraints = validated.constraints;
  } catch (err) {
    const error = toARCPError(err);
    if (error.code === 'AGENT_VERSION_NOT_AVAILABLE') return session.sendError(error, { request_id: msg.id });
    return reject(error);
  }

  const job = new Job({
    jobId: newJobId(),
    owner: session,
    agent,
    input: p.input,
    lease,
    ...(constraints !== undefined ? { leaseConstraints: constraints } : {}),
    traceId,
    createdAtMs: now,
    ...(p.max_runtime_sec !== undefined ? { maxRuntimeSec: p.max_runtime_sec } : {}),
    ...(traceparent !== undefined ? { traceparent } : {}),
    inputBytes,
  });
  try {
    job.authority = core.hooks.createAuthority!({ lease, ...(constraints ? { constraints } : {}), clock: core.timers, job });
  } catch (err) {
    return reject(toARCPError(err));
  }

  const accept = (credentials: Credential[] | undefined): void => {
    const payload: JobAcceptedPayload = { request_id: msg.id, job_id: job.jobId, agent: agent.ref, lease, accepted_at: isoTime(now), trace_id: traceId };
    if (constraints !== undefined) payload.lease_constraints = constraints;
    const budget = job.authority.budget();
    if (budget !== undefined) payload.budget = budget;
    if (credentials && credentials.length > 0) payload.credentials = credentials;
    job.acceptedPayload = payload;
    core.jobs.add(job);
    if (key !== undefined) core.idempotency.remember(session.principal, key, p, job, now);
    session.sendControl(envelope<JobAccepted>('job.accepted', { session_id: session.id, job_id: job.jobId, trace_id: traceId }, job.acceptedPayload));
    core.runner.start(job);
  };

  const issue = core.hooks.issueCredentials;
  // §14: never over a transport that is neither encrypted nor operator-trusted (transport-trust.ts).
  if (!issue || !session.has('provisioned_credentials') || !isTransportTrusted(session.connection?.transport)) return accept(undefined);
  // catalog §6.18: a provisioner failure -> job.error INTERNAL_ERROR instead of job.accepted.
  try {
    const issued = issue(job);
    if (issued instanceof Promise) {
      // Hold the key while issuing, so a concurrent retry cannot create a second job.
      let settle: () => void = () => {};
      if (key !== undefined) core.idempotency.remember(session.principal, key, p, job, now, new Promise<void>((r) => (settle = r)));
      return issued
        .then(accept, (err) => {
          if (key !== undefined) core.idempotency.forget(session.principal, key, job);
          reject(arcpError('INTERNAL_ERROR', `credential provisioning failed: ${String(err)}`, { retryable: true }));
        })
        .finally(() => settle());
    }
    accept(issued);
  } catch (err) {
    reject(arcpError('INTERNAL_ERROR', `credential provisioning failed: ${String(err)}`, { retryable: true }));
  }
}

/** JSON length of the input; undefined when it nests too deeply to stringify (RangeError). */
function jsonSize(value: unknown): number | undefined {
  try {
    return value === undefined ? 0 : (JSON.stringify(value)?.length ?? 0);
  } catch {
    return undefined;
  }
}

function rejectSubmit(session: Session, requestId: string, traceId: string, error: ARCPError): string {
  const payload = { final_status: 'error', ...errorPayload(error, { request_id: requestId }) };
  const jobId = newJobId();
  session.emitSequenced('job.error', jobId, traceId, payload);
  return jobId;
}

// catalog §9 #30: the same job.accepted payload (request_id of *this* submit), and if the job
// is already terminal its terminal envelope again, re-stamped with a new seq in this session.
// A still-running job retried from another session streams on there (Spec-v1.0 §7.2 "MUST
// resume streaming"); otherwise that session would never see the job's end. Same principal, so
// this is the live half of an ordinary subscription (credentials visible).
function replayIdempotent(ctx: HandlerContext, session: Session, requestId: string, job: KeyedJob): void {
  const payload = { ...job.acceptedPayload, request_id: requestId } as JobAcceptedPayload;
  session.sendControl(envelope<JobAccepted>('job.accepted', { session_id: session.id, job_id: job.jobId, trace_id: job.traceId }, payload));
  if (job instanceof Job) {
    if (job.terminal) ctx.core.runner.replayTerminal(session, job);
    else if (job.owner !== session) authorityServicesOf(ctx.core).subscriptions.add(job, session, true);
  } else {
    // an ended job's compact view (keyed-job.ts): its tail may still be queued on this session,
    // so the replayed terminal waits for the queue to be written
    const { terminal } = job;
    void ctx.core.runner.outbox.drained(session).then(() => {
      session.emitSequenced(terminal.type, job.jobId, job.traceId, terminal.payload);
    });
  }
}

