// §14 "Cross-session subscription audit": every job.subscribe decision is recorded with the
// subscriber principal, the target job, the target principal and the policy decision. The sink
// is pluggable; the default keeps records in memory, `{ file }` appends JSON lines. Records
// never carry credential values.
import { appendFile } from 'node:fs/promises';

export interface AuditRecord {
  /** ISO-8601 UTC. */
  ts: string;
  event: 'job.subscribe';
  subscriber_principal: string;
  subscriber_session_id: string;
  job_id: string;
  /** Absent when the job is unknown. */
  target_principal?: string;
  decision: 'allowed' | 'denied' | 'not_found';
  reason: string;
}

export interface AuditSink {
  write(record: AuditRecord): void;
}

/** Default sink: an in-memory list (bounded, oldest dropped first). */
export class MemoryAuditSink implements AuditSink {
  readonly records: AuditRecord[] = [];

  constructor(private readonly max = 10_000) {}

  write(record: AuditRecord): void {
    this.records.push({ ...record });
    if (this.records.length > this.max) this.records.shift();
  }
}

/**
 * Appends one JSON object per line. Writes are serialised so lines never interleave; a failed
 * write is reported to `onError` (the subscribe decision itself is not undone).
 */
export class JsonLinesAuditSink implements AuditSink {
  private chain: Promise<void> = Promise.resolve();

  constructor(
    readonly path: string,
    private readonly onError: (err: unknown) => void = () => {},
  ) {}

  write(record: AuditRecord): void {
    const line = `${JSON.stringify(record)}\n`;
    this.chain = this.chain.then(() => appendFile(this.path, line, { encoding: 'utf8', mode: 0o600 })).catch(this.onError);
  }

  /** Resolves once every record written so far is on disk (tests, shutdown). */
  flush(): Promise<void> {
    return this.chain;
  }
}

/** Builds the configured sink (default: in-memory). */
export function createAuditSink(opt: AuditSink | { file: string } | undefined, onError?: (err: unknown) => void): AuditSink {
  if (opt === undefined) return new MemoryAuditSink();
  if ('write' in opt && typeof opt.write === 'function') return opt;
  return new JsonLinesAuditSink((opt as { file: string }).file, onError);
}
