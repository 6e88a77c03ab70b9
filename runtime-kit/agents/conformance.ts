// The conformance agents of design/conformance-agents.md that belong to sessions/jobs/streams:
// echo, chatty, slow, streamer, failer, versioned (tools/spender/model/delegator come with the
// authority wiring; the optional rotator asks for credential rotation). Inputs are JSON objects;
// unknown keys are ignored; bad inputs fail the job with INVALID_REQUEST so the harness sees a
// typed error, never a crash.
import { arcpError, isErrorCode } from '../errors/index.js';
import { sleep, systemClock, type Clock } from '../protocol/index.js';
import type { AgentHandler } from '../runtime/job-context.js';
import type { ARCPRuntime } from '../runtime/runtime.js';
import { registerAuthorityConformanceAgents } from './conformance-authority.js';
import { rotator } from './conformance-rotator.js';

type Input = Record<string, unknown>;

function obj(input: unknown): Input {
  return typeof input === 'object' && input !== null && !Array.isArray(input) ? (input as Input) : {};
}

function count(input: Input, key: string, agent: string, max = 10_000_000): number {
  const v = input[key];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > max) {
    throw arcpError('INVALID_REQUEST', `${agent}: input.${key} must be an integer in [0, ${max}]`, { details: { field: key } });
  }
  return v;
}

/** `conformance.echo`: the input, inline. */
export const echo: AgentHandler = (input) => input;

/**
 * `conformance.chatty {n, message?}`: n info logs "<message or event> <i>"; result {count: n}.
 * Each emit is awaited (the fair share, docs/limits.md): n may be 10 million, and a loop that
 * never yields froze every other session of `arcp serve --conformance-agents` (300k: 12.5 s).
 */
export const chatty: AgentHandler = async (input, ctx) => {
  const i = obj(input);
  const n = count(i, 'n', 'conformance.chatty');
  const message = typeof i.message === 'string' && i.message !== '' ? i.message : 'event';
  for (let k = 1; k <= n; k++) {
    await ctx.log('info', `${message} ${k}`);
    ctx.signal.throwIfAborted(); // a cancelled job stops emitting
  }
  return { count: n };
};

/** `conformance.slow {steps, interval_ms}`: wait, then progress i/steps; stops promptly on cancel. */
export function slow(clock: Clock = systemClock): AgentHandler {
  return async (input, ctx) => {
    const i = obj(input);
    const steps = count(i, 'steps', 'conformance.slow');
    const interval = count(i, 'interval_ms', 'conformance.slow', 3_600_000);
    for (let k = 1; k <= steps; k++) {
      await sleep(clock, interval, ctx.signal); // rejects with the abort reason on cancel
      ctx.progress(k, { total: steps });
    }
    return { steps };
  };
}

/**
 * `conformance.streamer {chunks, chunk_size, encoding}`: chunks x chunk_size bytes as
 * result_chunk events; byte k is "a" + (k mod 26) for utf8, k mod 256 for base64. It waits
 * for the reader after each chunk (ctx.drain): written in one go, 300 chunks of 1 MiB froze the
 * runtime 3.5 s and cut off a client that was reading as fast as it could (4508).
 */
export const streamer: AgentHandler = async (input, ctx) => {
  const i = obj(input);
  const chunks = count(i, 'chunks', 'conformance.streamer', 1_000_000);
  const size = count(i, 'chunk_size', 'conformance.streamer', 64 * 1024 * 1024);
  const encoding = i.encoding ?? 'utf8';
  if (encoding !== 'utf8' && encoding !== 'base64') {
    throw arcpError('INVALID_REQUEST', 'conformance.streamer: encoding must be "utf8" or "base64"', { details: { field: 'encoding' } });
  }
  const stream = ctx.resultStream();
  for (let c = 0; c < chunks; c++) {
    // Before each chunk, not after: the last write and end() stay in one synchronous run, as a
    // real producer's often are (a final chunk that overtakes held-back ones shows there).
    if (c > 0) {
      await ctx.drain();
      ctx.signal.throwIfAborted();
    }
    const base = c * size;
    if (encoding === 'utf8') {
      stream.write(alphabetRun(base % 26, size));
    } else {
      const bytes = new Uint8Array(size);
      for (let k = 0; k < size; k++) bytes[k] = (base + k) % 256;
      stream.write(bytes);
    }
  }
  stream.end({ summary: `${chunks} chunks of ${size} bytes` });
};

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz';

/**
 * `size` letters of the repeating alphabet from offset `start`, as one flat string: appending a
 * character at a time builds a rope of one node per character (~30x the text in heap), so a
 * single 16 MiB chunk request ran a 192 MiB heap out of memory.
 */
function alphabetRun(start: number, size: number): string {
  return ALPHABET.repeat(Math.ceil((start + size) / 26)).slice(start, start + size);
}

/** `conformance.failer {code, message, retryable?}`: ends in job.error with that code and message. */
export const failer: AgentHandler = (input) => {
  const i = obj(input);
  const code = i.code;
  const message = typeof i.message === 'string' && i.message !== '' ? i.message : 'conformance.failer';
  if (!isErrorCode(code)) {
    throw arcpError('INVALID_REQUEST', 'conformance.failer: input.code must be one of the 15 ARCP error codes', { details: { field: 'code' } });
  }
  throw arcpError(code, message, typeof i.retryable === 'boolean' ? { retryable: i.retryable } : {});
};

/**
 * `conformance.versioned@<v> {delay_ms?}`: `{version}`. The optional `delay_ms` (a later addition
 * to the contract) keeps the job running that long first, so the harness can watch a pinned
 * version stay fixed while the job runs (§7.5: no migration).
 */
export function versioned(version: string, clock: Clock = systemClock): AgentHandler {
  return async (input, ctx) => {
    const i = obj(input);
    if (i.delay_ms !== undefined) await sleep(clock, count(i, 'delay_ms', 'conformance.versioned', 3_600_000), ctx.signal);
    return { version };
  };
}

export const CONFORMANCE_VERSIONS = ['1.0.0', '2.0.0'] as const;
export const CONFORMANCE_DEFAULT_VERSION = '2.0.0';

/** Registers the session/job/stream conformance agents on a runtime. */
export function registerConformanceAgents(runtime: ARCPRuntime, opts: { clock?: Clock } = {}): ARCPRuntime {
  runtime.registerAgent('conformance.echo', echo);
  runtime.registerAgent('conformance.chatty', chatty);
  runtime.registerAgent('conformance.slow', slow(opts.clock ?? runtime.timers));
  runtime.registerAgent('conformance.streamer', streamer);
  runtime.registerAgent('conformance.failer', failer);
  registerAuthorityConformanceAgents(runtime, opts); // tools, spender, model, delegator
  runtime.registerAgent('conformance.rotator', rotator(runtime)); // optional: credential rotation (§9.8.2)
  for (const v of CONFORMANCE_VERSIONS) {
    runtime.registerAgent('conformance.versioned', versioned(v, opts.clock ?? runtime.timers), { version: v, default: v === CONFORMANCE_DEFAULT_VERSION });
  }
  return runtime;
}
