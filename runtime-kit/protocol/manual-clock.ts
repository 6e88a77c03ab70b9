// A Clock whose time only moves when a test says so. Timers fire in due-time order (ties in
// creation order), each seeing now() equal to its due time.
import type { Clock, TimerHandle } from './clock.js';

interface Timer {
  id: number;
  due: number;
  every?: number;
  callback: () => void;
}

export class ManualClock implements Clock {
  private current: number;
  private monotonicNow = 0;
  private timers: Timer[] = [];
  private nextId = 0;

  constructor(startEpochMs = Date.UTC(2026, 0, 1)) {
    this.current = startEpochMs;
  }

  now(): number {
    return this.current;
  }

  monotonic(): number {
    return this.monotonicNow;
  }

  get pendingTimers(): number {
    return this.timers.length;
  }

  setTimeout(callback: () => void, ms: number): TimerHandle {
    return this.add({ id: this.nextId++, due: this.monotonicNow + Math.max(0, ms), callback });
  }

  setInterval(callback: () => void, ms: number): TimerHandle {
    const every = Math.max(1, ms);
    return this.add({ id: this.nextId++, due: this.monotonicNow + every, every, callback });
  }

  /** Moves time forward by `ms`, firing every timer that falls due, synchronously. */
  advance(ms: number): void {
    const target = this.monotonicNow + ms;
    for (let t = this.takeDue(target); t; t = this.takeDue(target)) this.fire(t);
    this.moveTo(target);
  }

  /**
   * Like advance(), but lets promise chains settle after each timer, so code that awaits a
   * timer and then schedules another (sleep loops, heartbeats) is driven through as well.
   */
  async advanceAsync(ms: number): Promise<void> {
    const target = this.monotonicNow + ms;
    await settle();
    for (let t = this.takeDue(target); t; t = this.takeDue(target)) {
      this.fire(t);
      await settle();
    }
    this.moveTo(target);
  }

  private add(timer: Timer): TimerHandle {
    this.timers.push(timer);
    const handle: TimerHandle = {
      cancel: () => {
        this.timers = this.timers.filter((t) => t.id !== timer.id);
      },
      unref: () => handle,
    };
    return handle;
  }

  private takeDue(target: number): Timer | undefined {
    let best: Timer | undefined;
    for (const t of this.timers) {
      if (t.due <= target && (!best || t.due < best.due || (t.due === best.due && t.id < best.id))) best = t;
    }
    if (best) this.timers = this.timers.filter((t) => t !== best);
    return best;
  }

  private fire(timer: Timer): void {
    this.moveTo(timer.due);
    if (timer.every !== undefined) this.timers.push({ ...timer, due: timer.due + timer.every }); // same id: cancel() still works
    timer.callback();
  }

  private moveTo(monotonic: number): void {
    if (monotonic <= this.monotonicNow) return;
    this.current += monotonic - this.monotonicNow;
    this.monotonicNow = monotonic;
  }
}

function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
