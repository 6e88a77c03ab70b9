// Fencing of a cluster node on Redis (issue 12). A node that stalls (event loop blocked,
// SIGSTOP) past its liveness TTL may be taken for dead: other nodes then claim its sessions and
// end its jobs. When it wakes it must not write again. The rule, per node id X:
//   - `epoch:X` holds the token of the process that joined as X last; `alive:X` (TTL) its beat;
//   - a node acts on X's death (claims X's sessions without asking, ends X's jobs, revokes X's
//     credentials) only after `declareDead(X)`, which atomically checks that `alive:X` is gone
//     and sets `dead:X`;
//   - every write batch, ledger commit, message and beat of X runs in a Lua script that first
//     checks `epoch:X` is still its token and `dead:X` is not set, so the check and the writes
//     are one atomic step on the server: nothing X writes can land after anyone acted on its
//     death. A lapse nobody acted on costs nothing (the next beat sets `alive:X` again).
// The first refused step fences the process for good (redis-store.ts: writes dropped, nothing
// sent; persistence/cluster/fenced.ts: jobs stopped, connections closed); a restarted process
// joins with a new token, which also fences any older process still running as X.
import type { Redis } from 'ioredis';

/** The reply a guarded step gets once this process was declared dead or replaced. */
export const FENCED_REPLY = 'ARCP_FENCED';

// KEYS[1] epoch:X, KEYS[2] dead:X; ARGV[1] the token.
const GUARD = `if redis.call('GET', KEYS[1]) ~= ARGV[1] or redis.call('EXISTS', KEYS[2]) == 1 then return redis.error_reply('${FENCED_REPLY}') end`;

// ARGV after the token: per command its element count, then the command and its arguments.
const BATCH = `${GUARD}
local i = 2
local n = #ARGV
while i <= n do
  local c = tonumber(ARGV[i])
  redis.call(unpack(ARGV, i + 1, i + c))
  i = i + c + 1
end
return 1`;

const PUBLISH = `${GUARD}
return redis.call('PUBLISH', ARGV[2], ARGV[3])`;

// KEYS[3] alive:X; ARGV[2] the TTL. Sets the key again after a lapse nobody acted on.
const BEAT = `if redis.call('GET', KEYS[1]) ~= ARGV[1] or redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
redis.call('SET', KEYS[3], ARGV[1], 'PX', ARGV[2])
return 1`;

const JOIN = `redis.call('SET', KEYS[1], ARGV[1])
redis.call('DEL', KEYS[2])
redis.call('SET', KEYS[3], ARGV[1], 'PX', ARGV[2])
return 1`;

// KEYS[1] alive:Y, KEYS[2] dead:Y.
const DECLARE_DEAD = `if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('SET', KEYS[2], '1')
return 1`;

const LEAVE = `if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[3]) end
return 1`;

type Arg = string | number;

/** The commands of one batch, recorded in call order (the write-behind ops call these). */
export class CommandBatch {
  readonly args: Arg[] = [];
  private count = 0;

  private add(name: string, rest: readonly Arg[]): this {
    this.args.push(rest.length + 1, name, ...rest);
    this.count++;
    return this;
  }

  get size(): number {
    return this.count;
  }

  hset(key: string, ...fieldValues: Arg[]): this {
    return this.add('HSET', [key, ...fieldValues]);
  }
  hdel(key: string, ...fields: string[]): this {
    return this.add('HDEL', [key, ...fields]);
  }
  pexpire(key: string, ms: number): this {
    return this.add('PEXPIRE', [key, ms]);
  }
  xadd(key: string, id: string, ...fieldValues: string[]): this {
    return this.add('XADD', [key, id, ...fieldValues]);
  }
  xtrim(key: string, strategy: 'MINID', threshold: string): this {
    return this.add('XTRIM', [key, strategy, threshold]);
  }
  del(...keys: string[]): this {
    return this.add('DEL', keys);
  }
  set(key: string, value: string, px: 'PX', ms: number): this {
    return this.add('SET', [key, value, px, ms]);
  }
  zadd(key: string, score: number, member: string): this {
    return this.add('ZADD', [key, score, member]);
  }
  zrem(key: string, ...members: string[]): this {
    return this.add('ZREM', [key, ...members]);
  }
  rpush(key: string, ...values: string[]): this {
    return this.add('RPUSH', [key, ...values]);
  }
}

export function isFencedReply(err: unknown): boolean {
  return err instanceof Error && err.message.includes(FENCED_REPLY);
}

/** The guarded steps of one process joined as node `nodeId`, and death declarations of others. */
export class NodeFence {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly nodeId: string,
    readonly token: string,
  ) {}

  private keys(nodeId = this.nodeId): [string, string, string] {
    return [`${this.prefix}epoch:${nodeId}`, `${this.prefix}dead:${nodeId}`, `${this.prefix}alive:${nodeId}`];
  }

  /** Start-up: this process is node `nodeId` now (an older one still running as it is fenced). */
  async join(ttlMs: number): Promise<void> {
    await this.redis.eval(JOIN, 3, ...this.keys(), this.token, ttlMs);
  }

  /** Sets or extends the liveness key; false when this process was declared dead or replaced. */
  async beat(ttlMs: number): Promise<boolean> {
    return (await this.redis.eval(BEAT, 3, ...this.keys(), this.token, ttlMs)) === 1;
  }

  /** Applies the batch atomically, only while this process is not fenced (rejects with FENCED_REPLY). */
  async apply(batch: CommandBatch): Promise<void> {
    if (batch.size === 0) return;
    const [epoch, dead] = this.keys();
    await this.redis.eval(BATCH, 2, epoch, dead, this.token, ...batch.args);
  }

  async publish(channel: string, text: string): Promise<void> {
    const [epoch, dead] = this.keys();
    await this.redis.eval(PUBLISH, 2, epoch, dead, this.token, channel, text);
  }

  /**
   * True when node `other` has no liveness key, and from now on it is fenced: call this before
   * acting on its death. False: it is alive (again), leave its sessions and jobs to it.
   */
  async declareDead(other: string): Promise<boolean> {
    const [, dead, alive] = this.keys(other);
    return (await this.redis.eval(DECLARE_DEAD, 2, alive, dead)) === 1;
  }

  /** Shutdown: removes the liveness key if this process is still node `nodeId`. */
  async leave(): Promise<void> {
    await this.redis.eval(LEAVE, 3, ...this.keys(), this.token);
  }
}
