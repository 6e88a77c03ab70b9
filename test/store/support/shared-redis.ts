// The per-file redis-server fixture of the cluster tests (vitest hooks: test files only; the
// bench imports redis-server.ts, so the hooks live here).
import { afterAll, beforeAll } from 'vitest';
import { haveRedis, REDIS_BIN, startRedis, type RedisServer } from './redis-server.js';

/**
 * One redis-server for a test file: started before its tests, stopped after them, after the
 * file's own teardowns (`stops`, last registered first). Says so when the suite skips.
 */
export function sharedRedis(what: string): { readonly url: string; readonly stops: (() => Promise<void>)[] } {
  if (!haveRedis) console.warn(`[test/store] SKIP ${what}: ${REDIS_BIN} not found (apt-get install redis-server)`);
  let server: RedisServer | undefined;
  const stops: (() => Promise<void>)[] = [];
  beforeAll(async () => {
    if (haveRedis) server = await startRedis();
  });
  afterAll(async () => {
    for (const s of stops.splice(0).reverse()) await s().catch(() => undefined);
    await server?.stop();
  });
  return {
    get url() {
      if (!server) throw new Error('redis-server is not running (haveRedis false, or before beforeAll)');
      return server.url;
    },
    stops,
  };
}
