// Which outstanding request an inbound frame answers. One rule for every request the harness
// waits on (submit, list_jobs, subscribe, cancel, hello, resume, close), the wire catalog's
// (§5 and §9 #5, #30): by `payload.request_id`, else by the request's own `trace_id`, else by
// order among the requests still inside their reply window. The variants it exists for:
//  - a submit rejection `job.error` without trace_id (TS: phantom or existing job_id);
//  - a `session.error` (AGENT_VERSION_NOT_AVAILABLE, ...) without request_id;
//  - an idempotent hit re-sending the stored `job.accepted` with the ORIGINAL submit's trace_id.
// A frame is matched the moment it arrives; nothing waits for a timeout to "discover" a reply.
// Frames the harness sends without waiting for a reply (a bad frame, an unknown type, a cancel)
// hold a reply window too, for a while: an uncorrelated error the peer sends back belongs to
// them, not to the next request (peers answer in order).
import { MESSAGES } from '../../generated/registry.js';
import type { MessageType } from '../../generated/types.js';
import { field, jobIdOf, type Envelope } from './wire.js';

/** A request whose reply window is open (sent, not yet answered, not timed out). */
export interface PendingRequest {
  readonly request: Envelope;
  /** Message types that may answer it (generated registry, plus any the caller adds). */
  readonly replies: ReadonlySet<string>;
  /** The job a cancel/subscribe is about (replies must name it). */
  readonly jobId?: string;
  readonly sentAt: number;
  /** Sent without a waiter (`send`/`sendText`): it may draw an error, nobody awaits its reply. */
  readonly unawaited?: boolean;
  /** An unawaited frame's window closes by itself at this time. */
  readonly closesAt?: number;
}

/** What an unawaited frame that is not a known request may draw: an error, at most. */
const ERRORS = ['session.error', 'job.error'] as const;

/** The reply types the registry lists for a request type (empty for messages with no reply). */
export function replyTypesOf(type: string): readonly string[] {
  return (MESSAGES as Partial<Record<string, { replies: readonly MessageType[] }>>)[type]?.replies ?? [];
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

export class ReplyCorrelator {
  private pending: PendingRequest[] = [];
  /** Jobs this connection has seen accepted or emitting and not yet ended: their job.error is a terminal, never a reply. */
  private readonly live = new Set<string>();
  /** trace_id of every answered submit -> the job it got (an idempotent hit re-sends that acceptance). */
  private readonly answeredTraces = new Map<string, string | undefined>();

  /** Opens the reply window of `request` (call before sending it). */
  open(request: Envelope, opts: { extraReplies?: readonly string[]; now?: number } = {}): PendingRequest {
    const replies = new Set([...replyTypesOf(request.type), ...(opts.extraReplies ?? [])]);
    const jobId = request.type === 'job.cancel' || request.type === 'job.subscribe' ? jobIdOf(request) : undefined;
    const p: PendingRequest = { request, replies, jobId, sentAt: opts.now ?? performance.now() };
    this.pending.push(p);
    return p;
  }

  /**
   * Records a frame about to be sent without a waiter (`frame` undefined when it was not a JSON object). It
   * keeps a window for `windowMs`: its registry replies, or for anything else an error.
   */
  sentUnawaited(frame: Envelope | undefined, windowMs: number, now = performance.now()): PendingRequest {
    const type = typeof frame?.type === 'string' ? frame.type : '';
    const known = replyTypesOf(type);
    const replies = new Set<string>([...known, ...ERRORS]);
    const request: Envelope = frame ?? { type: '' };
    const jobId = type === 'job.cancel' || type === 'job.subscribe' ? jobIdOf(request) : undefined;
    const p: PendingRequest = { request, replies, jobId, sentAt: now, unawaited: true, closesAt: now + windowMs };
    this.pending.push(p);
    return p;
  }

  /** Closes a window without an answer (timeout, transport gone). */
  close(p: PendingRequest): void {
    this.pending = this.pending.filter((x) => x !== p);
  }

  /** Requests still waiting for their reply, oldest first. */
  get openWindows(): readonly PendingRequest[] {
    return this.pending;
  }

  /**
   * Offers one inbound frame. Returns the request it answers (its window is closed), or undefined
   * when it answers none (an event, a terminal, an unsolicited error).
   */
  offer(m: Envelope, now = performance.now()): PendingRequest | undefined {
    this.pending = this.pending.filter((p) => p.closesAt === undefined || p.closesAt > now);
    const answered = this.match(m);
    if (answered) {
      this.pending = this.pending.filter((x) => x !== answered);
      if (answered.request.type === 'job.submit' && !answered.unawaited) {
        const trace = str(answered.request.trace_id);
        if (trace) this.answeredTraces.set(trace, m.type === 'job.accepted' ? jobIdOf(m) : undefined);
        if (m.type === 'job.accepted') {
          const j = jobIdOf(m);
          if (j) this.live.add(j);
        }
      }
    }
    this.track(m, answered !== undefined && !answered.unawaited);
    return answered;
  }

  private track(m: Envelope, wasReply: boolean): void {
    const j = str(m.job_id);
    if (!j) return;
    if (m.type === 'job.accepted' || m.type === 'job.event') this.live.add(j);
    else if (m.type === 'job.result' || (m.type === 'job.error' && !wasReply)) this.live.delete(j);
  }

  private match(m: Envelope): PendingRequest | undefined {
    const candidates = this.pending.filter((p) => p.replies.has(m.type));
    if (candidates.length === 0) return undefined;
    // 1. request_id names the request outright; one naming no open window answers none of them
    const requestId = str(field(m, 'payload', 'request_id'));
    if (requestId) return candidates.find((p) => str(p.request.id) === requestId);
    // 2. the echoed trace_id of an open request
    const trace = str(m.trace_id);
    if (trace) {
      const byTrace = candidates.find((p) => str(p.request.trace_id) === trace);
      if (byTrace) return byTrace;
    }
    // 3. order: the oldest open window this frame can belong to
    return candidates.find((p) => this.admits(p, m, trace));
  }

  /** Whether `m`, carrying no usable request_id/trace_id, can answer `p` by order. */
  private admits(p: PendingRequest, m: Envelope, trace: string | undefined): boolean {
    const j = jobIdOf(m);
    const liveTerminal = m.type === 'job.error' && j !== undefined && this.live.has(j) && field(m, 'payload', 'details', 'existing_job_id') === undefined;
    switch (p.request.type) {
      case 'job.submit':
        if (m.type === 'job.accepted') {
          // a delegated child's acceptance answers no submit of ours
          if (field(m, 'payload', 'parent_job_id') !== undefined) return false;
          // another submit's trace: only an idempotent re-send of that submit's acceptance (catalog §9 #30)
          if (trace && this.answeredTraces.has(trace)) return this.answeredTraces.get(trace) === j;
          return true;
        }
        return !liveTerminal;
      case 'job.cancel':
      case 'job.subscribe': {
        if (m.type === 'session.error') return j === undefined || j === p.jobId;
        if (j !== p.jobId) return false;
        return !liveTerminal;
      }
      default:
        return !liveTerminal;
    }
  }
}
