// One raw connection to the peer. The harness sends envelopes (strict-validated unless marked
// raw, so harness bugs are never blamed on the peer) or arbitrary text, and consumes inbound
// frames with `expect`, which waits for the first unconsumed frame matching a predicate. Requests
// that get a reply go through `request`: the correlator claims the reply the moment it arrives.
import { HarnessError, PeerGone, Violation } from '../checks/outcomes.js';
import { ReplyCorrelator, type PendingRequest } from './correlator.js';
import type { Recorder } from './recorder.js';
import { RoundTrips } from './round-trips.js';
import { checkHarnessFrame, checkPeerFrame } from './validation.js';
import { envelope, field, isoNow, markReply, type Envelope } from './wire.js';

/** The transport contract of runtime-kit (contracts.md §3), restated structurally. */
export interface WireTransport {
  start(handlers: {
    message(frame: string): void;
    close(info: { code?: number; reason?: string; error?: Error }): void;
    error(err: Error): void;
  }): void;
  send(frame: string): void;
  close(reason?: string): Promise<void>;
  readonly isOpen: boolean;
}

/** An inbound frame: the parsed message (non-objects are kept as text only). */
export interface Inbound {
  readonly index: number;
  readonly at: number;
  readonly text: string;
  readonly msg: Envelope | undefined;
}

interface Waiter {
  pred: (m: Envelope) => boolean;
  resolve(m: Envelope): void;
  reject(e: Error): void;
  timer: NodeJS.Timeout;
}

export interface ConnectionOptions {
  /** Answer peer pings automatically (§6.4 "always pong"). */
  autoPong?: boolean;
  /** Default timeout for `expect`, ms. */
  timeoutMs: number;
  /**
   * Timeout for expectations made before the peer has sent its first frame: a spawned peer must
   * start its interpreter first, which on a loaded machine can take seconds (never a conformance
   * failure). Defaults to `timeoutMs`.
   */
  firstFrameTimeoutMs?: number;
  /** The run's shared round-trip record (reply waits follow it); a private one if absent. */
  roundTrips?: RoundTrips;
}

export interface RequestOptions {
  /** Reply types beyond the registry's (e.g. a `session.error` answering `session.close` in interop). */
  extraReplies?: readonly string[];
  /** Overrides the derived reply wait, ms. */
  timeoutMs?: number;
  /** Names the request in a timeout message (default: its type). */
  what?: string;
  /** Send without the strict-schema check (deliberately bad requests). */
  raw?: boolean;
}

interface ReplyWaiter {
  resolve(m: Envelope): void;
  reject(e: Error): void;
  timer: NodeJS.Timeout;
}

/** Handshakes: their round trip includes authentication and, over stdio, process start-up. */
const HANDSHAKES: ReadonlySet<string> = new Set(['session.hello', 'session.resume']);

export class PeerConnection {
  /** Every inbound frame, consumed or not, in arrival order. */
  readonly received: Inbound[] = [];
  private readonly unconsumed: Inbound[] = [];
  private waiters: Waiter[] = [];
  private readonly correlator = new ReplyCorrelator();
  private readonly replyWaiters = new Map<PendingRequest, ReplyWaiter>();
  readonly roundTrips: RoundTrips;
  private closedInfo: { code?: number; reason?: string } | undefined;
  private closeListeners: Array<() => void> = [];
  sessionId: string | undefined;
  autoPong: boolean;

  constructor(
    readonly label: string,
    private readonly transport: WireTransport,
    private readonly recorder: Recorder,
    private readonly opts: ConnectionOptions,
  ) {
    this.autoPong = opts.autoPong ?? true;
    this.roundTrips = opts.roundTrips ?? new RoundTrips();
    transport.start({
      message: (text) => this.onFrame(text),
      close: (info) => this.onClose(info),
      error: (err) => recorder.note(label, `transport error: ${err.message}`),
    });
  }

  get isOpen(): boolean {
    return this.closedInfo === undefined && this.transport.isOpen;
  }

  get closeInfo(): { code?: number; reason?: string } | undefined {
    return this.closedInfo;
  }

