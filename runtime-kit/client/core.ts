/**
 * The client's session state and connection lifecycle: binding a transport, the hello/welcome
 * handshake (fresh or resume), sending, and what happens when the transport drops, the
 * heartbeat is lost or a seq gap appears (resume when a reconnect factory exists, else a typed
 * error on every live handle and pending request). Inbound routing lives in router.ts.
 */
import { errorFromPayload } from '../errors/index.js';
import { KitError } from '../errors/kit-error.js';
import { systemClock, type Clock, type TimerHandle } from '../protocol/clock.js';
import type { CloseInfo, Transport } from '../transport/types.js';
import { AutoAcker } from './auto-ack.js';
import { autoResume, resendPending } from './auto-resume.js';
import { ClientEvents } from './client-events.js';
import { openingMessage, welcomeInfoFrom, ALL_FEATURES } from './handshake.js';
import { JobHandle, type HandleOwner, type HandleRole } from './job-handle.js';
import { Liveness } from './liveness.js';
import { PendingRequests } from './pending.js';
import { SeqTracker } from './seq-tracker.js';
import type { ARCPClientOptions, ResumeOptions, WelcomeInfo } from './types.js';
import { routeInbound } from './router.js';
import { decodeInbound, encodeOutbound, envelope, newMessageId, seqOf, type EnvelopeFields } from './wire.js';

export type ClientState = 'idle' | 'handshaking' | 'open' | 'resuming' | 'broken' | 'closing' | 'closed';

/** One transport bound to this client; frames from a superseded link are ignored. */
export interface Link {
  readonly transport: Transport;
  /** Set while the hello is outstanding. */
  handshake?: { resolve(w: WelcomeInfo): void; reject(e: unknown): void; timer: TimerHandle; resume?: ResumeOptions };
  /** Set while close() waits for `session.closed`. */
  closing?: () => void;
  dead: boolean;
}

export const DEFAULT_MAX_FRAME_BYTES = 1024 * 1024;
/** How many settled handles stay findable by job id. */
const RECENT_HANDLES = 256;
/** Live handles of jobs only the runtime named (resume replays); above the runtime's 1,000 live jobs per principal. */
export const DEFAULT_MAX_ADOPTED_JOBS = 4096;

export class ClientCore {
  readonly clock: Clock;
  readonly pending = new PendingRequests();
  readonly handles = new Map<string, JobHandle>();
  /** Recently settled handles, so a late subscribe, idempotent hit or client.job() still finds them. */
  readonly recent = new Map<string, JobHandle>();
  /** Job ids of live adopted handles, oldest first (see adopt()). */
  private readonly adopted = new Set<string>();
  readonly tracker = new SeqTracker();
  readonly events = new ClientEvents();
  readonly advertised: readonly string[];
  state: ClientState = 'idle';
  welcome: WelcomeInfo | undefined;
  link: Link | undefined;
  acker: AutoAcker | undefined;
  liveness: Liveness | undefined;
  reconnect: (() => Promise<Transport>) | undefined;
  private resuming: Promise<void> | undefined;
  /** The last automatic resume: the seq it resumed from and how many attempts had gone before it. */
  resumeStreak: { seq: number; attempts: number } | undefined;
  /** A break (seq gap, drop) that hit the new transport while a resume was still finishing. */
  private interrupted: unknown = undefined;

  constructor(readonly opts: ARCPClientOptions, private readonly owner: HandleOwner) {
    this.clock = opts.clock ?? systemClock;
    this.advertised = [...(opts.features ?? ALL_FEATURES)];
    const ar = opts.autoResume;
    if (typeof ar === 'object' && ar !== null) this.reconnect = ar.reconnect;
  }

  has(feature: string): boolean {
    return this.welcome?.features.includes(feature) ?? false;
  }

  sessionFields(extra: EnvelopeFields = {}): EnvelopeFields {
    return { session_id: this.welcome?.sessionId, ...extra };
  }

  /** Strict-encodes and sends; throws KitError when the transport is gone or the message is invalid. */
  send(type: string, payload: Record<string, unknown>, fields: EnvelopeFields = {}, id?: string): string {
    const link = this.link;
    if (!link || link.dead || !link.transport.isOpen) {
      throw new KitError('ARCP_KIT_TRANSPORT_CLOSED', `cannot send ${type}: no open session transport`);
    }
    const env = envelope(type, payload, this.sessionFields(fields), id ?? newMessageId());
    link.transport.send(encodeOutbound(env));
    this.liveness?.noteOutbound();
    return env.id as string;
  }

  /** Returns the handle for a job, creating one (buffering from now on) if none exists. */
  handleFor(jobId: string, role: HandleRole): JobHandle {
    let h = this.handles.get(jobId) ?? this.recent.get(jobId);
    if (role !== 'adopted') this.adopted.delete(jobId);
    if (!h) {
      h = new JobHandle(jobId, role, this.owner);
      this.handles.set(jobId, h);
      if (role === 'adopted') this.adopt(h);
    }
    return h;
  }

