// RuntimeStore on Redis (ioredis), shared by every runtime node of a cluster (issue 12):
//   arcp:s:{id}        hash  record, freed_through, acked_through      TTL sessionTtlMs
//   arcp:e:{id}        stream of the session's events, entry id 0-{seq} TTL sessionTtlMs
//   arcp:j:{id}        string job record (JSON)                        TTL jobTtlMs (running: runningJobTtlMs)
//   arcp:h:{id}        list of the job's history entries (JSON)        same TTL as the job
//   arcp:jobs          zset job ids by created_at (listing; stale ids are skipped and pruned)
//   arcp:k:{p}:{key}   string idempotency record                       TTL keyTtlMs from created_at
//   arcp:revocations   hash credential id -> record (no TTL: §14 revocation must not be forgotten)
//   arcp:audit         list of audit records
//   arcp:alive:{node}  string the node's token                         TTL livenessTtlMs, beat every third
//   arcp:epoch:{node}  string token of the process that joined as the node last (no TTL)
//   arcp:dead:{node}   string set by the node that declared it dead    removed when a process joins as it
// Each tick's writes go out as one Lua script (write-behind.ts, redis-fence.ts) that applies
// them only while this process is not fenced (not declared dead, not replaced), atomically on
// the server; sends wait for its reply. A fenced process writes and sends nothing more.
// Durability is the server's: run redis with appendonly yes (appendfsync everysec or always)
// when the data must survive a Redis restart. The scripts touch keys they do not declare, so
// this store needs a standalone Redis (or one hash slot), not Redis Cluster.
// Node messaging (ClusterBus) uses pub/sub on a second connection, published through the same
// guard.
import { Redis } from 'ioredis';
import { selectAudit } from '../runtime/audit/audit-query.js';
import type {
  AuditRecord,
  ResolvedAuditQuery,
  RevocationChange,
  ClusterBus,
  ClusterMessage,
  EventPosition,
  IdempotencyKeyRecord,
  JobHistoryRecord,
  JobRecord,
  RevocationRecord,
  RuntimeStore,
  SessionRecord,
  StoredEvent,
} from './runtime-store.js';
import { WriteBehind } from './write-behind.js';
import { CommandBatch, isFencedReply, NodeFence } from './redis-fence.js';
import { randomBytes } from 'node:crypto';

export interface RedisStoreOptions {
  /** This node's id in the cluster (default: random). */
  nodeId?: string;
  /** Key prefix (default `arcp:`), so several clusters can share one server. */
  prefix?: string;
  sessionTtlMs?: number;
  jobTtlMs?: number;
  runningJobTtlMs?: number;
  keyTtlMs?: number;
  /** Liveness key TTL; refreshed every third of it. Default 3000 ms. */
  livenessTtlMs?: number;
  onError?: (err: unknown) => void;
}

const TERMINAL = new Set(['success', 'error', 'cancelled', 'timed_out']);

export class RedisRuntimeStore implements RuntimeStore {
  readonly kind = 'redis';
  /** As durable as the server is configured to be (appendonly, see above). */
  readonly durable = true;
  readonly bus: RedisBus;
  private readonly p: string;
  private readonly queue: WriteBehind<(m: CommandBatch) => void>;
  private readonly sessionTtl: number;
  private readonly jobTtl: number;
  private readonly runningJobTtl: number;
  private readonly keyTtl: number;
  private closed = false;
  private readonly touched = new Set<string>();

  private constructor(
    readonly redis: Redis,
    sub: Redis,
    opts: RedisStoreOptions,
  ) {
    this.p = opts.prefix ?? 'arcp:';
    this.sessionTtl = opts.sessionTtlMs ?? 60 * 60 * 1000;
    this.jobTtl = opts.jobTtlMs ?? 2 * 60 * 60 * 1000;
    this.runningJobTtl = opts.runningJobTtlMs ?? 7 * 24 * 60 * 60 * 1000;
    this.keyTtl = opts.keyTtlMs ?? 24 * 60 * 60 * 1000;
    const onError = opts.onError ?? ((err: unknown) => process.stderr.write(`arcp store (redis): ${String(err)}\n`));
    this.queue = new WriteBehind<(m: CommandBatch) => void>(async (ops) => {
      this.touched.clear();
      if (this.closed) return; // the runtime outlived its store (jobs still running at shutdown)
      const m = new CommandBatch();
      for (const op of ops) op(m);
      await this.guarded(m);
    }, onError);
    const nodeId = opts.nodeId ?? `node_${randomBytes(6).toString('hex')}`;
    const fence = new NodeFence(redis, this.p, nodeId, randomBytes(12).toString('hex'));
    this.bus = new RedisBus(redis, sub, nodeId, this.p, opts.livenessTtlMs ?? 3000, fence, onError);
    this.bus.onFenced(() => this.queue.halt());
  }

