// A Transport over a readable + writable byte stream pair, framed as newline-delimited JSON.
// Base for both stdio variants (serve on our own stdin/stdout, spawn a child).
import type { Readable, Writable } from 'node:stream';
import { KitError, KIT_ERROR_CODES } from '../errors/kit-error.js';
import { InboundDispatcher } from './inbound.js';
import { LineSplitter } from './line-splitter.js';
import { DEFAULT_MAX_FRAME_BYTES, type CloseInfo, type Transport, type TransportHandlers } from './types.js';

export interface StreamTransportOptions {
  /** Largest accepted inbound line in bytes; longer lines are reported and dropped. Default 1 MiB. */
  maxFrameBytes?: number;
}

export abstract class NdjsonStreamTransport implements Transport {
  readonly kind = 'stdio' as const;
  protected readonly inbound = new InboundDispatcher();
  protected open = true;
  private finished = false;
  private resolveClosed!: () => void;
  protected readonly closed = new Promise<void>((resolve) => (this.resolveClosed = resolve));
  private readonly splitter: LineSplitter;
  private readonly onData = (chunk: Buffer | string): void =>
    this.splitter.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
  private readonly onEnd = (): void => {
    this.splitter.end();
    this.inputEnded();
  };

  constructor(
    protected readonly input: Readable,
    protected readonly output: Writable,
    opts: StreamTransportOptions = {},
  ) {
    const max = opts.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
    this.splitter = new LineSplitter(max, {
      line: (text) => this.inbound.message(text),
      oversized: (bytes) =>
        this.inbound.error(
          new KitError(KIT_ERROR_CODES.FRAME_TOO_LARGE, `line of ${bytes} bytes exceeds the ${max}-byte cap`, {
            details: { bytes, maxFrameBytes: max },
          }),
        ),
    });
    input.on('data', this.onData);
    input.once('end', this.onEnd);
    input.on('error', (err) => this.fail('input', err));
    output.on('error', (err) => this.fail('output', err));
  }

  get isOpen(): boolean {
    return this.open;
  }

  get bufferedAmount(): number {
    return this.output.writableLength;
  }

  start(handlers: TransportHandlers): void {
    this.inbound.start(handlers);
  }

  pauseInbound(paused: boolean): void {
    if (!this.open) return;
    if (paused) this.input.pause();
    else this.input.resume();
  }

  send(frame: string): void {
    if (!this.open || !this.output.writable) {
      throw new KitError(KIT_ERROR_CODES.TRANSPORT_CLOSED, 'stdio transport is closed');
    }
    // A newline inside a frame would split it. In JSON text a raw CR/LF can only be
    // insignificant whitespace (inside strings they are escaped), so a space is equivalent.
    const line = frame.includes('\n') || frame.includes('\r') ? frame.replace(/[\r\n]/g, ' ') : frame;
    // write() buffers when it returns false; the stream keeps every frame (see bufferedAmount).
    this.output.write(line + '\n');
  }

  abstract close(reason?: string): Promise<void>;

  /** The input stream ended (peer closed its side). */
  protected abstract inputEnded(): void;

  /** Delivers the close exactly once and releases the input stream. */
  protected finish(info: CloseInfo): void {
    if (this.finished) return;
    this.finished = true;
    this.open = false;
    this.input.off('data', this.onData);
    this.input.off('end', this.onEnd);
    this.inbound.close(info);
    this.resolveClosed();
  }

  protected fail(side: 'input' | 'output', err: Error): void {
    const error = new KitError(KIT_ERROR_CODES.TRANSPORT_ERROR, `stdio ${side} failed: ${err.message}`, { cause: err });
    this.onFailure(error);
  }

  protected onFailure(error: KitError): void {
    this.finish({ reason: error.message, error });
  }
}
