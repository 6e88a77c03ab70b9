// Options of ARCPRuntime and their defaults, resolved once at construction.
import type { Feature } from '../../generated/index.js';
import type { Authenticator } from './authenticator.js';
import type { AuthorityRuntimeOptions } from './enforcement/authority-options.js';
import type { EventStore, OverflowPolicy } from './event-store.js';
import type { RuntimeHooks } from './hooks.js';
import type { Clock } from './timers.js';
import { systemClock } from '../protocol/index.js';
import { composeInstrumentation, lifecycleLog, type Instrumentation, type RuntimeInstrumentation } from './instrumentation/index.js';
import type { RuntimeStore } from '../store/runtime-store.js';
import { resolveLimits, type RuntimeLimits, type RuntimeLimitsOptions } from './limits/limits-options.js';

/** Authority-layer options (credentials, subscriptions, listing, audit, expiry): enforcement/authority-options.ts. */
export interface RuntimeOptions extends AuthorityRuntimeOptions {
  /** `session.welcome.payload.runtime`. */
  runtime?: { name: string; version: string };
  /** Verifies `session.hello.payload.auth`. Default: a StaticTokenAuthenticator over `tokens`. */
  authenticator?: Authenticator;
  /** Static bearer tokens -> principals, used when no `authenticator` is given. */
  tokens?: Record<string, string>;
  /**
   * Features this runtime may advertise (default: every feature it can honour, see features.ts).
   * The welcome lists the intersection with the client's hello (§6.2).
   */
  features?: readonly Feature[];
  /** `resume_window_sec`, measured from the session's last activity (catalog §10 #9). Default 600. */
  resumeWindowSec?: number;
  /** Heartbeat interval in seconds (fractions allowed for tests). Default 30. */
  heartbeatIntervalSec?: number;
  /** Ack lag above which one `status back_pressure` event is emitted (§6.5). Default 1000. */
  backPressureThreshold?: number;
  /** Inbound frame cap (bytes). Default 1 MiB. */
  maxFrameBytes?: number;
  /**
   * Durable state (issue 12, runtime-kit/store/): sessions, their events, jobs, history,
   * idempotency keys and the audit log are journaled to it and restored from it at start-up
   * (`await runtime.ready()`). Default: none, everything lives in this process's memory.
   */
  store?: RuntimeStore;
  /** Resume buffer. Default: MemoryEventStore with the caps below. */
  eventStore?: EventStore;
  maxEventsPerSession?: number;
  maxBytesPerSession?: number;
  /**
   * What the default store does when a session's buffer is full (§6.5): `evict-oldest` (default)
   * frees acked events, then the oldest unacked ones, warns, emits `status back_pressure` and
   * keeps the session (resume from an evicted position -> RESUME_WINDOW_EXPIRED);
   * `end-session` ends the session with INTERNAL_ERROR `event_store_full`. Ignored when
   * `eventStore` is given (that store decides).
   */
  overflow?: OverflowPolicy;
  /**
   * Validate every outbound envelope strictly (§8.2.1: a bad body never reaches the wire; the agent
   * gets INVALID_REQUEST). Default: on, in every environment. `false` is for benchmarks only.
   */
  validateOutbound?: boolean;
  /**
   * Development only: treat plain ws:// connections from loopback peers as trusted for §9.8
   * credentials (§14 otherwise requires TLS, stdio or in-memory). Default false.
   */
  plainLoopbackCredentials?: boolean;
  /** Clock and timers (tests inject a fake). */
  clock?: Clock;
  /** How long a cancelled agent may take to unwind before the runtime ends the job. Default 30 s. */
  cancelGraceMs?: number;
  /** result_chunk caps (§14): per decoded chunk (default 1 MiB) and per result (default 256 MiB). */
  maxResultChunkBytes?: number;
  maxResultBytes?: number;
  /** Idempotency key lifetime. Default 24 h. */
  idempotencyTtlMs?: number;
  /** §9.7: an absent `model.use` forbids (default) or allows every model. */
  modelPolicy?: 'forbid' | 'allow';
  /** Extension points (authority, lease policy, credentials, lifecycle observers). */
  hooks?: RuntimeHooks;
  /**
   * Operational log sink (never receives secrets). Default: silent. Besides warnings and errors it
   * gets one record per session attachment, job start and job end (info), tool calls and
   * delegations (debug), each with an `event` field (instrumentation/lifecycle-log.ts).
   * `createLogger()` from logging/ writes them as JSON lines or text.
   */
  logger?: RuntimeLogger;
  /** Observers of sessions, jobs, tool calls and delegation, e.g. `openTelemetry()` from `arcp-kit/telemetry`. */
  instrumentation?: RuntimeInstrumentation | readonly RuntimeInstrumentation[];
  /** Resource bounds (connections, auth rate limits, outbound backlog, memory budgets, delegation): limits/limits-options.ts. */
  limits?: RuntimeLimitsOptions;
}

export type RuntimeLogger = (level: 'debug' | 'info' | 'warn' | 'error', message: string, data?: Record<string, unknown>) => void;

export interface ResolvedOptions {
  runtimeInfo: { name: string; version: string };
  resumeWindowMs: number;
  resumeWindowSec: number;
  heartbeatIntervalMs: number;
  backPressureThreshold: number;
  maxFrameBytes: number;
  validateOutbound: boolean;
  plainLoopbackCredentials: boolean;
  cancelGraceMs: number;
  maxResultChunkBytes: number;
  maxResultBytes: number;
  idempotencyTtlMs: number;
  logger: RuntimeLogger;
  /** The lifecycle log plus the embedder's instrumentation, fanned out and isolated. */
  instrumentation: Instrumentation;
  limits: Readonly<RuntimeLimits>;
}

function positive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0) throw new TypeError(`${name} must be a positive number, got ${value}`);
  return value;
}

export function resolveOptions(opts: RuntimeOptions): ResolvedOptions {
  const resumeWindowSec = positive('resumeWindowSec', opts.resumeWindowSec, 600);
  const logger: RuntimeLogger = opts.logger ?? (() => {});
  const maxFrameBytes = positive('maxFrameBytes', opts.maxFrameBytes, 1024 * 1024);
  return {
    runtimeInfo: opts.runtime ?? { name: 'arcp-kit', version: '0.1.0' },
    resumeWindowSec,
    resumeWindowMs: resumeWindowSec * 1000,
    heartbeatIntervalMs: positive('heartbeatIntervalSec', opts.heartbeatIntervalSec, 30) * 1000,
    backPressureThreshold: positive('backPressureThreshold', opts.backPressureThreshold, 1000),
    maxFrameBytes,
    validateOutbound: opts.validateOutbound ?? true,
    plainLoopbackCredentials: opts.plainLoopbackCredentials === true,
    cancelGraceMs: positive('cancelGraceMs', opts.cancelGraceMs, 30_000),
    maxResultChunkBytes: positive('maxResultChunkBytes', opts.maxResultChunkBytes, 1024 * 1024),
    maxResultBytes: positive('maxResultBytes', opts.maxResultBytes, 256 * 1024 * 1024),
    idempotencyTtlMs: positive('idempotencyTtlMs', opts.idempotencyTtlMs, 24 * 60 * 60 * 1000),
    logger,
    instrumentation: composeInstrumentation(
      [...(opts.logger ? [lifecycleLog(logger, opts.clock ?? systemClock)] : []), ...[opts.instrumentation ?? []].flat()],
      logger,
    ),
    limits: resolveLimits(opts.limits, maxFrameBytes),
  };
}