  /** Applies a batch through the node's fence; a refusal fences the node (bus) and drops the batch. */
  private async guarded(m: CommandBatch): Promise<void> {
    try {
      await this.bus.fence.apply(m);
    } catch (err) {
      if (!isFencedReply(err)) throw err;
      this.bus.fenceNow('a write was refused');
    }
  }

  /** Connects both connections (commands, pub/sub) and starts the liveness beat. */
  static async connect(url: string, opts: RedisStoreOptions = {}): Promise<RedisRuntimeStore> {
    const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 3 });
    const sub = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 3 });
    await Promise.all([redis.connect(), sub.connect()]);
    const store = new RedisRuntimeStore(redis, sub, opts);
    await store.bus.start();
    return store;
  }

  private k(kind: string, id: string): string {
    return `${this.p}${kind}:${id}`;
  }

  saveSession(r: SessionRecord): void {
    const key = this.k('s', r.session_id);
    const text = JSON.stringify(r);
    this.queue.push((m) => m.hset(key, 'record', text).pexpire(key, this.sessionTtl).pexpire(this.k('e', r.session_id), this.sessionTtl));
  }

  appendEvent(sessionId: string, e: StoredEvent): void {
    const key = this.k('e', sessionId);
    // The stream's TTL is refreshed once per session per batch, not per event.
    const refresh = !this.touched.has(sessionId);
    if (refresh) this.touched.add(sessionId);
    this.queue.push((m) => {
      m.xadd(key, `0-${e.seq}`, 't', e.type, 'j', e.jobId ?? '', 'f', e.frame);
      if (refresh) m.pexpire(key, this.sessionTtl);
    });
  }

  freeEvents(sessionId: string, pos: EventPosition): void {
    const s = this.k('s', sessionId);
    const e = this.k('e', sessionId);
    this.queue.push((m) => m.hset(s, 'freed_through', pos.freed_through, 'acked_through', pos.acked_through).xtrim(e, 'MINID', `0-${pos.freed_through + 1}`));
  }

  deleteSession(sessionId: string): void {
    const s = this.k('s', sessionId);
    const e = this.k('e', sessionId);
    this.queue.push((m) => m.del(s, e));
  }

  saveJob(r: JobRecord): void {
    const key = this.k('j', r.job_id);
    const text = JSON.stringify(r);
    const ttl = TERMINAL.has(r.status) ? this.jobTtl : this.runningJobTtl;
    this.queue.push((m) => m.set(key, text, 'PX', ttl).pexpire(this.k('h', r.job_id), ttl).zadd(`${this.p}jobs`, r.created_at, r.job_id));
  }

  appendJobHistory(jobId: string, e: JobHistoryRecord): void {
    const key = this.k('h', jobId);
    const text = JSON.stringify(e);
    this.queue.push((m) => m.rpush(key, text));
  }

  deleteJob(jobId: string): void {
    this.queue.push((m) => m.del(this.k('j', jobId), this.k('h', jobId)).zrem(`${this.p}jobs`, jobId));
  }

  saveIdempotencyKey(r: IdempotencyKeyRecord): void {
    const key = this.k('k', `${r.principal.length}:${r.principal}:${r.key}`);
    const text = JSON.stringify(r);
    const ttl = Math.max(1, r.created_at + this.keyTtl - Date.now());
    this.queue.push((m) => m.set(key, text, 'PX', ttl));
  }

  deleteIdempotencyKey(principal: string, key: string): void {
    this.queue.push((m) => m.del(this.k('k', `${principal.length}:${principal}:${key}`)));
  }

  saveRevocation(r: RevocationRecord): void {
    const text = JSON.stringify(r);
    this.queue.push((m) => m.hset(`${this.p}revocations`, r.id, text));
  }

  deleteRevocation(id: string): void {
    this.queue.push((m) => m.hdel(`${this.p}revocations`, id));
  }

  async commitRevocations(change: RevocationChange): Promise<void> {
    if (this.closed) throw new Error('store (redis) is closed');
    // One script of its own, sent now: the caller waits for its reply to know it is recorded.
    const m = new CommandBatch();
    for (const r of change.save) m.hset(`${this.p}revocations`, r.id, JSON.stringify(r));
    if (change.remove.length > 0) m.hdel(`${this.p}revocations`, ...change.remove);
    const fenced = (): Error => new Error('store (redis): this node is fenced (taken for dead by the cluster): nothing is written');
    if (this.bus.fenced) throw fenced();
    await this.guarded(m);
    if (this.bus.fenced) throw fenced();
  }

  appendAudit(r: AuditRecord): void {
    const text = JSON.stringify(r);
    this.queue.push((m) => m.rpush(`${this.p}audit`, text));
  }

  afterDurable(fn: () => void): boolean {
    return this.queue.afterDurable(fn);
  }

  flush(): Promise<void> {
    return this.queue.flush();
  }

  async loadSessions(): Promise<SessionRecord[]> {
    await this.flush();
    const out: SessionRecord[] = [];
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', `${this.p}s:*`, 'COUNT', '500');
      cursor = next;
      for (const key of keys) {
        const text = await this.redis.hget(key, 'record');
        if (text) out.push(JSON.parse(text) as SessionRecord);
      }
    } while (cursor !== '0');
    return out;
  }

  async loadSession(sessionId: string): Promise<SessionRecord | undefined> {
    await this.flush();
    const text = await this.redis.hget(this.k('s', sessionId), 'record');
    return text ? (JSON.parse(text) as SessionRecord) : undefined;
  }

  async loadEvents(sessionId: string, afterSeq = 0): Promise<{ events: StoredEvent[]; position: EventPosition }> {
    await this.flush();
    const [entries, pos] = await Promise.all([
      this.redis.xrange(this.k('e', sessionId), `(0-${afterSeq}`, '+'),
      this.redis.hmget(this.k('s', sessionId), 'freed_through', 'acked_through'),
    ]);
    const events = entries.map(([id, fields]) => {
      const f: Record<string, string> = {};
      for (let i = 0; i < fields.length; i += 2) f[fields[i]!] = fields[i + 1]!;
      const seq = Number(id.slice(2));
      return f.j ? { seq, type: f.t!, jobId: f.j, frame: f.f! } : { seq, type: f.t!, frame: f.f! };
    });
    return { events, position: { freed_through: Number(pos[0] ?? 0), acked_through: Number(pos[1] ?? 0) } };
  }

  async loadJobs(): Promise<JobRecord[]> {
    await this.flush();
    const ids = await this.redis.zrange(`${this.p}jobs`, '0', '-1');
    if (ids.length === 0) return [];
    const texts = await this.redis.mget(ids.map((id) => this.k('j', id)));
    const gone = ids.filter((_, i) => texts[i] === null);
    if (gone.length > 0 && !this.bus.fenced) await this.redis.zrem(`${this.p}jobs`, ...gone); // expired by TTL
    return texts.filter((t): t is string => t !== null).map((t) => JSON.parse(t) as JobRecord);
  }

  async loadJob(jobId: string): Promise<JobRecord | undefined> {
    await this.flush();
    const text = await this.redis.get(this.k('j', jobId));
    return text ? (JSON.parse(text) as JobRecord) : undefined;
  }

  async loadJobHistory(jobId: string, afterSeq = 0): Promise<JobHistoryRecord[]> {
    await this.flush();
    const texts = await this.redis.lrange(this.k('h', jobId), 0, -1);
    return texts.map((t) => JSON.parse(t) as JobHistoryRecord).filter((e) => e.seq > afterSeq);
  }

  async loadIdempotencyKeys(): Promise<IdempotencyKeyRecord[]> {
    await this.flush();
    const out: IdempotencyKeyRecord[] = [];
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', `${this.p}k:*`, 'COUNT', '500');
      cursor = next;
      if (keys.length > 0) for (const t of await this.redis.mget(keys)) if (t) out.push(JSON.parse(t) as IdempotencyKeyRecord);
    } while (cursor !== '0');
    return out;
  }

  async loadIdempotencyKey(principal: string, key: string): Promise<IdempotencyKeyRecord | undefined> {
    await this.flush();
    const t = await this.redis.get(this.k('k', `${principal.length}:${principal}:${key}`));
    return t ? (JSON.parse(t) as IdempotencyKeyRecord) : undefined;
  }

  async loadRevocations(): Promise<RevocationRecord[]> {
    await this.flush();
    return Object.values(await this.redis.hgetall(`${this.p}revocations`)).map((t) => JSON.parse(t) as RevocationRecord);
  }

  async loadAudit(): Promise<AuditRecord[]> {
    await this.flush();
    return (await this.redis.lrange(`${this.p}audit`, 0, -1)).map((t) => JSON.parse(t) as AuditRecord);
  }

  async readAudit(query: ResolvedAuditQuery): Promise<AuditRecord[]> {
    await this.flush();
    const texts = await this.redis.lrange(`${this.p}audit`, 0, -1);
    // Parsed only as far as the query reads (selectAudit stops at the limit).
    function* records(): Generator<AuditRecord> {
      for (const t of texts) yield JSON.parse(t) as AuditRecord;
    }
    return selectAudit(records(), query);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.flush();
    await this.bus.stop();
    this.redis.disconnect();
  }
}

