// `--store` specs -> a RuntimeStore: `memory`, `sqlite:PATH`, `redis://HOST:PORT[/DB]`.
// Engines load only when asked for (ioredis is not imported by a SQLite runtime, and so on).
import { KitError } from '../errors/kit-error.js';
import type { AuditRetentionSetting } from './audit-retention.js';
import type { RuntimeStore } from './runtime-store.js';

export const STORE_SPEC_HELP = 'memory | sqlite:PATH | redis://HOST:PORT';

export interface OpenStoreOptions {
  nodeId?: string;
  /** Audit log bounds (audit-retention.ts); `false` for a reader that must never trim. */
  auditRetention?: AuditRetentionSetting;
}

export async function openStore(spec: string, opts: OpenStoreOptions = {}): Promise<RuntimeStore> {
  const audit = opts.auditRetention !== undefined ? { auditRetention: opts.auditRetention } : {};
  if (spec === 'memory') {
    const { MemoryRuntimeStore } = await import('./memory-store.js');
    return new MemoryRuntimeStore(audit);
  }
  if (spec.startsWith('sqlite:')) {
    const path = spec.slice('sqlite:'.length);
    if (path === '') throw new KitError('ARCP_KIT_BAD_STORE', `store "${spec}": sqlite needs a file path (sqlite:PATH)`);
    const { SqliteRuntimeStore } = await import('./sqlite-store.js');
    return new SqliteRuntimeStore(path, audit);
  }
  if (spec.startsWith('redis://') || spec.startsWith('rediss://')) {
    const { RedisRuntimeStore } = await import('./redis-store.js');
    return RedisRuntimeStore.connect(spec, { ...audit, ...(opts.nodeId !== undefined ? { nodeId: opts.nodeId } : {}) });
  }
  throw new KitError('ARCP_KIT_BAD_STORE', `unknown store "${spec}" (expected ${STORE_SPEC_HELP})`);
}
