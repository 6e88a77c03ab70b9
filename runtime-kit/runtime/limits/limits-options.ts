// Every resource bound of the runtime in one place (issue 13 "hold under attack"). Each limit
// that is hit answers with a typed ARCP error (limit-errors.ts) and, when the connection cannot
// go on, closes it with a documented close code (close-codes.ts). Defaults are sized for one
// process serving a few thousand clients; 0 is never "unlimited" (use Infinity explicitly).

export interface RuntimeLimits {
  // --- connections (before and around the handshake) ---
  /** Open transports, all sources. Default 4096. */
  maxConnections: number;
  /** Open transports from one remote address (transports that report one). Default 256. */
  maxConnectionsPerSource: number;
  /** A transport that has not completed hello/resume by then is closed (4408). Default 10 s. */
  handshakeTimeoutMs: number;
  /** A bound transport that exchanged nothing but session.ping/pong (either way) for this long is closed (4408); the session stays resumable. Default 5 min. */
  idleTimeoutMs: number;
  /** Frames before the welcome larger than this are refused and the transport closed (4413). Default 16 KiB. */
  maxPreHandshakeFrameBytes: number;

  // --- inbound (frames still arriving, frames waiting) ---
  /** Bytes of one frame still arriving (ws) after the welcome: past it the frame is refused (4413) before it is complete. Frames between `maxFrameBytes` and this get the usual typed error and the connection goes on. Never below `maxFrameBytes` (raised to it). Default 4 MiB. */
  maxInboundInFlightBytes: number;
  /** Bytes of frames still arriving on all connections together: past it, the connection whose frame has been arriving the longest is closed (4413; one already over `maxFrameBytes` first). Default 64 MiB. */
  maxInboundInFlightBytesTotal: number;
  /** Characters of frames that may wait on a bound connection behind one still handled asynchronously (a resume flip to an async authenticator, a cluster lookup); reading pauses meanwhile, so this is for what still arrives. Past it the transport is closed (4413). Never below `maxFrameBytes`. Default 4 MiB. */
  maxQueuedInboundBytes: number;

  // --- authentication ---
  /** Failed hellos/resumes one remote address may make in a burst (token bucket). Default 20. */
  authFailureBurstPerSource: number;
  /** Refill rate of that bucket (failures per second). Default 2. */
  authFailureRefillPerSec: number;
  /** hello/resume attempts one connection may make in its life (resume flips included). Default 16. */
  maxAuthAttemptsPerConnection: number;

  // --- outbound ---
  /** Bytes written but not yet flushed to a reader (ws bufferedAmount, stdio writableLength) at which `status back_pressure` is sent. Default 4 MiB. */
  outboundHighWaterBytes: number;
  /** ... and at which the reader is declared stalled: transport closed (4508), session detached and resumable. Default 16 MiB. */
  maxOutboundBufferedBytes: number;
  /** Unflushed bytes of all connections together. Past half of it, a writing connection with a backlog gets `status back_pressure`; past it, the connection holding the most is closed (4508) like a stalled reader. Default 256 MiB. */
  maxOutboundBufferedBytesTotal: number;

  // --- memory budgets ---
  /** Sessions (attached or detached, not yet forgotten) per principal. Default 64. */
  maxSessionsPerPrincipal: number;
  /** Sessions in the runtime. Default 10,000. */
  maxSessions: number;
  /** Resume-buffer bytes a principal's sessions may hold together. Default 64 MiB. */
  maxRetainedEventBytesPerPrincipal: number;
  /** Resume-buffer bytes of all sessions. Default 512 MiB. */
  maxRetainedEventBytes: number;
  /** Finished jobs kept for listings/idempotent replay, per principal. Default 1,000. */
  maxFinishedJobsPerPrincipal: number;
  /** Finished jobs kept, all principals. Default 20,000. */
  maxFinishedJobs: number;
  /** Input bytes (JSON) of one job.submit. Larger submits get INVALID_REQUEST. Default 1 MiB (the frame cap). */
  maxJobInputBytes: number;
  /** Input bytes of live + retained jobs per principal. Default 64 MiB. */
  maxRetainedInputBytesPerPrincipal: number;
  /** Input bytes of live + retained jobs, all principals. Default 512 MiB. */
  maxRetainedInputBytes: number;
  /** Non-terminal jobs per principal (delegated children included). Default 1,000. */
  maxLiveJobsPerPrincipal: number;
  /** UTF-8 bytes of one `idempotency_key`; longer keys get INVALID_REQUEST. Default 1 KiB (any key of the strict form, 256 characters, fits). */
  maxIdempotencyKeyBytes: number;
  /** Idempotency keys retained per principal (24 h each unless evicted: oldest finished first). Default 10,000. */
  maxIdempotencyKeysPerPrincipal: number;
  /** Idempotency keys retained, all principals. Default 100,000. */
  maxIdempotencyKeys: number;

