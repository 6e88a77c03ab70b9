// Liveness (§6.4, catalog §6.5 / §10 #12): ping only when our outbound side has been idle for an
// interval; any inbound frame counts as liveness; two silent intervals -> HEARTBEAT_LOST.
// Each wake-up is scheduled for the next deadline (not a fixed half-interval tick): with a fixed
// tick an idle session whose last frame went out just after a tick was pinged 1.5 intervals
// later, short of §6.4's "at least one message per interval". The ping goes a little early
// (PING_LEAD) so that timer lateness never stretches the gap past the interval.
import { schedule, type Clock, type TimerHandle } from './timers.js';

export interface HeartbeatPeer {
  lastInboundMs(): number;
  lastOutboundMs(): number;
  ping(): void;
  lost(): void;
}

export class HeartbeatMonitor {
  private handle: TimerHandle | undefined;
  private stopped = false;

  constructor(
    private readonly timers: Clock,
    private readonly intervalMs: number,
    private readonly peer: HeartbeatPeer,
  ) {}

  start(): void {
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    this.handle?.cancel();
    this.handle = undefined;
  }

  private schedule(delayMs: number = this.pingAfterMs()): void {
    if (this.stopped) return;
    this.handle = schedule(this.timers, () => this.tick(), Math.max(1, delayMs));
  }

  /** Outbound idle time after which we ping: the interval less a small lead. */
  private pingAfterMs(): number {
    return this.intervalMs - Math.min(this.intervalMs * PING_LEAD, PING_LEAD_MAX_MS);
  }

  private tick(): void {
    if (this.stopped) return;
    const now = this.timers.monotonic();
    const silentFor = now - this.peer.lastInboundMs();
    if (silentFor >= 2 * this.intervalMs) {
      this.stopped = true;
      this.peer.lost();
      return;
    }
    let lastOut = this.peer.lastOutboundMs();
    if (now - lastOut >= this.pingAfterMs()) {
      this.peer.ping();
      // the ping may be queued behind a back-pressured socket: count it as sent now either way
      lastOut = Math.max(now, this.peer.lastOutboundMs());
    }
    const pingDue = lastOut + this.pingAfterMs() - now;
    const lossDue = this.peer.lastInboundMs() + 2 * this.intervalMs - now;
    this.schedule(Math.min(pingDue, lossDue));
  }
}

/** Fraction of the interval, capped, by which a ping precedes the interval's end. */
const PING_LEAD = 0.1;
const PING_LEAD_MAX_MS = 1000;
