// stdio transports (spec §4: mandatory for in-process children; catalog §1.4 NDJSON framing).
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { KitError, KIT_ERROR_CODES } from '../errors/kit-error.js';
import { NdjsonStreamTransport, type StreamTransportOptions } from './stream-transport.js';

export interface ServeStdioOptions extends StreamTransportOptions {
  input?: Readable;
  output?: Writable;
}

/**
 * Serve on this process's stdin/stdout (or the given streams). Nothing else may write to the
 * output stream: log to stderr instead. Input EOF closes the transport.
 */
export function serveStdioTransport(opts: ServeStdioOptions = {}): StdioServeTransport {
  return new StdioServeTransport(opts.input ?? process.stdin, opts.output ?? process.stdout, opts);
}

export class StdioServeTransport extends NdjsonStreamTransport {
  close(reason?: string): Promise<void> {
    if (this.open) {
      this.open = false;
      // process.stdout must never be ended (it is shared with the process); other streams are.
      if (this.output !== process.stdout && this.output !== process.stderr) this.output.end();
      if (this.input === process.stdin) this.input.pause();
      this.finish(reason === undefined ? {} : { reason });
    }
    return this.closed;
  }

  protected inputEnded(): void {
    this.finish({ reason: 'input ended' });
  }
}

export type StderrMode = 'inherit' | 'capture' | 'ignore';

export interface SpawnStdioOptions extends StreamTransportOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Child stderr: passed through (default), captured into `stderrText`, or discarded. */
  stderr?: StderrMode;
  /** After close() ends the child's stdin, wait this long before SIGTERM (then SIGKILL). Default 2000 ms. */
  killAfterMs?: number;
}

// Keep only the tail of captured stderr so a chatty child cannot grow memory without bound.
const STDERR_CAPTURE_BYTES = 64 * 1024;

/** Spawn a child that speaks NDJSON on its stdin/stdout; its exit closes the transport. */
export function spawnStdioTransport(command: string, args: readonly string[] = [], opts: SpawnStdioOptions = {}): StdioChildTransport {
  const stderr = opts.stderr ?? 'inherit';
  const spawnOpts: SpawnOptions = {
    cwd: opts.cwd,
    env: opts.env,
    stdio: ['pipe', 'pipe', stderr === 'capture' ? 'pipe' : stderr],
  };
  const child = spawn(command, [...args], spawnOpts);
  return new StdioChildTransport(child, command, opts);
}

export class StdioChildTransport extends NdjsonStreamTransport {
  readonly child: ChildProcess;
  private stderrChunks = '';
  private lastFailure: KitError | undefined;
  private readonly killAfterMs: number;

  constructor(child: ChildProcess, command: string, opts: SpawnStdioOptions) {
    super(child.stdout!, child.stdin!, opts);
    this.child = child;
    this.killAfterMs = opts.killAfterMs ?? 2000;
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (text: string) => {
      this.stderrChunks = (this.stderrChunks + text).slice(-STDERR_CAPTURE_BYTES);
    });
    child.once('error', (err) => {
      // Spawn failure (ENOENT, EACCES) or a failed kill: the child is unusable.
      const error = new KitError(KIT_ERROR_CODES.CONNECT_FAILED, `child process ${command} failed: ${err.message}`, {
        cause: err,
        details: { command },
      });
      this.finish({ reason: error.message, error });
    });
    // 'close' fires after the child exited *and* its stdout ended, so every frame is delivered first.
    child.once('close', (code, signal) => {
      this.finish({
        ...(code === null ? {} : { code }),
        reason: signal ? `child exited on ${signal}` : `child exited with code ${code}`,
        ...(this.lastFailure ? { error: this.lastFailure } : {}),
      });
    });
  }

  /** Captured stderr (only with `stderr: 'capture'`), last 64 KiB. */
  get stderrText(): string {
    return this.stderrChunks;
  }

  close(_reason?: string): Promise<void> {
    if (this.open) {
      this.open = false;
      // Closing stdin is the polite "please exit" for an NDJSON child; escalate if ignored.
      this.output.end();
      const term = setTimeout(() => this.child.kill('SIGTERM'), this.killAfterMs);
      const kill = setTimeout(() => this.child.kill('SIGKILL'), 2 * this.killAfterMs);
      term.unref();
      kill.unref();
      void this.closed.then(() => {
        clearTimeout(term);
        clearTimeout(kill);
      });
    }
    return this.closed;
  }

  protected inputEnded(): void {
    // Wait for the child's 'close' event, which carries the exit code.
  }

  protected override onFailure(error: KitError): void {
    // EPIPE on stdin etc.: the child is going away; its 'close' event will finish the transport.
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGTERM');
    this.lastFailure = error;
  }
}
