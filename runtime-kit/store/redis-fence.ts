// Fencing of a cluster node on Redis (issue 12): a node that stalled (event loop blocked,
// SIGSTOP) past its liveness TTL has been taken for dead, and other nodes may already have
// claimed its sessions and ended its jobs. When it wakes it must not write again. So every
// write and every message of a node goes through a Lua script that first checks the node's
// liveness key still holds the token this node set at start-up (its epoch): the check and the
// writes are one atomic step on the server, and an expired key is never brought back (the beat
// only extends a key that still holds the token). The first refused step fences the node for
// good (redis-store.ts: writes dropped, nothing sent; cluster-binding.ts: jobs stopped,
// connections closed); a restarted process joins with a new token.
import type { Redis } from 'ioredis';

/** The reply a guarded step gets once this node's liveness key lapsed or was taken over. */
export const FENCED_REPLY = 'ARCP_FENCED';

const GUARD = `if redis.call('GET', KEYS[1]) ~= ARGV[1] then return redis.error_reply('${FENCED_REPLY}') end`;

// ARGV: token, then per command its element count followed by the command and its arguments.
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

const BEAT = `if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1`;

const LEAVE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

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

/** The guarded steps of one node (its liveness key and token). */
export class NodeFence {
  constructor(
    private readonly redis: Redis,
    private readonly aliveKey: string,
    readonly token: string,
  ) {}

  /** Start-up: this node's liveness key, holding its token. */
  async join(ttlMs: number): Promise<void> {
    await this.redis.set(this.aliveKey, this.token, 'PX', ttlMs);
  }

  /** Extends the liveness key; false when it lapsed or holds another token (fenced). */
  async beat(ttlMs: number): Promise<boolean> {
    return (await this.redis.eval(BEAT, 1, this.aliveKey, this.token, ttlMs)) === 1;
  }

  /** Applies the batch atomically, only while this node is not fenced (rejects with FENCED_REPLY). */
  async apply(batch: CommandBatch): Promise<void> {
    if (batch.size === 0) return;
    await this.redis.eval(BATCH, 1, this.aliveKey, this.token, ...batch.args);
  }

  async publish(channel: string, text: string): Promise<void> {
    await this.redis.eval(PUBLISH, 1, this.aliveKey, this.token, channel, text);
  }

  /** Shutdown: removes the liveness key if it is still this node's. */
  async leave(): Promise<void> {
    await this.redis.eval(LEAVE, 1, this.aliveKey, this.token);
  }
}
