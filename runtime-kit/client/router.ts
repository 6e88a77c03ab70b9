/**
 * Routes one decoded inbound message to whatever waits for it: the handshake, a pending
 * request (catalog §5 correlation), a job handle, or the session itself (ping, errors).
 * Sequenced envelopes pass the seq tracker first: duplicates are dropped, a gap breaks the
 * session (§8.3).
 */
import { EVENT_KINDS } from '../../generated/registry.js';
import { errorFromPayload } from '../errors/index.js';
import type { ClientCore, Link } from './core.js';
import { routeJobError, routeSessionError } from './error-routing.js';
import { normalizeEventBody } from './event-bodies.js';
import { isObject, replayedFrom, str, int, leaseFrom, budgetFrom } from './normalize.js';
import type { JobEvent, JobListing, JobStatus, JobSummary } from './types.js';
import type { SubscribeResult } from './subscription.js';

type Msg = Record<string, unknown>;

/** `frameChars` is the length of the frame `msg` was read from: what a buffered event is charged. */
export function routeInbound(core: ClientCore, link: Link, msg: Msg, frameChars = 0): void {
  const type = msg.type as string;
  const payload: Msg = isObject(msg.payload) ? msg.payload : {};

  if (link.handshake) {
    if (type === 'session.welcome') return core.acceptWelcome(link, msg);
    // A pre-welcome session.error may lack session_id (catalog §9 #26): it still ends the handshake.
    if (type === 'session.error') return core.failHandshake(link, errorFromPayload(payload));
    if (type === 'session.ping') return pong(core, payload);
    return; // nothing else is meaningful before the welcome
  }

  const seq = msg.event_seq;
  if (typeof seq === 'number' && Number.isInteger(seq) && seq > 0) {
    const verdict = core.tracker.observe(seq);
    if (verdict === 'duplicate') return;
    if (verdict !== 'next') return core.onGap(link, seq);
  }

  switch (type) {
    case 'session.ping':
      return pong(core, payload);
    case 'session.pong':
      return;
    case 'session.error':
      return routeSessionError(core, link, payload);
    case 'session.closed':
      return link.closing?.();
    case 'session.jobs':
      return onJobs(core, payload);
    case 'job.accepted':
      return onAccepted(core, msg, payload);
    case 'job.subscribed':
      return onSubscribed(core, payload, str(msg.job_id));
    case 'job.cancelled':
      return onCancelled(core, str(msg.job_id) ?? str(payload.job_id));
    case 'job.event':
      onEvent(core, msg, payload, frameChars);
      break;
    case 'job.result':
      onResult(core, msg, payload);
      break;
    case 'job.error':
      routeJobError(core, str(msg.job_id), payload, str(msg.trace_id));
      break;
    default:
      return; // unknown and vendor types are ignored (catalog §2.17)
  }
  if (typeof seq === 'number') core.acker?.observe(core.tracker.latest);
}

function pong(core: ClientCore, ping: Msg): void {
  // §6.4: always answer, whether or not `heartbeat` was negotiated (catalog §6.5).
  if (typeof ping.nonce !== 'string') return;
  core.trySend('session.pong', { ping_nonce: ping.nonce, received_at: new Date(core.clock.now()).toISOString() });
}

function onAccepted(core: ClientCore, msg: Msg, p: Msg): void {
  const jobId = str(p.job_id) ?? str(msg.job_id);
  if (!jobId) return;
  const req = core.pending.take('submit', { payload: p, trace_id: msg.trace_id });
  // An idempotent hit names a job we may already hold: reuse that handle (§7.2).
  const handle = core.handleFor(jobId, 'owner');
  handle.role = 'owner';
  handle.applyDescriptor({ ...p, trace_id: p.trace_id ?? msg.trace_id });
  req?.resolve(handle);
}

/** Reserved kinds and vendor kinds reach the application; any other kind is ignored (§8.2). */
function isDeliverableKind(kind: string): kind is JobEvent['kind'] {
  return Object.prototype.hasOwnProperty.call(EVENT_KINDS, kind) || kind.startsWith('x-vendor.');
}