  // --- delegation ---
  /** Depth of a delegation chain (a submitted job is depth 0). Default 8. */
  maxDelegationDepth: number;
  /** Live children one job may have at once. Default 32. */
  maxDelegationFanOut: number;
  /** Jobs in one delegation tree over its life (root included). Default 256. */
  maxDelegationTreeSize: number;

  // --- fairness ---
  /** Sequenced frames agent emits build and write per event-loop turn; the rest wait for later turns (fair-share.ts, emit-outbox.ts). Default 256. */
  maxFramesPerTick: number;
  /** JSON characters (estimated: limits/emit-snapshot.ts) of one session's emits made but not yet written (an agent emitting without awaiting); past it an emit throws INTERNAL_ERROR. Default 16 MiB. */
  maxPendingEmitBytesPerSession: number;
  /** The same, all sessions together. Default 256 MiB. */
  maxPendingEmitBytes: number;
  /** `job.subscribe` history replays one session may have being written at once (each at the fair share above); another gets PERMISSION_DENIED (retryable). Default 4. */
  maxHistoryReplaysPerSession: number;
}

export const DEFAULT_LIMITS: Readonly<RuntimeLimits> = Object.freeze({
  maxConnections: 4096,
  maxConnectionsPerSource: 256,
  handshakeTimeoutMs: 10_000,
  idleTimeoutMs: 5 * 60_000,
  maxPreHandshakeFrameBytes: 16 * 1024,
  maxInboundInFlightBytes: 4 * 1024 * 1024,
  maxInboundInFlightBytesTotal: 64 * 1024 * 1024,
  maxQueuedInboundBytes: 4 * 1024 * 1024,
  authFailureBurstPerSource: 20,
  authFailureRefillPerSec: 2,
  maxAuthAttemptsPerConnection: 16,
  outboundHighWaterBytes: 4 * 1024 * 1024,
  maxOutboundBufferedBytes: 16 * 1024 * 1024,
  maxOutboundBufferedBytesTotal: 256 * 1024 * 1024,
  maxSessionsPerPrincipal: 64,
  maxSessions: 10_000,
  maxRetainedEventBytesPerPrincipal: 64 * 1024 * 1024,
  maxRetainedEventBytes: 512 * 1024 * 1024,
  maxFinishedJobsPerPrincipal: 1000,
  maxFinishedJobs: 20_000,
  maxJobInputBytes: 1024 * 1024,
  maxRetainedInputBytesPerPrincipal: 64 * 1024 * 1024,
  maxRetainedInputBytes: 512 * 1024 * 1024,
  maxLiveJobsPerPrincipal: 1000,
  maxIdempotencyKeyBytes: 1024,
  maxIdempotencyKeysPerPrincipal: 10_000,
  maxIdempotencyKeys: 100_000,
  maxDelegationDepth: 8,
  maxDelegationFanOut: 32,
  maxDelegationTreeSize: 256,
  maxFramesPerTick: 256,
  maxPendingEmitBytesPerSession: 16 * 1024 * 1024,
  maxPendingEmitBytes: 256 * 1024 * 1024,
  maxHistoryReplaysPerSession: 4,
});

export type RuntimeLimitsOptions = Partial<RuntimeLimits>;

/** `maxFrameBytes`: the runtime's frame cap, a floor for the per-connection inbound bounds (one frame it accepts must fit). */
export function resolveLimits(opts: RuntimeLimitsOptions = {}, maxFrameBytes = 0): Readonly<RuntimeLimits> {
  const out = { ...DEFAULT_LIMITS } as RuntimeLimits;
  for (const [name, value] of Object.entries(opts) as Array<[keyof RuntimeLimits, number | undefined]>) {
    if (value === undefined) continue;
    if (!(name in DEFAULT_LIMITS)) throw new TypeError(`unknown limit ${String(name)}`);
    if (typeof value !== 'number' || Number.isNaN(value) || value <= 0) throw new TypeError(`limits.${name} must be a positive number, got ${value}`);
    out[name] = value;
  }
  if (out.outboundHighWaterBytes > out.maxOutboundBufferedBytes) out.outboundHighWaterBytes = out.maxOutboundBufferedBytes;
  out.maxInboundInFlightBytes = Math.max(out.maxInboundInFlightBytes, maxFrameBytes);
  out.maxQueuedInboundBytes = Math.max(out.maxQueuedInboundBytes, maxFrameBytes);
  return Object.freeze(out);
}
