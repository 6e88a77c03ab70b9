/**
 * Client heartbeat (§6.4, catalog §9 #25): when `heartbeat` is negotiated the client pings only
 * when its own outbound side has been idle for an interval, and treats two intervals without
 * any inbound frame as HEARTBEAT_LOST. Pongs are answered by the dispatcher regardless of the
 * feature (catalog §6.5: "always pong").
 */
import type { Clock, TimerHandle } from '../protocol/clock.js';

export interface LivenessHooks {
  ping(): void;
  lost(silentForMs: number): void;
}

export class Liveness {
  private lastInbound: number;
  private lastOutbound: number;
  private timer: TimerHandle | undefined;
  private stopped = false;
  private readonly intervalMs: number;

  constructor(
    intervalSec: number,
    private readonly clock: Clock,
    private readonly hooks: LivenessHooks,
  ) {
    this.intervalMs = intervalSec * 1000;
    this.lastInbound = this.lastOutbound = clock.monotonic();
    this.schedule();
  }

  noteInbound(): void {
    this.lastInbound = this.clock.monotonic();
  }

  noteOutbound(): void {
    this.lastOutbound = this.clock.monotonic();
  }

  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
    this.timer = undefined;
  }

  // Ticks at half the interval: fine enough to ping within one interval of idleness and to
  // notice two silent intervals without drifting far past them.
  private schedule(): void {
    if (this.stopped) return;
    this.timer = this.clock.setTimeout(() => this.tick(), Math.max(1, this.intervalMs / 2)).unref();
  }

  private tick(): void {
    this.timer = undefined;
    if (this.stopped) return;
    const now = this.clock.monotonic();
    const silent = now - this.lastInbound;
    if (silent >= 2 * this.intervalMs) {
      this.stop();
      this.hooks.lost(silent);
      return;
    }
    if (now - this.lastOutbound >= this.intervalMs) {
      this.lastOutbound = now;
      this.hooks.ping();
    }
    this.schedule();
  }
}
