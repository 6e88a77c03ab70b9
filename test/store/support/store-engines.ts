// The store engines the in-process store tests run against, as one table for every test file:
// the memory store, SQLite on a temp file, and Redis on a real redis-server (one per file,
// support/shared-redis.ts; skipped, and said so, where redis-server is missing). Every store
// opened here is closed and every temp dir removed after each test, after the file's own
// clean-ups (`cleanup`, run last registered first), so a runtime closes before its store.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterEach } from 'vitest';
import { MemoryRuntimeStore } from '../../../runtime-kit/store/memory-store.js';
import { RedisRuntimeStore, type RedisStoreOptions } from '../../../runtime-kit/store/redis-store.js';
import type { RuntimeStore } from '../../../runtime-kit/store/runtime-store.js';
import { SqliteRuntimeStore } from '../../../runtime-kit/store/sqlite-store.js';
import type { AuditRetentionSetting } from '../../../runtime-kit/store/audit-retention.js';
import { haveRedis } from './redis-server.js';
import { sharedRedis } from './shared-redis.js';

export type EngineName = 'memory' | 'sqlite' | 'redis';

/** What every engine takes. */
export interface EngineOptions {
  auditRetention?: AuditRetentionSetting;
}

export interface StoreEngine {
  readonly name: EngineName;
  open(opts?: EngineOptions): Promise<RuntimeStore>;
  /**
   * The same data as the next process sees it: the memory store is the same object, SQLite a new
   * connection to the file, Redis a new connection with the same key prefix. `close` closes
   * `first` before (a clean stop; without it the first is left as a crashed process leaves it).
   */
  reopen(first: RuntimeStore, opts?: EngineOptions & { close?: boolean }): Promise<RuntimeStore>;
}

export interface StoreEngines {
  /** The engines asked for that this machine has (Redis needs redis-server). */
  readonly engines: StoreEngine[];
  /** Runs after the test, before the stores close (last registered first). */
  cleanup(fn: () => Promise<unknown> | unknown): void;
  /** A temp dir removed after the test. */
  tempDir(): string;
  /** A raw client of the file's redis-server (disconnected after the test), for reading keys as they are. */
  rawRedis(): Redis;
  /** The key prefix of a store opened here (Redis). */
  prefixOf(store: RuntimeStore): string;
}

let files = 0;

/** `what` names the file in the skip notice; `redis` options go to every Redis store opened. */
export function storeEngines(what: string, names: readonly EngineName[] = ['memory', 'sqlite', 'redis'], redis: Omit<RedisStoreOptions, 'prefix'> = {}): StoreEngines {
  const server = names.includes('redis') ? sharedRedis(what) : undefined;
  const tag = `f${process.pid}x${++files}`;
  const cleanups: (() => Promise<unknown> | unknown)[] = [];
  const stores: RuntimeStore[] = [];
  const dirs: string[] = [];
  const prefixes = new WeakMap<RuntimeStore, string>();
  let opened = 0;
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
    for (const s of stores.splice(0).reverse()) await s.close().catch(() => undefined);
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  const tempDir = (): string => {
    const dir = mkdtempSync(join(tmpdir(), 'arcp-store-test-'));
    dirs.push(dir);
    return dir;
  };
  const kept = <S extends RuntimeStore>(s: S): S => {
    stores.push(s);
    return s;
  };
  const redisStore = async (prefix: string, opts: EngineOptions): Promise<RuntimeStore> => {
    const s = kept(await RedisRuntimeStore.connect(server!.url, { ...redis, ...opts, prefix }));
    prefixes.set(s, prefix);
    return s;
  };
  const all: StoreEngine[] = [
    {
      name: 'memory',
      open: async (opts = {}) => kept(new MemoryRuntimeStore(opts)),
      reopen: async (first) => first,
    },
    {
      name: 'sqlite',
      open: async (opts = {}) => kept(new SqliteRuntimeStore(join(tempDir(), 'arcp.db'), opts)),
      reopen: async (first, opts = {}) => {
        if (opts.close) await first.close();
        return kept(new SqliteRuntimeStore((first as SqliteRuntimeStore).path, opts));
      },
    },
    {
      name: 'redis',
      open: async (opts = {}) => redisStore(`${tag}s${++opened}:`, opts),
      reopen: async (first, opts = {}) => {
        if (opts.close) await first.close(); // the node is gone: its liveness key with it
        return redisStore(prefixes.get(first)!, opts);
      },
    },
  ];
  return {
    engines: all.filter((e) => names.includes(e.name) && (e.name !== 'redis' || haveRedis)),
    cleanup: (fn) => void cleanups.push(fn),
    tempDir,
    rawRedis: () => {
      const r = new Redis(server!.url);
      cleanups.unshift(() => r.disconnect()); // runs last of the test's clean-ups
      return r;
    },
    prefixOf: (store) => {
      const p = prefixes.get(store);
      if (p === undefined) throw new Error('not a Redis store opened by storeEngines');
      return p;
    },
  };
}
