// One transport's life inside the runtime: frame checks, decoding, the pre-handshake gate,
// session_id checks, heartbeats, and binding to a Session. Every bad frame gets a typed
// `session.error INVALID_REQUEST` and processing continues (issue 3 "Bad input").
import type { ArcpMessage, SessionError, SessionMachineEvent, SessionPing } from '../../generated/index.js';
import { SESSION_MACHINE, StateMachine, type SessionState } from '../machines/index.js';
import { arcpError, type ARCPError } from '../errors/index.js';
import { toARCPError } from './arcp-errors.js';
import { isKitError, KIT_ERROR_CODES, type KitError } from '../errors/kit-error.js';
import { decodeFrame, newMessageId, newSessionId } from '../protocol/index.js';
import type { CloseInfo, Transport } from '../transport/index.js';
import type { RuntimeCore } from './core.js';
import { envelope, errorPayload, type Correlation } from './envelope.js';
import { HeartbeatMonitor } from './heartbeat.js';
import { DEDUPE_EXEMPT } from './inbound-ids.js';
import type { Session } from './session.js';
import { isoTime } from './timers.js';
import { CLOSE_CODES, type CloseCode } from './limits/close-codes.js';
import { ConnectionGuard, type GuardedConnection } from './limits/connection-guard.js';
import { handshakeGate } from './limits/handshake-gate.js';

/**
 * A session that only exchanges these is "zero-throughput" (§14 heartbeat amplification): they
 * keep the heartbeat monitor content but not the idle deadline.
 */
const HEARTBEATS: ReadonlySet<string> = new Set(['session.ping', 'session.pong']);

export class Connection implements GuardedConnection {
  session: Session | undefined;
  /** session_id for errors before a session exists (catalog §9 #26), and for a fresh welcome. */
  readonly provisionalSessionId = newSessionId();
  /**
   * SESSION_MACHINE before any welcome: `opening` -> `rejected` (refused handshake, or closed
   * first). A fresh welcome hands this machine to the new Session (`hello_accepted`); a resume
   * binds to the existing session's own machine instead.
   */
  readonly handshake = new StateMachine<SessionState, SessionMachineEvent>(SESSION_MACHINE);
  private lastInbound: number;
  private lastOutbound: number;
  /** Last frame either way that was not a heartbeat: the idle deadline's clock (§14). */
  private lastTraffic: number;
  private heartbeat: HeartbeatMonitor | undefined;
  private busy: Promise<void> | undefined;
  private backlog: string[] = [];
  private backlogChars = 0;
  /** Reading from the transport is paused while frames wait behind a pending handler (bound only). */
  private inboundPaused = false;
  private closed = false;
  /** Limits of this transport (handshake/idle deadlines, frame cap, auth attempts, outbound backlog). */
  readonly guard: ConnectionGuard;

  constructor(
    readonly transport: Transport,
    private readonly core: RuntimeCore,
  ) {
    this.lastInbound = this.lastOutbound = this.lastTraffic = core.timers.monotonic();
    this.guard = new ConnectionGuard(core.guard, core.timers, this);
  }

  start(): void {
    // Nothing may escape into the transport: a throw there becomes an uncaught exception.
    this.transport.start({
      message: (frame) => this.guarded('frame', () => this.onFrame(frame)),
      error: (err) => this.guarded('transport error', () => this.onTransportError(err)),
      close: (info) => this.guarded('close', () => this.onClose(info)),
    });
    this.guard.start();
  }

