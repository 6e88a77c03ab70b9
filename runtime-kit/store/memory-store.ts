// RuntimeStore in this process's memory: every write is "durable" at once (afterDurable returns
// false), nothing survives the process. For embedding and tests: two runtimes built one after
// the other on the same MemoryRuntimeStore restore from it exactly as from a file.
import { selectAudit } from '../runtime/audit/audit-query.js';
import { AuditRetention, trimmablePrefix, type AuditRetentionSetting, type AuditTrim } from './audit-retention.js';
import type {
  AuditRecord,
  ResolvedAuditQuery,
  RevocationChange,
  EventPosition,
  IdempotencyKeyRecord,
  JobHistoryRecord,
  JobRecord,
  RevocationRecord,
  RuntimeStore,
  SessionRecord,
  StoredEvent,
} from './runtime-store.js';

interface SessionLog {
  events: StoredEvent[];
  position: EventPosition;
}

export interface MemoryStoreOptions {
  /** Audit log bounds (audit-retention.ts; default 30 days, 1,000,000 records). */
  auditRetention?: AuditRetentionSetting;
}

export class MemoryRuntimeStore implements RuntimeStore {
  readonly kind = 'memory';
  /** Nothing survives the process: no revocation ledger is kept here (§14). */
  readonly durable = false;
  private readonly sessions = new Map<string, SessionRecord>();
  private readonly logs = new Map<string, SessionLog>();
  private readonly jobs = new Map<string, JobRecord>();
  private readonly history = new Map<string, JobHistoryRecord[]>();
  private readonly keys = new Map<string, IdempotencyKeyRecord>();
  private readonly revocations = new Map<string, RevocationRecord>();
  /** The audit log is `audit[auditHead..]`: trims move the head, compacting once half is dead. */
  private audit: AuditRecord[] = [];
  private auditHead = 0;
  readonly auditRetention: AuditRetention;

  constructor(opts: MemoryStoreOptions = {}) {
    this.auditRetention = new AuditRetention(opts.auditRetention, (t) => this.trimAudit(t), (err) => process.stderr.write(`arcp store (memory): audit trim failed: ${String(err)}\n`));
  }

  saveSession(record: SessionRecord): void {
    this.sessions.set(record.session_id, clone(record));
  }

  appendEvent(sessionId: string, event: StoredEvent): void {
    this.log(sessionId).events.push({ ...event });
  }

  freeEvents(sessionId: string, position: EventPosition): void {
    const log = this.log(sessionId);
    log.position = { ...position };
    log.events = log.events.filter((e) => e.seq > position.freed_through);
  }

  deleteSession(sessionId: string): void {
    this.sessions.delete(sessionId);
    this.logs.delete(sessionId);
  }

  saveJob(record: JobRecord): void {
    this.jobs.set(record.job_id, clone(record));
  }

  appendJobHistory(jobId: string, entry: JobHistoryRecord): void {
    const list = this.history.get(jobId) ?? [];
    list.push(clone(entry));
    this.history.set(jobId, list);
  }

  replaceJobHistory(jobId: string, original: JobHistoryRecord, replacement: JobHistoryRecord): void {
    const list = this.history.get(jobId);
    if (!list) return;
    for (let i = 0; i < list.length; i++) if (list[i]!.seq === original.seq) list[i] = clone(replacement);
  }

  deleteJob(jobId: string): void {
    this.jobs.delete(jobId);
    this.history.delete(jobId);
  }

  saveIdempotencyKey(record: IdempotencyKeyRecord): void {
    this.keys.set(keyOf(record.principal, record.key), clone(record));
  }

  deleteIdempotencyKey(principal: string, key: string): void {
    this.keys.delete(keyOf(principal, key));
  }

  saveRevocation(record: RevocationRecord): void {
    this.revocations.set(record.id, { ...record });
  }

  deleteRevocation(id: string): void {
    this.revocations.delete(id);
  }

  async commitRevocations(change: RevocationChange): Promise<void> {
    for (const r of change.save) this.revocations.set(r.id, { ...r });
    for (const id of change.remove) this.revocations.delete(id);
  }

  appendAudit(record: AuditRecord): void {
    this.audit.push({ ...record });
    this.auditRetention.noteAppend();
    this.auditRetention.start(); // at the first record: a store that never audits keeps no timer
  }

  trimAudit(trim: AuditTrim): number {
    const live = this.audit.length - this.auditHead;
    const stamps = (function* (records: Iterable<AuditRecord>) {
      for (const r of records) yield r.ts;
    })(this.liveAudit());
    const n = trimmablePrefix(stamps, live, trim);
    this.auditHead += n;
    if (this.auditHead > 1024 && this.auditHead * 2 > this.audit.length) {
      this.audit = this.audit.slice(this.auditHead);
      this.auditHead = 0;
    }
    return n;
  }

  afterDurable(): boolean {
    return false;
  }

  async flush(): Promise<void> {}

  async loadSessions(): Promise<SessionRecord[]> {
    return [...this.sessions.values()].map(clone);
  }

  async loadSession(sessionId: string): Promise<SessionRecord | undefined> {
    const r = this.sessions.get(sessionId);
    return r && clone(r);
  }

  async loadEvents(sessionId: string, afterSeq = 0): Promise<{ events: StoredEvent[]; position: EventPosition }> {
    const log = this.logs.get(sessionId);
    if (!log) return { events: [], position: { freed_through: 0, acked_through: 0 } };
    return { events: log.events.filter((e) => e.seq > afterSeq).map((e) => ({ ...e })), position: { ...log.position } };
  }

  async loadJobs(): Promise<JobRecord[]> {
    return [...this.jobs.values()].map(clone);
  }

  async loadJob(jobId: string): Promise<JobRecord | undefined> {
    const r = this.jobs.get(jobId);
    return r && clone(r);
  }

  async loadJobHistory(jobId: string, afterSeq = 0): Promise<JobHistoryRecord[]> {
    return (this.history.get(jobId) ?? []).filter((e) => e.seq > afterSeq).map(clone);
  }

  async loadIdempotencyKeys(): Promise<IdempotencyKeyRecord[]> {
    return [...this.keys.values()].map(clone);
  }

  async loadIdempotencyKey(principal: string, key: string): Promise<IdempotencyKeyRecord | undefined> {
    const r = this.keys.get(keyOf(principal, key));
    return r && clone(r);
  }

  async loadRevocations(): Promise<RevocationRecord[]> {
    return [...this.revocations.values()].map((r) => ({ ...r }));
  }

  async loadAudit(): Promise<AuditRecord[]> {
    return this.audit.slice(this.auditHead).map((r) => ({ ...r }));
  }

  async readAudit(query: ResolvedAuditQuery): Promise<AuditRecord[]> {
    return selectAudit(this.liveAudit(), query).map((r) => ({ ...r }));
  }

  async close(): Promise<void> {
    this.auditRetention.stop();
  }

  private *liveAudit(): Generator<AuditRecord> {
    for (let i = this.auditHead; i < this.audit.length; i++) yield this.audit[i]!;
  }

  private log(sessionId: string): SessionLog {
    let log = this.logs.get(sessionId);
    if (!log) {
      log = { events: [], position: { freed_through: 0, acked_through: 0 } };
      this.logs.set(sessionId, log);
    }
    return log;
  }
}

/** Records are copied in and out, as a real engine would, so callers cannot alias them. */
function clone<T>(value: T): T {
  return structuredClone(value);
}

function keyOf(principal: string, key: string): string {
  return `${principal.length}:${principal}\0${key}`;
}
