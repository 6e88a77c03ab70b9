// Counts the bytes of the inbound WebSocket frame still arriving, on the raw socket under ws: ws
// reports a frame only once it is complete, so without this a limit could act only after ws had
// buffered all of it (up to its hard ceiling). Fragments of one message count as one frame, as
// ws buffers them together.

/** The byte stream under the WebSocket, seen before ws assembles a frame (structural). */
export interface RawByteSource {
  on(event: 'data', listener: (chunk: Buffer) => void): unknown;
  pause(): unknown;
  /** Ends our side once what was written is flushed ('finish'). */
  end(): unknown;
  once(event: 'finish', listener: () => void): unknown;
}

export class InFlightCounter {
  private bytes = 0;
  private frameEnded = false;
  private counting = false;
  private cap: { max: number; onExceeded: () => void } | undefined;
  private watcher: ((bytes: number) => void) | undefined;

  constructor(private readonly raw: RawByteSource) {}

  /** Bytes of the frame still arriving (0 between frames). */
  get inFlightBytes(): number {
    return this.bytes;
  }

  /** `onExceeded` runs once when more than `max` bytes of one frame are in; `undefined` lifts the cap. */
  setCap(max: number | undefined, onExceeded: () => void): void {
    this.cap = max === undefined ? undefined : { max, onExceeded };
    if (max !== undefined) this.start();
  }

  /** `listener` is told the in-flight figure each time more bytes arrive, and 0 once the frame is complete. */
  watch(listener: (bytes: number) => void): void {
    this.watcher = listener;
    this.start();
  }

  /** ws delivered a complete frame: what it held of it is handed over. */
  frameDone(): void {
    this.frameEnded = true;
    if (this.bytes === 0) return;
    this.bytes = 0;
    this.watcher?.(0);
  }

  private start(): void {
    if (this.counting) return;
    this.counting = true;
    // ws's own 'data' listener runs first (ws emits messages synchronously): a chunk that completed
    // a frame has already been delivered (frameEnded) when this one sees it, so it is skipped. What
    // the rest of that chunk holds of the next frame goes uncounted: at most one chunk of slack.
    this.raw.on('data', (chunk) => this.count(chunk.length));
  }

  private count(bytes: number): void {
    if (this.frameEnded) {
      this.frameEnded = false;
      return;
    }
    this.bytes += bytes;
    this.watcher?.(this.bytes);
    const cap = this.cap;
    if (cap !== undefined && this.bytes > cap.max) {
      this.cap = undefined;
      cap.onExceeded();
    }
  }
}