function onEvent(core: ClientCore, msg: Msg, p: Msg, frameChars: number): void {
  const jobId = str(msg.job_id);
  const kind = str(p.kind);
  if (!jobId || !kind || !isDeliverableKind(kind)) return;
  // The codec validated the body against its kind's schema (lenient), so the kind's type holds.
  const ev = {
    jobId,
    seq: typeof msg.event_seq === 'number' ? msg.event_seq : 0,
    kind,
    ts: typeof p.ts === 'string' ? p.ts : '',
    body: normalizeEventBody(kind, p.body),
  } as JobEvent;
  if (typeof msg.trace_id === 'string') ev.traceId = msg.trace_id;
  // Events of a job with no handle (a resume replay, a subscription replay that precedes
  // job.subscribed) are buffered on an adopted handle, retrievable with client.job(id).
  core.handleFor(jobId, 'adopted').pushEvent(ev, frameChars);
  if (core.events.has('event')) core.events.emit('event', ev);
}

function onResult(core: ClientCore, msg: Msg, p: Msg): void {
  const jobId = str(msg.job_id);
  if (!jobId) return;
  const handle = core.handleFor(jobId, 'adopted');
  core.retire(handle);
  settleCancel(core, jobId);
  const status = p.final_status;
  // Stored Py may put cancelled / timed_out in job.result (catalog §9 #17).
  if (status === 'cancelled' || status === 'timed_out' || status === 'error') {
    const code = status === 'cancelled' ? 'CANCELLED' : status === 'timed_out' ? 'TIMEOUT' : 'INTERNAL_ERROR';
    const message = typeof p.summary === 'string' && p.summary ? p.summary : `job ended ${status}`;
    handle.terminate(errorFromPayload({ code, message, retryable: code !== 'CANCELLED' }), status);
    return;
  }
  handle.complete(p);
}

function onCancelled(core: ClientCore, jobId: string | undefined): void {
  if (jobId) settleCancel(core, jobId);
}

/** A cancel is acknowledged by `job.cancelled` or, with peers that send none, by the terminal. */
export function settleCancel(core: ClientCore, jobId: string): void {
  for (;;) {
    const req = core.pending.takeByJob('cancel', jobId);
    if (!req) return;
    req.resolve(undefined);
  }
}

function onJobs(core: ClientCore, p: Msg): void {
  const req = core.pending.take('list', { payload: p });
  if (!req) return;
  const jobs: JobSummary[] = [];
  for (const e of Array.isArray(p.jobs) ? p.jobs : []) {
    if (!isObject(e) || !str(e.job_id)) continue;
    const entry: JobSummary = {
      jobId: e.job_id as string,
      agent: str(e.agent) ?? '',
      status: (str(e.status) ?? 'pending') as JobStatus,
      lease: leaseFrom(e.lease),
      parentJobId: str(e.parent_job_id) ?? null,
      // Stored Py names this submitted_at (catalog §2.9).
      createdAt: str(e.created_at) ?? str(e.submitted_at) ?? '',
      lastEventSeq: int(e.last_event_seq) ?? 0,
    };
    if (str(e.trace_id)) entry.traceId = e.trace_id as string;
    jobs.push(entry);
  }
  const listing: JobListing = { jobs, nextCursor: str(p.next_cursor) ?? null };
  req.resolve(listing);
}

function onSubscribed(core: ClientCore, p: Msg, envJobId: string | undefined): void {
  const jobId = str(p.job_id) ?? envJobId;
  // request_id when present (ours, Py); else the job id (TS); else FIFO.
  const req =
    p.request_id !== undefined
      ? core.pending.take('subscribe', { payload: p })
      : ((jobId ? core.pending.takeByJob('subscribe', jobId) : undefined) ?? core.pending.takeOldest('subscribe'));
  if (!req || !jobId) return;
  const existing = core.handles.get(jobId) ?? core.recent.get(jobId);
  const handle = core.handleFor(jobId, 'subscriber');
  // Our own job (same session) keeps its owner role and its cancel authority.
  if (!existing || existing.role !== 'owner') handle.role = 'subscriber';
  handle.applyDescriptor(p);
  const result: SubscribeResult = {
    jobId,
    subscribedFrom: int(p.subscribed_from) ?? 0,
    replayed: replayedFrom(p.replayed),
    currentStatus: (str(p.current_status) ?? 'running') as JobStatus,
    agent: str(p.agent) ?? '',
    lease: leaseFrom(p.lease),
    handle,
  };
  const budget = budgetFrom(p.budget);
  if (budget) result.budget = budget;
  req.resolve(result);
}
