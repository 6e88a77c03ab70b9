// Streamed results (§8.4): one result_id per job, chunk_seq 0.. in order, `more:false` on the
// last chunk, never mixed with an inline result. One chunk is held back so the final chunk can
// carry `more:false` without an extra empty chunk. Caps (§14): per decoded chunk and per result;
// exceeding either fails the job with INTERNAL_ERROR.
import type { ResultChunkBody } from '../../generated/index.js';
import { arcpError, type ARCPError } from '../errors/index.js';

export interface ResultStream {
  readonly resultId: string;
  /** Text goes out as `utf8`, bytes as `base64`. */
  write(data: string | Uint8Array): void;
  end(opts?: { summary?: string }): void;
}

export interface ResultStreamLimits {
  maxChunkBytes: number;
  maxTotalBytes: number;
}

export interface ResultStreamSink {
  chunk(body: ResultChunkBody): void;
  /** A cap was exceeded: the job must end with this error. */
  fail(error: ARCPError): void;
}

export class ResultStreamWriter implements ResultStream {
  private held: { data: string; encoding: 'utf8' | 'base64' } | undefined;
  private nextChunkSeq = 0;
  private totalBytes = 0;
  private endedFlag = false;
  private failed = false;
  summary: string | undefined;

  constructor(
    readonly resultId: string,
    private readonly limits: ResultStreamLimits,
    private readonly sink: ResultStreamSink,
  ) {}

  get ended(): boolean {
    return this.endedFlag;
  }

  /** Decoded bytes streamed so far (`job.result.result_size`). */
  get size(): number {
    return this.totalBytes;
  }

  write(data: string | Uint8Array): void {
    if (this.endedFlag) throw arcpError('INVALID_REQUEST', `result ${this.resultId} was already ended`);
    if (this.failed) throw arcpError('INTERNAL_ERROR', `result ${this.resultId} exceeded its caps`, { retryable: true });
    const text = typeof data === 'string';
    const bytes = text ? Buffer.byteLength(data, 'utf8') : data.byteLength;
    if (bytes > this.limits.maxChunkBytes) {
      return this.overflow(`result chunk of ${bytes} bytes exceeds the ${this.limits.maxChunkBytes}-byte chunk cap`);
    }
    if (this.totalBytes + bytes > this.limits.maxTotalBytes) {
      return this.overflow(`streamed result exceeds the ${this.limits.maxTotalBytes}-byte total cap`);
    }
    this.totalBytes += bytes;
    this.flush(true);
    this.held = text ? { data, encoding: 'utf8' } : { data: Buffer.from(data).toString('base64'), encoding: 'base64' };
  }

  end(opts: { summary?: string } = {}): void {
    if (this.endedFlag || this.failed) return;
    this.endedFlag = true;
    if (opts.summary !== undefined) this.summary = opts.summary;
    // An empty final chunk only when nothing was written (the assembled result is then "").
    if (!this.held) this.held = { data: '', encoding: 'utf8' };
    this.flush(false);
  }

  private flush(more: boolean): void {
    if (!this.held) return;
    const { data, encoding } = this.held;
    this.held = undefined;
    this.sink.chunk({ result_id: this.resultId, chunk_seq: this.nextChunkSeq++, data, encoding, more });
  }

  private overflow(message: string): never {
    this.failed = true;
    this.held = undefined;
    const error = arcpError('INTERNAL_ERROR', message, { retryable: true, details: { result_id: this.resultId } });
    this.sink.fail(error);
    throw error;
  }
}
