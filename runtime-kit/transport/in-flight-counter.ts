// Counts the bytes of the inbound WebSocket message still arriving, on the raw socket under ws: ws
// reports a message only once it is complete, so without this a limit could act only after ws had
// buffered all of it (up to its hard ceiling). The frame headers are read here (only the headers:
// payload bytes are counted, not looked at), so the count knows where a message ends, leaves out
// control frames (ws answers a ping at once and holds nothing of it), and charges each
// continuation frame for what ws keeps per fragment: a message sent as 1-byte fragments cost ws
// about 130 bytes of heap per 7 bytes on the wire, 2 MiB held for 112 KiB counted.

/** The byte stream under the WebSocket, seen before ws assembles a frame (structural). */
export interface RawByteSource {
  on(event: 'data', listener: (chunk: Buffer) => void): unknown;
  pause(): unknown;
  /** Ends our side once what was written is flushed ('finish'). */
  end(): unknown;
  once(event: 'finish', listener: () => void): unknown;
}

/** Charged per continuation frame of a message: ws holds each fragment as its own Buffer (measured ~130 B), doubled for headroom. */
export const FRAGMENT_OVERHEAD_BYTES = 256;

/** A frame's header is at most 14 bytes (2 + 8 length + 4 mask), on top of its payload. */
export const MAX_HEADER_BYTES = 14;

export class InFlightCounter {
  private bytes = 0;
  private reported = 0;
  private readonly header = Buffer.alloc(MAX_HEADER_BYTES);
  private headerHave = 0;
  private headerNeed = 2;
  private payloadLeft = 0;
  private inPayload = false;
  private dataFrame = false;
  private fin = false;
  private cap: { max: number; onExceeded: () => void } | undefined;
  private watcher: ((bytes: number) => void) | undefined;

  /** Must be built in the tick the socket was upgraded, before its first byte is read: the parse starts there. */
  constructor(raw: RawByteSource) {
    // ws's own 'data' listener runs first (it emits messages synchronously): a message this chunk
    // completes has been handed over when the count drops to 0 below.
    raw.on('data', (chunk) => this.count(chunk));
  }

  /** Bytes of the message still arriving (0 between messages). */
  get inFlightBytes(): number {
    return this.bytes;
  }

  /** `onExceeded` runs once when more than `max` bytes of one message are in; `undefined` lifts the cap. */
  setCap(max: number | undefined, onExceeded: () => void): void {
    this.cap = max === undefined ? undefined : { max, onExceeded };
  }

  /** `listener` is told the in-flight figure after each socket read that changed it (0 once the message is complete). */
  watch(listener: (bytes: number) => void): void {
    this.watcher = listener;
  }

  private count(chunk: Buffer): void {
    for (let at = 0; at < chunk.length; ) {
      at += this.inPayload ? this.readPayload(chunk, at) : this.readHeader(chunk, at);
    }
    if (this.watcher !== undefined && this.bytes !== this.reported) {
      this.reported = this.bytes;
      this.watcher(this.bytes);
    }
    const cap = this.cap;
    if (cap !== undefined && this.bytes > cap.max) {
      this.cap = undefined;
      cap.onExceeded();
    }
  }

  private readHeader(chunk: Buffer, at: number): number {
    const take = Math.min(this.headerNeed - this.headerHave, chunk.length - at);
    chunk.copy(this.header, this.headerHave, at, at + take);
    this.headerHave += take;
    if (this.headerHave === 2) {
      const len = this.header[1]! & 0x7f;
      this.headerNeed = 2 + (len === 126 ? 2 : len === 127 ? 8 : 0) + (this.header[1]! & 0x80 ? 4 : 0);
    }
    if (this.headerHave === this.headerNeed) this.startFrame();
    return take;
  }

  private startFrame(): void {
    const opcode = this.header[0]! & 0x0f;
    this.fin = (this.header[0]! & 0x80) !== 0;
    this.dataFrame = opcode < 0x08;
    const len = this.header[1]! & 0x7f;
    this.payloadLeft = len === 126 ? this.header.readUInt16BE(2) : len === 127 ? Number(this.header.readBigUInt64BE(2)) : len;
    if (this.dataFrame) this.bytes += this.headerNeed + (opcode === 0x00 ? FRAGMENT_OVERHEAD_BYTES : 0);
    this.headerHave = 0;
    this.headerNeed = 2;
    this.inPayload = true;
    if (this.payloadLeft === 0) this.endFrame();
  }

  private readPayload(chunk: Buffer, at: number): number {
    const take = Math.min(this.payloadLeft, chunk.length - at);
    this.payloadLeft -= take;
    if (this.dataFrame) this.bytes += take;
    if (this.payloadLeft === 0) this.endFrame();
    return take;
  }

  private endFrame(): void {
    this.inPayload = false;
    // The last fragment of a message: ws has handed the message over and let go of it.
    if (this.dataFrame && this.fin) this.bytes = 0;
  }
}
