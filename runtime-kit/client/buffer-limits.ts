/**
 * What one job handle may hold of what the runtime sends it, resolved once from the client
 * options. The runtime alone decides how much it sends, so each bound exists to keep one hostile
 * (or merely fast) runtime from running the embedding process out of memory (issue 13).
 */
import type { ARCPClientOptions } from './types.js';

/** Unread events buffered on one handle (about 3 MB of typical events). */
export const DEFAULT_MAX_BUFFERED_EVENTS_PER_JOB = 10_000;
/** Frame characters of the unread events buffered on one handle: 32 x the default maxFrameBytes. */
export const DEFAULT_MAX_BUFFERED_EVENT_BYTES_PER_JOB = 32 * 1024 * 1024;
/** Result-chunk data held for one job's streamed results (the spec's example result is 30 MB). */
export const DEFAULT_MAX_RESULT_BYTES = 256 * 1024 * 1024;

export interface HandleLimits {
  maxBufferedEvents: number;
  maxBufferedEventBytes: number;
  maxResultBytes: number;
}

export function handleLimitsFrom(opts: Pick<ARCPClientOptions, 'maxBufferedEventsPerJob' | 'maxBufferedEventBytesPerJob' | 'maxResultBytes'>): HandleLimits {
  return {
    maxBufferedEvents: positive(opts.maxBufferedEventsPerJob, DEFAULT_MAX_BUFFERED_EVENTS_PER_JOB),
    maxBufferedEventBytes: positive(opts.maxBufferedEventBytesPerJob, DEFAULT_MAX_BUFFERED_EVENT_BYTES_PER_JOB),
    maxResultBytes: positive(opts.maxResultBytes, DEFAULT_MAX_RESULT_BYTES),
  };
}

/** NaN or a non-number would compare false against every size and disable the bound: use the default. */
function positive(value: number | undefined, fallback: number): number {
  if (typeof value !== 'number' || Number.isNaN(value)) return fallback;
  return Math.max(1, Math.floor(value));
}
