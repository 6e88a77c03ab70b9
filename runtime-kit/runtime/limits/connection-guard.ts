// Per-connection limits: the handshake deadline, the idle deadline of a bound transport (only
// session.ping/pong either way counts as idle: §14 makes sustained zero-throughput sessions
// disconnect-eligible, and a client that only heartbeats must not hold its slot forever), the
// cap on one frame still arriving (small before the handshake, maxInboundInFlightBytes after it;
// over all connections through the runtime's InboundBudget), the per-connection budget of
// hello/resume attempts, and the outbound backlog policy (§6.5: back_pressure first, then close
// the stalled reader's transport; its session stays resumable, its events stay in the resume
// buffer), per connection and, through the runtime's OutboundBudget, over all connections together.
import type { ARCPError } from '../../errors/index.js';
import type { Transport } from '../../transport/index.js';
import { schedule, type Clock, type TimerHandle } from '../timers.js';
import { CLOSE_CODES, type CloseCode } from './close-codes.js';
import { limitError } from './limit-errors.js';
import type { RuntimeLimits } from './limits-options.js';
import type { InboundHolder } from './inbound-budget.js';
import type { OutboundHolder } from './outbound-budget.js';
import type { Refusal, RuntimeGuard } from './runtime-guard.js';

/** What the guard needs from its Connection. */
export interface GuardedConnection {
  readonly transport: Transport;
  readonly isBound: boolean;
  /** Monotonic ms of the last frame either way that was not a session.ping / session.pong. */
  lastTrafficMs(): number;
  /** Sends the error (if the transport still takes frames), then closes with `code`. */
  terminate(error: ARCPError, code: CloseCode, reason: string): void;
  /** The reader is past the high-water mark (its own, or the global one): tell it (status back_pressure) once. */
  backPressure(bufferedBytes: number, details?: Record<string, unknown>): void;
  /** The reader is stalled: stop sending, detach the session (resumable), close. */
  stalled(error: ARCPError): void;
}

export class ConnectionGuard implements OutboundHolder, InboundHolder {
  private readonly limits: Readonly<RuntimeLimits>;
  private handshakeTimer: TimerHandle | undefined;
  private idleTimer: TimerHandle | undefined;
  private authAttempts = 0;
  private backPressureArmed = true;
  private done = false;
  /** Backlog a resume replay left (bounded by the resume buffer caps): not counted against the reader. */
  private replayAllowance = 0;

  constructor(
    private readonly runtime: RuntimeGuard,
    private readonly clock: Clock,
    private readonly conn: GuardedConnection,
  ) {
    this.limits = runtime.limits;
  }

  /** Arms the handshake deadline, the pre-handshake cap on a frame still arriving, and its share of the global inbound budget. */
  start(): void {
    this.conn.transport.watchInFlightBytes?.((bytes) => {
      if (!this.done) this.runtime.inbound.update(this, bytes);
    });
    const max = this.limits.maxPreHandshakeFrameBytes;
    this.conn.transport.capInFlightBytes?.(max, () => {
      if (this.done || this.conn.isBound) return;
      this.cutOff(limitError('INVALID_REQUEST', 'maxPreHandshakeFrameBytes', max, `more than ${max} bytes of one frame arrived before the handshake`), 'frame too large before the handshake');
    });
    const ms = this.limits.handshakeTimeoutMs;
    this.handshakeTimer = schedule(this.clock, () => {
      if (this.done || this.conn.isBound) return;
      this.conn.terminate(
        limitError('TIMEOUT', 'handshakeTimeoutMs', ms, `no session.hello or session.resume within ${ms} ms`, { retryable: true }),
        CLOSE_CODES.TIMEOUT,
        'handshake timeout',
      );
    }, ms);
  }

  /** A session is bound: the handshake deadline is over, the idle deadline starts. */
  bound(): void {
    // A frame over maxFrameBytes is still read whole (and answered with a typed error, the
    // connection going on) up to this cap; past it, waiting for the rest would only hold memory.
    const max = this.limits.maxInboundInFlightBytes;
    this.conn.transport.capInFlightBytes?.(max, () => {
      if (this.done) return;
      this.cutOff(limitError('INVALID_REQUEST', 'maxInboundInFlightBytes', max, `more than ${max} bytes of one frame arrived; it is over the frame cap and too large to read`), 'frame too large');
    });
    this.handshakeTimer?.cancel();
    this.handshakeTimer = undefined;
    if (!this.idleTimer) this.armIdle(this.limits.idleTimeoutMs);
  }

  stop(): void {
    this.done = true;
    this.handshakeTimer?.cancel();
    this.idleTimer?.cancel();
    this.runtime.outbound.remove(this);
    this.runtime.inbound.remove(this);
  }

  overInboundBudget(heldBytes: number, totalBytes: number): void {
    if (this.done) return;
    const max = this.limits.maxInboundInFlightBytesTotal;
    this.cutOff(
      limitError('INTERNAL_ERROR', 'maxInboundInFlightBytesTotal', max, `connections hold ${totalBytes} bytes of frames still arriving together, this one ${heldBytes} (cut off first: see docs/limits.md); the frame was not read`, {
        retryable: true,
        details: { in_flight_bytes: heldBytes, total_in_flight_bytes: totalBytes },
      }),
      'inbound budget exceeded',
    );
  }

  // The transport stops reading a frame cut off mid-way (the rest stays in the kernel); until it
  // has closed, what it still reports is no longer counted.
  private cutOff(error: ARCPError, reason: string): void {
    this.done = true;
    this.runtime.inbound.remove(this);
    this.conn.terminate(error, CLOSE_CODES.TOO_LARGE, reason);
  }