  /**
   * Keeps at most `maxAdoptedJobs` live adopted handles: the runtime alone decides which job ids
   * it sends events for, so without a cap a hostile one grows a handle (and its buffer) per id,
   * for ever (issue 13: 200,000 ids held 308 MB of heap). The oldest is failed, not dropped.
   */
  private adopt(handle: JobHandle): void {
    this.adopted.add(handle.jobId);
    const max = this.opts.maxAdoptedJobs ?? DEFAULT_MAX_ADOPTED_JOBS;
    for (const jobId of this.adopted) {
      if (this.adopted.size <= max) return;
      this.adopted.delete(jobId);
      const old = this.handles.get(jobId);
      if (!old) continue;
      this.handles.delete(jobId);
      const err = new KitError('ARCP_KIT_ADOPTED_EVICTED', `job ${jobId} was never submitted or subscribed here and more than ${max} such jobs are held; its handle was dropped`, {
        details: { jobId, maxAdoptedJobs: max },
      });
      old.fail(err);
      this.events.emit('protocolError', err);
    }
  }

  /** Moves a settled handle out of the live map into the bounded recent map. */
  retire(handle: JobHandle): void {
    this.adopted.delete(handle.jobId);
    this.handles.delete(handle.jobId);
    this.recent.delete(handle.jobId);
    this.recent.set(handle.jobId, handle);
    if (this.recent.size > RECENT_HANDLES) this.recent.delete(this.recent.keys().next().value as string);
  }

  /** Binds `transport`, sends the hello (with `resume` when given) and waits for the welcome. */
  openSession(transport: Transport, resume?: ResumeOptions): Promise<WelcomeInfo> {
    const link: Link = { transport, dead: false };
    this.link = link;
    const result = new Promise<WelcomeInfo>((resolve, reject) => {
      const timer = this.clock
        .setTimeout(() => {
          this.failHandshake(link, new KitError('ARCP_KIT_HANDSHAKE_TIMEOUT', 'no session.welcome in time'));
        }, this.opts.handshakeTimeoutMs ?? 10_000)
        .unref();
      link.handshake = { resolve, reject, timer, ...(resume ? { resume } : {}) };
    });
    transport.start({
      message: (frame) => this.onFrame(link, frame),
      close: (info) => this.onTransportClose(link, info),
      error: (err) => this.events.emit('protocolError', err),
    });
    try {
      const first = openingMessage({ ...this.opts, features: this.advertised }, resume);
      const env = envelope(first.type, first.payload, first.sessionId ? { session_id: first.sessionId } : {});
      transport.send(encodeOutbound(env));
    } catch (err) {
      this.failHandshake(link, err);
    }
    return result;
  }

  failHandshake(link: Link, err: unknown): void {
    const hs = link.handshake;
    if (!hs) return;
    link.handshake = undefined;
    hs.timer.cancel();
    link.dead = true;
    if (this.link === link) this.link = undefined;
    void link.transport.close('handshake failed').catch(() => undefined);
    hs.reject(err);
  }

  /** Applies a welcome to the session state; called by the router on `session.welcome`. */
  acceptWelcome(link: Link, env: Record<string, unknown>): void {
    const hs = link.handshake;
    if (!hs) return; // an unsolicited second welcome is ignored
    const info = welcomeInfoFrom(env, this.advertised);
    if ('error' in info) return this.failHandshake(link, new KitError('ARCP_KIT_BAD_WELCOME', info.error));
    link.handshake = undefined;
    hs.timer.cancel();
    this.welcome = info;
    this.state = 'open';
    // §6.3: a resumed session continues the seq space from the client's last seq.
    this.tracker.seed(hs.resume ? hs.resume.lastEventSeq : 0);
    this.startTimers(info);
    hs.resolve(info);
  }

  private startTimers(info: WelcomeInfo): void {
    this.acker?.stop();
    this.acker = undefined;
    const aa = this.opts.autoAck;
    if (aa && info.features.includes('ack')) {
      this.acker = new AutoAcker(aa === true ? {} : aa, this.clock, (seq) => this.sendAck(seq));
      this.acker.reset(this.tracker.latest);
    }
    this.liveness?.stop();
    this.liveness = undefined;
    if (this.opts.heartbeat !== false && info.features.includes('heartbeat') && info.heartbeatIntervalSec) {
      const link = this.link!;
      this.liveness = new Liveness(info.heartbeatIntervalSec, this.clock, {
        ping: () => this.trySend('session.ping', { nonce: newMessageId(), sent_at: new Date(this.clock.now()).toISOString() }),
        lost: (ms) => this.onHeartbeatLost(link, ms),
      });
    }
  }

  sendAck(seq: number): void {
    this.trySend('session.ack', { last_processed_seq: seq });
  }