  private onFrame(text: string): void {
    let msg: Envelope | undefined;
    try {
      const parsed: unknown = JSON.parse(text);
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) msg = parsed as Envelope;
    } catch {
      /* recorded below */
    }
    this.recorder.received(this.label, text, msg);
    if (!msg) {
      this.recorder.peerProblem(this.label, 'frame is not a JSON object');
    } else {
      const problem = checkPeerFrame(msg);
      if (problem) this.recorder.peerProblem(this.label, `${problem.where}: ${problem.issues}`);
    }
    const inbound: Inbound = { index: this.received.length, at: performance.now(), text, msg };
    this.received.push(inbound);
    if (msg && this.autoPong && msg.type === 'session.ping') {
      const nonce = field(msg, 'payload', 'nonce');
      // a check that read its welcome itself may not have set sessionId: the ping names the session
      const sessionId = this.sessionId ?? msg.session_id;
      if (typeof nonce === 'string' && typeof sessionId === 'string' && sessionId !== '' && this.isOpen) {
        // harness-internal: it opens no reply window (it must not swallow an error meant for a request)
        this.transmit(envelope('session.pong', { ping_nonce: nonce, received_at: isoNow() }, { session_id: sessionId }), {});
      }
    }
    if (msg) {
      const answered = this.correlator.offer(msg, inbound.at);
      if (answered) markReply(msg, answered.request.type || 'unparsed frame');
      const waiter = answered && !answered.unawaited ? this.replyWaiters.get(answered) : undefined;
      if (answered && waiter) {
        this.replyWaiters.delete(answered);
        clearTimeout(waiter.timer);
        if (!HANDSHAKES.has(answered.request.type)) this.roundTrips.record(inbound.at - answered.sentAt);
        waiter.resolve(msg);
        return;
      }
      const i = this.waiters.findIndex((w) => w.pred(msg!));
      if (i >= 0) {
        const [w] = this.waiters.splice(i, 1);
        clearTimeout(w.timer);
        w.resolve(msg);
        return;
      }
    }
    this.unconsumed.push(inbound);
  }

  private onClose(info: { code?: number; reason?: string; error?: Error }): void {
    if (this.closedInfo) return;
    this.closedInfo = { code: info.code, reason: info.reason ?? info.error?.message };
    this.recorder.note(this.label, `transport closed${info.reason ? `: ${info.reason}` : ''}`);
    for (const w of this.waiters) {
      clearTimeout(w.timer);
      w.reject(new PeerGone(`${this.label}: transport closed while waiting`));
    }
    this.waiters = [];
    for (const [p, w] of this.replyWaiters) {
      clearTimeout(w.timer);
      this.correlator.close(p);
      w.reject(new PeerGone(`${this.label}: transport closed while waiting for the reply to ${p.request.type}`));
    }
    this.replyWaiters.clear();
    for (const l of this.closeListeners) l();
  }

  /**
   * Sends an envelope nobody awaits a reply to (use `request` for that). Unless `raw`, it must
   * satisfy the strict schema (else HarnessError). An error it draws is not taken for the reply
   * to a request sent after it.
   */
  send(env: Envelope, opts: { raw?: boolean } = {}): void {
    // the window opens before the frame leaves: a reply can never beat it
    const window = this.correlator.sentUnawaited(env, this.roundTrips.replyWaitMs(this.opts.timeoutMs));
    try {
      this.transmit(env, opts);
    } catch (e) {
      this.correlator.close(window);
      throw e;
    }
  }

  private transmit(env: Envelope, opts: { raw?: boolean }): void {
    if (!opts.raw) {
      const problem = checkHarnessFrame(env);
      if (problem) throw new HarnessError(`harness frame ${problem.where} fails the strict schema: ${problem.issues}`);
    }
    this.transmitText(JSON.stringify(env), env);
  }

  /**
   * Sends a request and resolves with its reply, matched by the catalog's rule (correlator.ts):
   * request_id, then trace_id, then order within this request's reply window. Rejects with a
   * Violation when no reply comes within the wait derived from measured round trips.
   */
  request(env: Envelope, opts: RequestOptions = {}): Promise<Envelope> {
    if (!this.isOpen) return Promise.reject(new PeerGone(`${this.label}: transport closed before ${opts.what ?? env.type}`));
    const pending = this.correlator.open(env, { extraReplies: opts.extraReplies });
    const timeoutMs = opts.timeoutMs ?? this.replyWaitMs(env.type);
    const reply = new Promise<Envelope>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.replyWaiters.delete(pending);
        this.correlator.close(pending);
        reject(new Violation(`${this.label}: no reply to ${opts.what ?? env.type} within ${timeoutMs} ms`, { unanswered: env }));
      }, timeoutMs);
      this.replyWaiters.set(pending, { resolve, reject, timer });
    });
    try {
      this.transmit(env, { raw: opts.raw });
    } catch (e) {
      const w = this.replyWaiters.get(pending);
      if (w) clearTimeout(w.timer);
      this.replyWaiters.delete(pending);
      this.correlator.close(pending);
      reply.catch(() => undefined);
      throw e;
    }
    return reply;
  }

  /** Wait for a reply: handshakes get the start-up allowance, others follow measured round trips. */
  private replyWaitMs(type: string): number {
    if (HANDSHAKES.has(type)) return Math.max(this.opts.timeoutMs, this.opts.firstFrameTimeoutMs ?? 0);
    if (this.received.length === 0) return this.defaultTimeoutMs();
    return this.roundTrips.replyWaitMs(this.opts.timeoutMs);
  }

  /** Sends arbitrary text (malformed JSON, non-objects, oversized frames...); like `send`, unawaited. */
  sendText(text: string): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    const env = parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Envelope) : undefined;
    const window = this.correlator.sentUnawaited(env, this.roundTrips.replyWaitMs(this.opts.timeoutMs));
    try {
      this.transmitText(text, env);
    } catch (e) {
      this.correlator.close(window);
      throw e;
    }
  }

  private transmitText(text: string, parsed?: object): void {
    this.recorder.sent(this.label, text.length > 2000 ? `${text.slice(0, 2000)}... (${text.length} chars)` : text, parsed);
    if (!this.isOpen) throw new PeerGone(`${this.label}: cannot send, transport closed`);
    this.transport.send(text);
  }

  /**
   * Resolves with the first not-yet-consumed frame matching `pred`, consuming it.
   * Rejects with a Violation naming `what` after `timeoutMs`.
   */
  expect(pred: (m: Envelope) => boolean, what: string, timeoutMs = this.defaultTimeoutMs()): Promise<Envelope> {
    const i = this.unconsumed.findIndex((f) => f.msg !== undefined && pred(f.msg));
    if (i >= 0) return Promise.resolve(this.unconsumed.splice(i, 1)[0].msg!);
    if (!this.isOpen) return Promise.reject(new PeerGone(`${this.label}: transport closed before ${what}`));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w.timer !== timer);
        reject(new Violation(`${this.label}: no ${what} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.push({ pred, resolve, reject, timer });
    });
  }

  private defaultTimeoutMs(): number {
    if (this.received.length === 0) return Math.max(this.opts.timeoutMs, this.opts.firstFrameTimeoutMs ?? 0);
    return this.opts.timeoutMs;
  }

  /** `expect` by message type (and optional job id). */
  expectType(type: string | readonly string[], jobId?: string, timeoutMs?: number): Promise<Envelope> {
    const types = typeof type === 'string' ? [type] : type;
    return this.expect(
      (m) => types.includes(m.type) && (jobId === undefined || m.job_id === jobId),
      `${types.join(' | ')}${jobId ? ` for ${jobId}` : ''}`,
      timeoutMs,
    );
  }

  /** Resolves true if a matching frame arrives within `ms`, false otherwise (nothing consumed on false). */
  async arrives(pred: (m: Envelope) => boolean, ms: number): Promise<boolean> {
    try {
      await this.expect(pred, 'frame', ms);
      return true;
    } catch (e) {
      if (e instanceof Violation || e instanceof PeerGone) return false;
      throw e;
    }
  }

  /** Waits until the peer closes the transport, or `ms` passes; true if it closed. */
  waitClosed(ms: number): Promise<boolean> {
    if (!this.isOpen) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), ms);
      this.closeListeners.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  /** All inbound messages so far (consumed or not). */
  messages(): Envelope[] {
    return this.received.flatMap((f) => (f.msg ? [f.msg] : []));
  }

  async close(reason = 'harness done'): Promise<void> {
    if (!this.transport.isOpen) return;
    this.recorder.note(this.label, `harness closes transport (${reason})`);
    await this.transport.close(reason).catch(() => undefined);
  }
}