  /** True when a frame arriving before the welcome is over the pre-handshake cap. */
  preHandshakeTooLarge(frame: string): boolean {
    const max = this.limits.maxPreHandshakeFrameBytes;
    return frame.length > max || (frame.length * 3 > max && Buffer.byteLength(frame, 'utf8') > max);
  }

  preHandshakeRefusal(frame: string): ARCPError {
    const max = this.limits.maxPreHandshakeFrameBytes;
    return limitError('INVALID_REQUEST', 'maxPreHandshakeFrameBytes', max, `frame of ${Buffer.byteLength(frame, 'utf8')} bytes before the handshake exceeds the ${max}-byte cap`);
  }

  /**
   * Characters of frames that may wait behind one whose handling is pending (an async
   * authenticator checking a hello/resume, a cluster lookup): before the welcome what may be read
   * before the handshake; after it `maxQueuedInboundBytes`, so a resume flip cannot queue unbounded.
   */
  get queuedInboundChars(): number {
    return this.conn.isBound ? this.limits.maxQueuedInboundBytes : this.limits.maxPreHandshakeFrameBytes;
  }

  queuedInboundRefusal(chars: number): ARCPError {
    if (this.conn.isBound) {
      const max = this.limits.maxQueuedInboundBytes;
      return limitError('INVALID_REQUEST', 'maxQueuedInboundBytes', max, `${chars} characters of frames queued behind a pending request exceed the ${max}-character cap`);
    }
    const max = this.limits.maxPreHandshakeFrameBytes;
    return limitError('INVALID_REQUEST', 'maxPreHandshakeFrameBytes', max, `${chars} characters of frames queued behind a pending handshake exceed the ${max}-byte cap`);
  }

  /** Before a hello or resume is looked at: the per-connection and per-source budgets. */
  admitAuthAttempt(): Refusal | undefined {
    if (++this.authAttempts > this.limits.maxAuthAttemptsPerConnection) {
      return {
        error: limitError('UNAUTHENTICATED', 'maxAuthAttemptsPerConnection', this.limits.maxAuthAttemptsPerConnection, 'too many hello/resume attempts on this connection'),
        closeCode: CLOSE_CODES.TOO_MANY,
      };
    }
    return this.runtime.admitAuthAttempt(this.conn.transport);
  }

  authFailed(): void {
    this.runtime.authFailed(this.conn.transport);
  }

  /** Replay runs as one burst of frames already held in memory: suspend the policy meanwhile. */
  replaying(on: boolean): void {
    this.replayAllowance = on ? Infinity : (this.conn.transport.bufferedAmount ?? 0);
  }

  /** After a frame was handed to the transport: apply the outbound backlog policy. */
  afterSend(): void {
    const total = this.conn.transport.bufferedAmount;
    if (total === undefined || this.done || this.replayAllowance === Infinity) return;
    // The replay's share shrinks as it is written out; only growth beyond it counts.
    this.replayAllowance = Math.min(this.replayAllowance, total);
    const buffered = total - this.replayAllowance;
    if (buffered > this.limits.maxOutboundBufferedBytes) {
      this.stall(
        limitError('INTERNAL_ERROR', 'maxOutboundBufferedBytes', this.limits.maxOutboundBufferedBytes, `the reader fell ${buffered} bytes behind; resume to continue`, {
          details: { buffered_bytes: buffered },
        }),
      );
      return;
    }
    // The global budget: over it, the largest holder (maybe this one) is closed like a stalled reader.
    const budget = this.runtime.outbound;
    budget.update(this, buffered);
    if (this.done) return;
    const overGlobal = buffered > 0 && budget.totalBytes > budget.highWaterBytes;
    if (buffered > this.limits.outboundHighWaterBytes || overGlobal) {
      if (this.backPressureArmed) {
        this.backPressureArmed = false;
        if (buffered > this.limits.outboundHighWaterBytes) this.conn.backPressure(buffered);
        else this.conn.backPressure(buffered, { limit: 'maxOutboundBufferedBytesTotal', total_buffered_bytes: budget.totalBytes });
      }
    } else if (!this.backPressureArmed && buffered <= this.limits.outboundHighWaterBytes / 2 && budget.totalBytes <= budget.highWaterBytes / 2) {
      this.backPressureArmed = true;
    }
  }

  outboundBytes(): number {
    if (this.done || this.replayAllowance === Infinity) return 0;
    return Math.max(0, (this.conn.transport.bufferedAmount ?? 0) - this.replayAllowance);
  }

  overBudget(totalBytes: number): void {
    if (this.done) return;
    const max = this.limits.maxOutboundBufferedBytesTotal;
    const buffered = this.outboundBytes();
    this.stall(
      limitError('INTERNAL_ERROR', 'maxOutboundBufferedBytesTotal', max, `readers hold ${totalBytes} unsent bytes together, this one the most (${buffered}); resume to continue`, {
        details: { buffered_bytes: buffered, total_buffered_bytes: totalBytes },
      }),
    );
  }

  private stall(error: ARCPError): void {
    this.done = true;
    this.runtime.outbound.remove(this);
    this.conn.stalled(error);
  }

  // Chained re-check instead of a reset per frame: a busy connection costs nothing per frame.
  private armIdle(ms: number): void {
    this.idleTimer = schedule(this.clock, () => {
      if (this.done) return;
      const idle = this.clock.monotonic() - this.conn.lastTrafficMs();
      const limit = this.limits.idleTimeoutMs;
      if (idle < limit) return this.armIdle(limit - idle);
      this.conn.terminate(
        limitError('HEARTBEAT_LOST', 'idleTimeoutMs', limit, `no traffic but heartbeats for ${limit} ms`, { retryable: true }),
        CLOSE_CODES.TIMEOUT,
        'idle timeout',
      );
    }, ms);
  }
}