/**
 * ClusterBus over Redis pub/sub: channel `{prefix}node:{id}` per node, liveness key
 * `{prefix}alive:{id}` holding this node's token; messages are published through the fence.
 */
export class RedisBus implements ClusterBus {
  private handlers: ((msg: ClusterMessage) => void)[] = [];
  private fencedHandlers: ((why: string) => void)[] = [];
  private beat: NodeJS.Timeout | undefined;
  private stopped = false;
  fenced = false;

  constructor(
    private readonly redis: Redis,
    private readonly sub: Redis,
    readonly nodeId: string,
    private readonly prefix: string,
    readonly livenessTtlMs: number,
    readonly fence: NodeFence,
    private readonly onError: (err: unknown) => void,
  ) {}

  async start(): Promise<void> {
    this.sub.on('message', (_channel: string, text: string) => {
      let msg: ClusterMessage;
      try {
        msg = JSON.parse(text) as ClusterMessage;
      } catch (err) {
        return this.onError(err);
      }
      if (this.fenced) return;
      for (const h of this.handlers) {
        try {
          h(msg);
        } catch (err) {
          this.onError(err);
        }
      }
    });
    await this.sub.subscribe(this.channel(this.nodeId));
    await this.fence.join(this.livenessTtlMs);
    this.beat = setInterval(() => void this.alive().catch(this.onError), Math.max(50, Math.floor(this.livenessTtlMs / 3)));
    this.beat.unref();
  }

