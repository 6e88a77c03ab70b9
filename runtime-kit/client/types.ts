/**
 * Public, camelCase shapes of the client API (mirroring the Python SDK README). Wire payloads
 * stay snake_case and are typed by generated/; these are what callers hold.
 */
import type { AgentInventoryEntry, ClientInfo, Credential, EventBodies, EventKind, FinalStatus, JobStatus, Lease, LeaseConstraints } from '../../generated/types.js';
import type { AutoAckOptions } from './auto-ack.js';
import type { Clock } from '../protocol/clock.js';
import type { Transport } from '../transport/types.js';

export type { AgentInventoryEntry, AutoAckOptions, ClientInfo, Credential, EventBodies, EventKind, FinalStatus, JobStatus, Lease, LeaseConstraints };

/** `lease_constraints` (§9.5) as sent; `expiresAt` is accepted as a camelCase alias. */
export interface LeaseConstraintsInput extends LeaseConstraints {
  expiresAt?: string;
}

export interface ARCPClientOptions {
  client: ClientInfo;
  /** Bearer token sent in `session.hello.payload.auth.token` (§6.1). */
  token: string;
  /** Features to advertise (default: every v1.1 flag). The effective set is the intersection. */
  features?: readonly string[];
  /** Coalesced `session.ack`; `true` uses the defaults (32 events / 250 ms). Needs `ack`. */
  autoAck?: AutoAckOptions | boolean;
  /**
   * Reconnect factory for automatic resume after a transport drop, a heartbeat loss or a seq gap.
   * `true` without a factory only enables it for callers that pass `reconnect` to connect().
   */
  autoResume?: boolean | { reconnect: () => Promise<Transport>; attempts?: number; backoffMs?: number };
  /** Client heartbeat (§6.4): ping when idle, HEARTBEAT_LOST after two silent intervals. Default on. */
  heartbeat?: boolean;
  /** Inbound frames above this size are dropped and reported (default 1 MiB). */
  maxFrameBytes?: number;
  /**
   * Live handles kept for jobs this client never submitted or subscribed to (events a resume
   * replays, `job(id)`); past it the oldest such handle fails with ARCP_KIT_ADOPTED_EVICTED and
   * a `protocolError` is reported (default 4096).
   */
  maxAdoptedJobs?: number;
  /**
   * How a resume is sent (§6.3, catalog §9 #1): `'hello'` (default) puts it in
   * `session.hello.payload.resume`, the form the TS, Go and Py runtimes accept (the TS runtime
   * drops `session.resume`); `'session.resume'` sends the spec's own message, for runtimes that
   * implement it (ours accepts both).
   */
  resumeForm?: ResumeForm;
  /** How long to wait for `session.welcome` (default 10 s). */
  handshakeTimeoutMs?: number;
  /**
   * How long submit, listJobs, subscribe and cancel wait for their reply before rejecting with
   * ARCP_KIT_REQUEST_TIMEOUT (default 60 s; `Infinity` waits for ever). Counted from the call,
   * across automatic resumes.
   */
  requestTimeoutMs?: number;
  /** How long close() waits for `session.closed` (default 1 s, catalog §9 #2). */
  closeTimeoutMs?: number;
  /** Injected clock (tests use protocol/'s ManualClock). */
  clock?: Clock;
}

export type ResumeForm = 'hello' | 'session.resume';

export interface WelcomeInfo {
  sessionId: string;
  resumeToken: string;
  resumeWindowSec: number;
  heartbeatIntervalSec?: number;
  /** The effective feature set: what we advertised ∩ what the welcome lists (§6.2). */
  features: string[];
  agents: AgentInventoryEntry[];
  runtime: { name: string; version: string; fingerprint?: string };
}

export interface ResumeOptions {
  sessionId: string;
  resumeToken: string;
  lastEventSeq: number;
}

export interface SubmitOptions {
  agent: string;
  input?: unknown;
  leaseRequest?: Lease;
  leaseConstraints?: LeaseConstraintsInput;
  idempotencyKey?: string;
  maxRuntimeSec?: number;
  /** 32 lower-case hex; minted when absent so replies correlate by trace (catalog §5). */
  traceId?: string;
}

/** What every delivered `job.event` carries besides its kind and body. */
export interface JobEventBase {
  jobId: string;
  seq: number;
  ts: string;
  traceId?: string;
}

/** An event of reserved kind `K` (§8.2): `body` is that kind's generated type. */
export interface ReservedJobEvent<K extends EventKind = EventKind> extends JobEventBase {
  kind: K;
  body: EventBodies[K];
}

/** A vendor event (`x-vendor.<vendor>.<name>`, §8.2): the body is the vendor's, not the spec's. */
export interface VendorJobEvent extends JobEventBase {
  kind: `x-vendor.${string}`;
  body: unknown;
}

/**
 * One `job.event` as delivered to `JobHandle.events()` and the client's `event` listener: a
 * union discriminated by `kind`, so `if (ev.kind === 'progress') ev.body.current` type-checks.
 * Bodies were validated (lenient form) against the kind's schema before delivery; metric
 * `dims`/`attributes` arrive as `dimensions`. Kinds neither reserved nor vendor are ignored (§8.2).
 */
export type JobEvent = { [K in EventKind]: ReservedJobEvent<K> }[EventKind] | VendorJobEvent;

export interface JobResult {
  finalStatus: 'success';
  /** Inline result (`result`, or Go's `output`) or the assembled result-chunk stream. */
  result: unknown;
  resultId?: string;
  resultSize?: number;
  summary?: string;
}

export interface ListJobsFilter {
  status?: readonly JobStatus[];
  agent?: string;
  createdAfter?: string;
  createdBefore?: string;
}

export interface ListJobsOptions {
  filter?: ListJobsFilter;
  limit?: number;
  cursor?: string | null;
}

export interface JobSummary {
  jobId: string;
  agent: string;
  status: JobStatus;
  lease: Lease;
  parentJobId: string | null;
  createdAt: string;
  traceId?: string;
  /** The job's last seq in the owner session's space: the input for subscribe's fromEventSeq. */
  lastEventSeq: number;
}

export interface JobListing {
  jobs: JobSummary[];
  nextCursor: string | null;
}

export interface SubscribeOptions {
  history?: boolean;
  fromEventSeq?: number;
}