  /** Best-effort send for control traffic (pong, ping, ack): a dead transport is not an error here. */
  trySend(type: string, payload: Record<string, unknown>, fields?: EnvelopeFields): void {
    try {
      this.send(type, payload, fields);
    } catch {
      // the close handler deals with the dead transport
    }
  }

  private onFrame(link: Link, frame: string): void {
    if (link.dead) return;
    this.liveness?.noteInbound();
    const max = this.opts.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
    if (frame.length > max || (frame.length * 3 > max && Buffer.byteLength(frame) > max)) {
      this.events.emit('protocolError', new KitError('ARCP_KIT_FRAME_TOO_LARGE', `inbound frame over ${max} bytes dropped`));
      // Its seq still counts: calling it a gap would resume into the same oversized frame forever.
      if (link.handshake === undefined) this.skipSeq(seqOf(frame));
      return;
    }
    const d = decodeInbound(frame);
    if (d.ok === 'ignore') return;
    if (d.ok === false) {
      this.events.emit('protocolError', d.error);
      if (d.salvaged) return routeInbound(this, link, d.salvaged);
      // Count the seq of an event we could not read, so it does not masquerade as a gap.
      if (link.handshake === undefined) this.skipSeq(d.seq);
      return;
    }
    routeInbound(this, link, d.message);
  }

  private skipSeq(seq: number | undefined): void {
    if (seq !== undefined && this.tracker.observe(seq) === 'next') this.acker?.observe(seq);
  }

  private onTransportClose(link: Link, info: CloseInfo): void {
    if (link.handshake) {
      const err = new KitError('ARCP_KIT_TRANSPORT_CLOSED', `transport closed during handshake${info.reason ? `: ${info.reason}` : ''}`, info.error ? { cause: info.error } : {});
      return this.failHandshake(link, err);
    }
    const wasCurrent = this.link === link && !link.dead;
    link.dead = true;
    link.closing?.();
    if (!wasCurrent) return;
    this.link = undefined;
    this.stopTimers();
    if (this.state !== 'open') return;
    this.events.emit('disconnected', { ...(info.reason ? { reason: info.reason } : {}), ...(info.error ? { error: info.error } : {}) });
    const err = new KitError('ARCP_KIT_TRANSPORT_CLOSED', 'transport closed; the session can be resumed with latestEventSeq', info.error ? { cause: info.error } : {});
    this.breakSession(err);
  }

  private onHeartbeatLost(link: Link, silentMs: number): void {
    if (this.link !== link || link.dead) return;
    const err = errorFromPayload({ code: 'HEARTBEAT_LOST', message: `no frame from the runtime for ${silentMs} ms (§6.4)`, retryable: true });
    this.events.emit('heartbeatLost', err);
    this.dropLink(link);
    this.breakSession(err);
  }

  /** An unexpected seq jump (§8.3): the session is broken; resume from the last contiguous seq. */
  onGap(link: Link, got: number): void {
    this.events.emit('gap', { expected: this.tracker.latest + 1, got });
    this.dropLink(link);
    this.breakSession(new KitError('ARCP_KIT_SEQ_GAP', `event_seq jumped from ${this.tracker.latest} to ${got}`, { details: { expected: this.tracker.latest + 1, got } }));
  }

  /** Abandons a transport without `session.close`, so the runtime keeps the session resumable. */
  dropLink(link: Link): void {
    link.dead = true;
    if (this.link === link) this.link = undefined;
    this.stopTimers();
    void link.transport.close('client dropped the transport').catch(() => undefined);
  }

  stopTimers(): void {
    this.acker?.stop();
    this.liveness?.stop();
    this.liveness = undefined;
  }

  /** Resume automatically when we can; otherwise fail everything waiting on this session. */
  breakSession(err: unknown): void {
    if (this.state === 'closing' || this.state === 'closed') return;
    if (this.reconnect && this.welcome && !this.resuming) {
      this.state = 'resuming';
      this.resuming = autoResume(this, err).finally(() => {
        this.resuming = undefined;
        // The resumed transport broke before the resume finished (its replay had a gap, or
        // it dropped at once): resume again instead of sitting on a dead link.
        const again = this.takeInterruption();
        if (again !== undefined && this.link === undefined) this.breakSession(again);
      });
      return;
    }
    if (this.resuming) {
      this.interrupted = err;
      return;
    }
    this.state = 'broken';
    this.failEverything(err);
  }

  /** The break that interrupted the resume in flight, if any (cleared on read). */
  takeInterruption(): unknown {
    const err = this.interrupted;
    this.interrupted = undefined;
    return err;
  }

  failEverything(err: unknown): void {
    this.pending.failAll(err);
    // Not retired: after a manual resume, replayed events of these jobs get fresh handles.
    for (const h of this.handles.values()) h.fail(err);
    this.handles.clear();
    this.adopted.clear();
  }

  /** After a resume: replay already arrived in order; re-send requests whose reply may be lost. */
  afterResume(info: WelcomeInfo): void {
    this.events.emit('resumed', info);
    resendPending(this);
  }
}