  send(to: string, msg: ClusterMessage): void {
    if (this.stopped || this.fenced) return;
    this.fence.publish(this.channel(to), JSON.stringify(msg)).catch((err: unknown) => (isFencedReply(err) ? this.fenceNow('a message was refused') : this.onError(err)));
  }

  onMessage(handler: (msg: ClusterMessage) => void): void {
    this.handlers.push(handler);
  }

  onFenced(handler: (why: string) => void): void {
    this.fencedHandlers.push(handler);
  }

  /** Taken for dead by the others: from now on nothing is written, sent or handled (once). */
  fenceNow(why: string): void {
    if (this.fenced) return;
    this.fenced = true;
    if (this.beat) clearInterval(this.beat);
    for (const h of this.fencedHandlers) {
      try {
        h(why);
      } catch (err) {
        this.onError(err);
      }
    }
  }

  async isAlive(nodeId: string): Promise<boolean> {
    return (await this.redis.exists(`${this.prefix}alive:${nodeId}`)) === 1;
  }

  declareDead(nodeId: string): Promise<boolean> {
    return this.fence.declareDead(nodeId);
  }

  async tryLock(name: string, ttlMs: number): Promise<boolean> {
    if (this.fenced) return false;
    return (await this.redis.set(`${this.prefix}lock:${name}`, this.nodeId, 'PX', ttlMs, 'NX')) === 'OK';
  }

  async unlock(name: string): Promise<void> {
    if (this.fenced) return; // a fenced node writes nothing; its lock expires by its TTL
    // Only our own lock: compare and delete in one step.
    await this.redis.eval("if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0", 1, `${this.prefix}lock:${name}`, this.nodeId);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.beat) clearInterval(this.beat);
    if (!this.fenced) await this.fence.leave().catch(() => undefined);
    this.sub.disconnect();
  }

  private async alive(): Promise<void> {
    if (this.fenced || this.stopped) return;
    // Declared dead by another node (it stalled past its TTL) or replaced by a new process: fenced.
    if (!(await this.fence.beat(this.livenessTtlMs))) this.fenceNow('another node declared it dead');
  }

  private channel(nodeId: string): string {
    return `${this.prefix}node:${nodeId}`;
  }
}
