// A clock whose wall and monotonic readings move independently, so tests can jump the wall
// clock (NTP step, manual change) without moving monotonic time, and vice versa.
export class FakeClock {
  constructor(public wall: number, public mono = 1_000_000) {}
  now(): number {
    return this.wall;
  }
  monotonic(): number {
    return this.mono;
  }
  /** Real time passes: both clocks move. */
  advance(ms: number): void {
    this.wall += ms;
    this.mono += ms;
  }
}
