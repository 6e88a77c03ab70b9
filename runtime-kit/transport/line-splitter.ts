// Newline-delimited framing for stdio (catalog §1.4): splits a byte stream into lines, keeping
// partial lines across chunks, ignoring blank lines, and reporting-then-dropping lines above
// the byte cap without ever buffering more than the cap (+1 byte for a trailing CR).
const LF = 0x0a;
const CR = 0x0d;

export interface LineSplitterSink {
  line(text: string): void;
  oversized(bytes: number): void;
}

export class LineSplitter {
  private parts: Buffer[] = [];
  private partBytes = 0;
  // While > 0 we are skipping the rest of an oversized line; the value counts its bytes.
  private discardedBytes = 0;

  constructor(
    private readonly maxLineBytes: number,
    private readonly sink: LineSplitterSink,
  ) {}

  push(chunk: Buffer): void {
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(LF, start);
      if (nl === -1) {
        this.append(chunk.subarray(start));
        return;
      }
      this.append(chunk.subarray(start, nl));
      this.finishLine();
      start = nl + 1;
    }
  }

  /** End of stream: a final line without a trailing newline still counts. */
  end(): void {
    if (this.partBytes > 0 || this.discardedBytes > 0) this.finishLine();
  }

  private append(buf: Buffer): void {
    if (buf.length === 0) return;
    if (this.discardedBytes > 0) {
      this.discardedBytes += buf.length;
      return;
    }
    if (this.partBytes + buf.length > this.maxLineBytes + 1) {
      this.discardedBytes = this.partBytes + buf.length;
      this.parts = [];
      this.partBytes = 0;
      return;
    }
    this.parts.push(buf);
    this.partBytes += buf.length;
  }

  private finishLine(): void {
    if (this.discardedBytes > 0) {
      const bytes = this.discardedBytes;
      this.discardedBytes = 0;
      this.sink.oversized(bytes);
      return;
    }
    let line = this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts, this.partBytes);
    this.parts = [];
    this.partBytes = 0;
    if (line.length > 0 && line[line.length - 1] === CR) line = line.subarray(0, line.length - 1);
    if (line.length > this.maxLineBytes) {
      this.sink.oversized(line.length);
      return;
    }
    const text = line.toString('utf8');
    if (text.trim() === '') return;
    this.sink.line(text);
  }
}
