// Per-job history for subscribers (§7.6 `history: true`). Kept apart from the owner session's
// resume buffer on purpose: acks free the owner's buffer (§6.5), and a watcher that subscribes
// after the owner acknowledged events must still get the job's events from the first one (issue
// 9). Behind a small interface so a durable store can hold it instead of memory.
//
// Bounds of the memory implementation (documented in runtime-kit/runtime/README.md):
//   - per job: the newest `maxEventsPerJob` (default 10,000) sequenced envelopes and at most
//     `maxBytesPerJob` (default 16 MiB, approximate: see `approxBytes`); older ones are dropped
//     first, so a subscriber then gets the newest part of the history (still gap-free in its own
//     seq space);
//   - across jobs: `maxBytesTotal` (default 64 MiB); over it, the oldest jobs' histories go first;
//   - a job's history is dropped with the job (terminal jobs are retained 1 h, job-registry.ts).
import type { Job, JobSink, SequencedType } from '../job.js';

export interface JobHistoryEntry {
  /** Seq in the OWNER session's space (the space of `from_event_seq`, catalog §10 #29). */
  readonly seq: number;
  readonly type: SequencedType;
  readonly traceId: string | undefined;
  readonly payload: unknown;
}

export interface JobHistory {
  record(jobId: string, entry: JobHistoryEntry): void;
  /** Entries with seq > `fromSeq`, oldest first. */
  after(jobId: string, fromSeq: number): readonly JobHistoryEntry[];
  forget(jobId: string): void;
}

export interface MemoryJobHistoryOptions {
  maxEventsPerJob?: number;
  maxBytesPerJob?: number;
  maxBytesTotal?: number;
}

interface Ring {
  entries: JobHistoryEntry[];
  sizes: number[];
  head: number;
  bytes: number;
}

/** Fixed overhead charged per entry (envelope keys, ids, timestamps). */
const ENTRY_OVERHEAD = 256;

/**
 * Cheap size estimate without serialising on the hot path: the overhead plus the length of the
 * body's large string fields (result_chunk `data`, log `message`, thought `text`).
 */
function approxBytes(payload: unknown): number {
  const body = (payload as { body?: Record<string, unknown> } | null)?.body;
  if (typeof body !== 'object' || body === null) return ENTRY_OVERHEAD;
  let n = ENTRY_OVERHEAD;
  for (const k of ['data', 'message', 'text']) {
    const v = body[k];
    if (typeof v === 'string') n += v.length;
  }
  return n;
}

export class MemoryJobHistory implements JobHistory {
  private readonly jobs = new Map<string, Ring>();
  private readonly maxEvents: number;
  private readonly maxJobBytes: number;
  private readonly maxTotalBytes: number;
  private totalBytes = 0;

  constructor(opts: MemoryJobHistoryOptions = {}) {
    this.maxEvents = opts.maxEventsPerJob ?? 10_000;
    this.maxJobBytes = opts.maxBytesPerJob ?? 16 * 1024 * 1024;
    this.maxTotalBytes = opts.maxBytesTotal ?? 64 * 1024 * 1024;
  }

  record(jobId: string, entry: JobHistoryEntry): void {
    let ring = this.jobs.get(jobId);
    if (!ring) {
      ring = { entries: [], sizes: [], head: 0, bytes: 0 };
      this.jobs.set(jobId, ring);
    }
    const size = approxBytes(entry.payload);
    ring.entries.push(entry);
    ring.sizes.push(size);
    ring.bytes += size;
    this.totalBytes += size;
    while (ring.entries.length - ring.head > this.maxEvents || (ring.bytes > this.maxJobBytes && ring.entries.length - ring.head > 1)) this.dropOldest(ring);
    this.compact(ring);
    if (this.totalBytes > this.maxTotalBytes) this.evictAcrossJobs(jobId);
  }

  after(jobId: string, fromSeq: number): readonly JobHistoryEntry[] {
    const ring = this.jobs.get(jobId);
    if (!ring) return [];
    const out: JobHistoryEntry[] = [];
    for (let i = ring.head; i < ring.entries.length; i++) if (ring.entries[i]!.seq > fromSeq) out.push(ring.entries[i]!);
    return out;
  }

  forget(jobId: string): void {
    const ring = this.jobs.get(jobId);
    if (!ring) return;
    this.totalBytes -= ring.bytes;
    this.jobs.delete(jobId);
  }

  /** Bytes held (approximate), for tests and metrics. */
  get bytes(): number {
    return this.totalBytes;
  }

  private dropOldest(ring: Ring): void {
    const size = ring.sizes[ring.head]!;
    ring.bytes -= size;
    this.totalBytes -= size;
    ring.head++;
  }

  // Amortised O(1): compact once the dropped prefix is at least half the array.
  private compact(ring: Ring): void {
    if (ring.head < 1024 || ring.head * 2 < ring.entries.length) return;
    ring.entries = ring.entries.slice(ring.head);
    ring.sizes = ring.sizes.slice(ring.head);
    ring.head = 0;
  }

  // Oldest jobs first (Map order is creation order); the job being recorded goes last.
  private evictAcrossJobs(current: string): void {
    for (const id of [...this.jobs.keys()]) {
      if (this.totalBytes <= this.maxTotalBytes) return;
      if (id !== current) this.forget(id);
    }
    const ring = this.jobs.get(current);
    while (ring && this.totalBytes > this.maxTotalBytes && ring.entries.length - ring.head > 1) this.dropOldest(ring);
    if (ring) this.compact(ring);
  }
}

/**
 * Records a job's sequenced output as it is emitted (a JobSink, so it sees exactly what the
 * owner's stream carries). The owner seq is read from `job.lastEventSeq`, which Job.emit sets
 * before sinks run; an emit that got no seq (owner session gone) is not recorded.
 */
export class JobHistorySink implements JobSink {
  private lastSeq = 0;

  constructor(private readonly history: JobHistory) {}

  deliver(type: SequencedType, payload: unknown, job: Job): void {
    const seq = job.lastEventSeq;
    if (seq <= this.lastSeq) return;
    this.lastSeq = seq;
    this.history.record(job.jobId, { seq, type, traceId: job.traceId, payload });
  }
}