  private guarded(what: string, fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.core.options.logger('error', `runtime failure while handling ${what}`, { error: String(err) });
    }
  }

  get isOpen(): boolean {
    return !this.closed && this.transport.isOpen;
  }

  /** Encodes and sends an unsequenced message. */
  send(msg: ArcpMessage): void {
    this.sendFrame(this.core.encode(msg), HEARTBEATS.has(msg.type));
  }

  sendFrame(frame: string, heartbeat = false): void {
    if (this.closed) return;
    try {
      this.transport.send(frame);
      this.lastOutbound = this.core.timers.monotonic();
      if (!heartbeat) this.lastTraffic = this.lastOutbound;
    } catch (err) {
      // A closing transport: its close callback detaches the session; the event stays buffered.
      if (!isKitError(err, KIT_ERROR_CODES.TRANSPORT_CLOSED)) throw err;
      return;
    }
    this.guard.afterSend();
  }

  get isBound(): boolean {
    return this.session !== undefined;
  }

  lastInboundMs(): number {
    return this.lastInbound;
  }

  lastTrafficMs(): number {
    return this.lastTraffic;
  }

  /** Ends this transport for a limit or a refused handshake: typed error, then close with `code`. */
  terminate(error: ARCPError, code: CloseCode, reason: string): void {
    if (this.closed) return;
    this.sendError(error);
    this.rejectHandshake();
    if (this.session) this.unbind();
    void this.close(reason, code);
  }

  /** Refuses a hello/resume: the reply (correlated), then close (4401 / 4429). */
  refuseHandshake(error: ARCPError, requestId: string, code: CloseCode, sessionId?: string): void {
    if (this.closed) return;
    this.sendError(error, { request_id: requestId }, sessionId ?? this.session?.id ?? this.provisionalSessionId);
    this.rejectHandshake();
    if (this.session) this.unbind();
    if (code === CLOSE_CODES.UNAVAILABLE) return void this.close('runtime node unavailable', code);
    void this.close(code === CLOSE_CODES.TOO_MANY ? 'rate limited' : 'authentication failed', code);
  }

  /** §6.5: the reader is behind by more than the high-water mark. */
  backPressure(bufferedBytes: number, details: Record<string, unknown> = {}): void {
    this.session?.signalBackPressure(`transport backlog of ${bufferedBytes} bytes; the reader is falling behind`, {
      reason: 'outbound_backlog',
      buffered_bytes: bufferedBytes,
      ...details,
    });
  }

  /**
   * The reader stopped reading: nothing more is written to it (its events stay in the resume
   * buffer), its session is detached (resumable) and the transport closed with 4508.
   */
  stalled(error: ARCPError): void {
    const session = this.session;
    this.core.options.logger('warn', 'closing a connection whose reader fell behind', { session_id: session?.id, ...error.details });
    this.sendError(error);
    this.unbind();
    this.closed = true; // drop further output at once; onClose still runs
    void this.transport.close('reader fell behind', CLOSE_CODES.SLOW_READER);
  }

  /** `session.error` on the bound session's id, else `sessionId`, else the provisional id. */
  sendError(err: ARCPError, corr: Correlation = {}, sessionId = this.session?.id ?? this.provisionalSessionId): void {
    this.core.options.logger('info', 'session.error sent', { event: 'session.error', session_id: sessionId, code: err.code, retryable: err.retryable, ...corr });
    this.send(envelope<SessionError>('session.error', { session_id: sessionId }, errorPayload(err, corr)));
  }

  /** A refused hello/resume before any welcome (the caller then closes the transport). */
  rejectHandshake(): void {
    if (this.handshake.is('opening')) this.handshake.fire('handshake_rejected');
  }

  /** Binds this transport to a session (fresh or resumed) and starts heartbeats if negotiated. */
  bind(session: Session): void {
    if (this.session && this.session !== session) this.unbind();
    const previous = session.connection;
    if (previous && previous !== this) {
      // A resume while an old transport is still open (half-open): the newest transport wins.
      previous.session = undefined;
      previous.stopHeartbeat();
      void previous.close('session resumed on another transport');
    }
    if (previous && previous !== this) session.detach();
    this.session = session;
    session.attach(this);
    this.guard.bound();
    this.stopHeartbeat();
    if (session.has('heartbeat')) {
      this.heartbeat = new HeartbeatMonitor(this.core.timers, this.core.options.heartbeatIntervalMs, {
        // While we hold reading back (a pending handler), the peer's pongs wait unread in the kernel:
        // that silence is ours, not the peer's (a dead peer still shows as a closed socket).
        lastInboundMs: () => (this.inboundPaused ? this.core.timers.monotonic() : this.lastInbound),
        lastOutboundMs: () => this.lastOutbound,
        ping: () => this.ping(),
        lost: () => this.onHeartbeatLost(),
      });
      this.heartbeat.start();
    }
  }

  /** Leaves the session detached (still resumable; its jobs keep running). */
  unbind(event: 'transport_closed' | 'heartbeat_lost' = 'transport_closed'): void {
    const session = this.session;
    this.stopHeartbeat();
    if (!session) return;
    if (session.connection === this) session.detach(event);
    this.session = undefined;
  }

  async close(reason?: string, code: CloseCode = CLOSE_CODES.NORMAL): Promise<void> {
    this.stopHeartbeat();
    await this.transport.close(reason, code);
  }

  private stopHeartbeat(): void {
    this.heartbeat?.stop();
    this.heartbeat = undefined;
  }

  private ping(): void {
    if (!this.session) return;
    this.send(
      envelope<SessionPing>('session.ping', { session_id: this.session.id }, { nonce: newMessageId(), sent_at: isoTime(this.core.timers.now()) }),
    );
  }

  // §6.4: surface HEARTBEAT_LOST, close the transport; jobs are untouched (catalog §9 #24: retryable).
  private onHeartbeatLost(): void {
    this.sendError(
      arcpError('HEARTBEAT_LOST', `no frames from the client for ${(2 * this.core.options.heartbeatIntervalMs) / 1000} s`, {
        retryable: true,
      }),
    );
    this.unbind('heartbeat_lost');
    void this.close('heartbeat lost');
  }

  private onFrame(frame: string): void {
    if (this.closed) return;
    this.lastInbound = this.core.timers.monotonic();
    this.session?.touch();
    if (this.busy) {
      // Waiting on a pending handler (an async authenticator): before the welcome an
      // unauthenticated peer queued 60 MB in 3 s here, and a bound one re-sending hello/resume
      // (a resume flip) could queue without end.
      if ((this.backlogChars += frame.length) > this.guard.queuedInboundChars) {
        this.terminate(this.guard.queuedInboundRefusal(this.backlogChars), CLOSE_CODES.TOO_LARGE, 'too much queued behind a pending request');
        return;
      }
      this.backlog.push(frame);
      // Bound: hold the sender back instead of queueing what it sends; the cap above is for
      // what still comes (frames already read, transports that cannot pause).
      if (this.session && !this.inboundPaused) {
        this.inboundPaused = true;
        this.transport.pauseInbound?.(true);
      }
      return;
    }
    this.process(frame);
  }

  private process(frame: string): void {
    const result = this.handleFrame(frame);
    if (result) this.waitFor(result);
  }

  // Handlers are synchronous except where they must wait (e.g. an async authenticator); then
  // later frames wait in order behind them.
  private waitFor(pending: Promise<void>): void {
    this.busy = pending
      .catch((err) => this.reportHandlerFailure(err, undefined))
      .then(() => {
        this.busy = undefined;
        // What waits is counted down as it is taken: a pipeline of requests that each wait (keyed
        // submits in a cluster) must not add up to the cap while the queue never empties.
        while (!this.busy && this.backlog.length > 0 && !this.closed) {
          const next = this.backlog.shift()!;
          this.backlogChars -= next.length;
          this.process(next);
        }
        if (this.inboundPaused && this.backlog.length === 0 && !this.closed) {
          this.inboundPaused = false;
          this.lastInbound = this.core.timers.monotonic(); // the pause is not counted against the peer (heartbeat)
          this.transport.pauseInbound?.(false);
        }
      });
  }

  private handleFrame(frame: string): void | Promise<void> {
    // The transport caps ws/stdio frames; this check also covers the memory transport.
    const max = this.core.options.maxFrameBytes;
    if (frame.length > max || (frame.length * 3 > max && Buffer.byteLength(frame, 'utf8') > max)) {
      this.sendError(arcpError('INVALID_REQUEST', `frame exceeds the ${max}-byte cap and was dropped`, { details: { max_frame_bytes: max } }));
      return;
    }
    // Before the welcome only a small hello/resume can be worth reading (issue 13 item 1).
    if (!this.session && this.guard.preHandshakeTooLarge(frame)) {
      this.terminate(this.guard.preHandshakeRefusal(frame), CLOSE_CODES.TOO_LARGE, 'frame too large before the handshake');
      return;
    }
    const decoded = decodeFrame(frame, handshakeGate(this.session !== undefined));
    if (decoded.ok === 'ignore') return;
    if (decoded.ok === false) {
      const corr: Correlation = {};
      if (decoded.partial.id !== undefined) corr.request_id = decoded.partial.id;
      if (decoded.partial.job_id !== undefined) corr.job_id = decoded.partial.job_id;
      this.sendError(decoded.error, corr);
      return;
    }
    const msg = decoded.message;
    if (!HEARTBEATS.has(msg.type)) this.lastTraffic = this.lastInbound;
    if (this.session && msg.type !== 'session.hello' && msg.type !== 'session.resume') {
      const sid = (msg as { session_id?: unknown }).session_id;
      if (sid !== this.session.id) {
        const what = sid === undefined ? 'missing session_id' : `session_id "${String(sid)}" does not match this session`;
        this.sendError(arcpError('INVALID_REQUEST', `${what} (expected ${this.session.id})`), { request_id: msg.id });
        return;
      }
      // catalog §10 #3: a duplicate of an already-processed envelope id is ignored silently.
      if (!DEDUPE_EXEMPT.has(msg.type) && !this.session.inboundIds.firstSight(msg.id)) return;
    }
    try {
      return this.core.dispatch.dispatch(msg, { core: this.core, connection: this, session: this.session });
    } catch (err) {
      this.reportHandlerFailure(err, msg);
    }
  }

  // A handler bug must not kill the connection: report INTERNAL_ERROR and go on.
  private reportHandlerFailure(err: unknown, msg: ArcpMessage | undefined): void {
    this.core.options.logger('error', 'handler failed', { type: msg?.type, error: String(err) });
    const error = toARCPError(err, 'internal error while handling the message');
    this.sendError(error, msg ? { request_id: msg.id } : {});
  }

  private onTransportError(err: KitError): void {
    // Binary / oversized frames: dropped by the transport; tell the peer and keep going.
    this.sendError(arcpError('INVALID_REQUEST', err.message, { details: { reason: err.code } }));
  }

  private onClose(_info: CloseInfo): void {
    this.closed = true;
    this.guard.stop();
    if (this.handshake.is('opening') && !this.session) this.handshake.fire('transport_closed');
    this.backlog = [];
    this.unbind();
    this.core.connectionClosed(this);
  }
}
