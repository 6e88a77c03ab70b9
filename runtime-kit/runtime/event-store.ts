// Where a session's sequenced envelopes wait for resume (§6.3) until acknowledged (§6.5).
// The interface is synchronous on purpose: the session does allocate-seq -> append -> send in one
// synchronous step, which is what keeps wire order == seq order with no per-session queue
// (catalog §7; the TS SDK fixed "persist outbound events before sending them", #145).
// A durable implementation must therefore be synchronous too (e.g. better-sqlite3).
import { KitError } from '../errors/kit-error.js';

export interface StoredEvent {
  seq: number;
  /** job.event / job.result / job.error */
  type: string;
  jobId?: string;
  /** The exact encoded envelope: resume replays it verbatim. */
  frame: string;
}

export interface EventStoreStats {
  /** Events currently held. */
  events: number;
  /** Bytes of the frames currently held (UTF-16 length, a cheap and stable proxy). */
  bytes: number;
  /** Highest seq appended so far (0 = none). */
  lastSeq: number;
  /** Every seq <= freedThrough is gone (acknowledged or evicted); resume below it is impossible. */
  freedThrough: number;
  /** Highest seq the client acknowledged (0 = none). */
  ackedThrough: number;
}

/**
 * What a full buffer does (§6.5: unacknowledged events may be freed only when "memory or
 * buffer-count limits force eviction"). `evict-oldest` frees acknowledged events first, then the
 * oldest unacknowledged ones, and the session lives on (a later resume from an evicted position
 * gets RESUME_WINDOW_EXPIRED, §6.3). `end-session` refuses the event (EventStoreFullError) and
 * the runtime ends the session with INTERNAL_ERROR `event_store_full`.
 */
export type OverflowPolicy = 'evict-oldest' | 'end-session';

export interface EventStore {
  /**
   * Stores one event. Returns how many *unacknowledged* events were evicted to make room (0, or
   * nothing at all for stores that never evict). Throws EventStoreFullError when the event cannot
   * be held (an `end-session` store past its caps even after freeing acked events, or a single
   * frame larger than the byte cap).
   */
  append(sessionId: string, event: StoredEvent): number | void;
  /** Held events with seq > afterSeq, in seq order. */
  readAfter(sessionId: string, afterSeq: number): StoredEvent[];
  /** Records the client's ack and frees every held event with seq <= seq (§6.5 MAY). */
  ack(sessionId: string, seq: number): void;
  stats(sessionId: string): EventStoreStats;
  /** Forgets the session (resume window over). */
  drop(sessionId: string): void;
  /**
   * Write-behind stores (persistence/): runs `send` once every event appended so far is durable
   * and returns true; false when nothing is pending (send now). Absent: durable at append.
   */
  afterDurable?(send: () => void): boolean;
}

export const EVENT_STORE_FULL = 'ARCP_KIT_EVENT_STORE_FULL' as const;

/** The session's buffer would exceed a cap; the event was not stored. */
export class EventStoreFullError extends KitError {
  constructor(
    readonly sessionId: string,
    /** 'events' / 'bytes' (this session's caps) or the name of a cross-session budget (limits/). */
    readonly limit: 'events' | 'bytes' | 'maxRetainedEventBytesPerPrincipal' | 'maxRetainedEventBytes',
    readonly cap: number,
  ) {
    super(EVENT_STORE_FULL, `event store for ${sessionId} is full: more than ${cap} ${limit} unacknowledged`, {
      details: { session_id: sessionId, limit, cap },
    });
    this.name = 'EventStoreFullError';
  }
}
