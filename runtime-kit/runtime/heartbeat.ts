// Liveness (§6.4, catalog §6.5 / §10 #12): ping only when our outbound side has been idle for an
// interval; any inbound frame counts as liveness; two silent intervals -> HEARTBEAT_LOST.
// Ticks every half interval so both thresholds are honoured within half an interval.
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

  private schedule(): void {
    if (this.stopped) return;
    this.handle = schedule(this.timers, () => this.tick(), this.intervalMs / 2);
  }

  private tick(): void {
    if (this.stopped) return;
    const now = this.timers.monotonic();
    if (now - this.peer.lastInboundMs() >= 2 * this.intervalMs) {
      this.stopped = true;
      this.peer.lost();
      return;
    }
    if (now - this.peer.lastOutboundMs() >= this.intervalMs) this.peer.ping();
    this.schedule();
  }
}
