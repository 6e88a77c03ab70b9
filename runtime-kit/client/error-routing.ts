/**
 * Where an inbound error goes (catalog §4.4, §5, §9 #4-#5). Correlation order: the payload's
 * `request_id`; then the job id (our own job's terminal, or the target of a pending
 * cancel/subscribe); then the echoed trace id; then FIFO. Only an uncorrelated session-fatal
 * `session.error` fails every pending request — unlike the TS client, which fails all of them
 * on any session.error (catalog §4.5 #1).
 */
import { errorFromPayload } from '../errors/index.js';
import type { ClientCore, Link } from './core.js';
import type { PendingRequest } from './pending.js';
import { settleCancel } from './router.js';
import type { FinalStatus } from './types.js';

type Msg = Record<string, unknown>;

/** Codes that, uncorrelated, mean the session itself is over (catalog §10 #11). */
const SESSION_FATAL = new Set(['UNAUTHENTICATED', 'RESUME_WINDOW_EXPIRED', 'HEARTBEAT_LOST', 'INTERNAL_ERROR']);
/** Codes a runtime uses to refuse a submit without request correlation (TS: §13.8 VERSION). */
const SUBMIT_REFUSALS = new Set(['AGENT_NOT_AVAILABLE', 'AGENT_VERSION_NOT_AVAILABLE', 'DUPLICATE_KEY', 'LEASE_SUBSET_VIOLATION']);
/** Codes that refuse a cancel or subscribe on a target job without being that job's terminal. */
const TARGET_REFUSALS = new Set(['PERMISSION_DENIED', 'JOB_NOT_FOUND']);

export function routeSessionError(core: ClientCore, link: Link, p: Msg): void {
  const err = errorFromPayload(p);
  core.events.emit('sessionError', err);
  if (link.closing) return link.closing(); // close() ends on any session.error (catalog §9 #2)
  const code = typeof p.code === 'string' ? p.code : '';

  const byId = core.pending.takeById(p.request_id);
  if (byId) return byId.reject(err);
  // A request_id naming nothing pending answers a request we no longer wait for (catalog §5):
  // never let it fall through to a guess.
  const foreign = typeof p.request_id === 'string' && p.request_id !== '';
  const jobId = typeof p.job_id === 'string' ? p.job_id : undefined;
  if (jobId) {
    const target = core.pending.takeByJob('cancel', jobId) ?? core.pending.takeByJob('subscribe', jobId);
    if (target) return target.reject(err);
  }
  if (foreign) return;
  if (SESSION_FATAL.has(code)) {
    // The runtime is ending this session; HEARTBEAT_LOST keeps it resumable (§6.4).
    if (code === 'HEARTBEAT_LOST') {
      core.events.emit('heartbeatLost', err);
      core.dropLink(link);
      return core.breakSession(err);
    }
    core.dropLink(link);
    core.state = 'broken';
    return core.failEverything(err);
  }
  let req: PendingRequest | undefined;
  if (SUBMIT_REFUSALS.has(code)) req = core.pending.takeOldest('submit');
  else if (TARGET_REFUSALS.has(code)) req = core.pending.takeOldest('subscribe') ?? core.pending.takeOldest('cancel');
  else if (core.pending.size === 1) req = core.pending.takeOldest('submit') ?? core.pending.takeOldest('list') ?? core.pending.takeOldest('subscribe') ?? core.pending.takeOldest('cancel');
  req?.reject(err);
}

export function routeJobError(core: ClientCore, jobId: string | undefined, p: Msg, traceId: string | undefined): void {
  const err = errorFromPayload(p);
  const code = typeof p.code === 'string' ? p.code : '';

  const byId = core.pending.takeById(p.request_id);
  if (byId) return byId.reject(err);
  const foreign = typeof p.request_id === 'string' && p.request_id !== '';

  const handle = jobId ? core.handles.get(jobId) : undefined;
  if (jobId && TARGET_REFUSALS.has(code)) {
    // TS refuses a cancel/subscribe with a job.error on the *target* id that is not its terminal.
    const target = core.pending.takeByJob('cancel', jobId) ?? core.pending.takeByJob('subscribe', jobId);
    if (target) return target.reject(err);
  }
  if (handle && code === 'DUPLICATE_KEY' && !foreign) {
    // TS names the existing job on DUPLICATE_KEY (catalog §4.5 #3): it refuses the new submit,
    // it does not end the original job.
    const sub = core.pending.take('submit', { trace_id: traceId });
    if (sub) return sub.reject(err);
  }
  if (handle) {
    core.retire(handle);
    settleCancel(core, handle.jobId);
    return handle.terminate(err, finalStatusOf(p.final_status, code));
  }
  // A job.error for a job we never saw accepted: a submit rejection (phantom job id).
  const sub = foreign ? undefined : core.pending.take('submit', { trace_id: traceId });
  if (sub) return sub.reject(err);
  if (jobId) {
    // A terminal for a job we hold no handle for (e.g. a resume replay): keep it for client.job().
    const adopted = core.handleFor(jobId, 'adopted');
    adopted.terminate(err, finalStatusOf(p.final_status, code));
    core.retire(adopted);
  }
}

function finalStatusOf(v: unknown, code: string): FinalStatus {
  if (v === 'cancelled' || v === 'timed_out' || v === 'error') return v;
  return code === 'CANCELLED' ? 'cancelled' : code === 'TIMEOUT' ? 'timed_out' : 'error';
}
