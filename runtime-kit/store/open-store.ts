// `--store` specs -> a RuntimeStore: `memory`, `sqlite:PATH`, `redis://HOST:PORT[/DB]`.
// Engines load only when asked for (ioredis is not imported by a SQLite runtime, and so on).
import { KitError } from '../errors/kit-error.js';
import type { RuntimeStore } from './runtime-store.js';

export const STORE_SPEC_HELP = 'memory | sqlite:PATH | redis://HOST:PORT';

export async function openStore(spec: string, opts: { nodeId?: string } = {}): Promise<RuntimeStore> {
  if (spec === 'memory') {
    const { MemoryRuntimeStore } = await import('./memory-store.js');
    return new MemoryRuntimeStore();
  }
  if (spec.startsWith('sqlite:')) {
    const path = spec.slice('sqlite:'.length);
    if (path === '') throw new KitError('ARCP_KIT_BAD_STORE', `store "${spec}": sqlite needs a file path (sqlite:PATH)`);
    const { SqliteRuntimeStore } = await import('./sqlite-store.js');
    return new SqliteRuntimeStore(path);
  }
  if (spec.startsWith('redis://') || spec.startsWith('rediss://')) {
    const { RedisRuntimeStore } = await import('./redis-store.js');
    return RedisRuntimeStore.connect(spec, opts.nodeId !== undefined ? { nodeId: opts.nodeId } : {});
  }
  throw new KitError('ARCP_KIT_BAD_STORE', `unknown store "${spec}" (expected ${STORE_SPEC_HELP})`);
}
