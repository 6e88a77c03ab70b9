// Issue 12 / §14 (S14-09): the credential revocation ledger lives in the durable store. A real
// runtime process on SQLite (and on Redis) issues a credential, is killed with SIGKILL, and
// is restarted on the same store: the restarted process revokes the credential through the
// provisioner's revoke (the provisioner journals to a file: it stands for the upstream gateway,
// which outlives the runtime), and the ledger entry leaves the store. Before the kill the
// entry is in the store (recorded before the credential was handed out).
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { haveRedis, startRedis, type RedisServer } from './support/redis-server.js';
import { spawnListening, type ServeChild } from './support/serve-child.js';
import { WsPeer } from './support/ws-peer.js';

const CHILD = new URL('./support/credential-child.ts', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'arcp-ledger-kill9-'));
const children = new Set<ChildProcess>();
let redis: RedisServer | undefined;
afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  await redis?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function startChild(spec: string, journal: string): Promise<ServeChild> {
  const started = await spawnListening(['--import', 'tsx', CHILD, spec, journal], 'child');
  children.add(started.child);
  return started;
}

type JournalEntry = { pid: number; op: 'issue' | 'revoke' | 'revoke_job'; id?: string; job_id?: string };
function journalOf(path: string): JournalEntry[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as JournalEntry);
}

async function until<T>(what: string, probe: () => T | Promise<T>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

interface Engine {
  name: string;
  spec: () => Promise<string>;
  /** Credential ids in the store's revocation records. */
  recorded: (spec: string) => Promise<string[]>;
}

const engines: Engine[] = [
  {
    name: 'sqlite',
    spec: async () => `sqlite:${join(dir, 'arcp.db')}`,
    recorded: async (spec) => {
      const db = new Database(spec.slice('sqlite:'.length), { readonly: true });
      try {
        return (db.prepare('SELECT id FROM revocations').pluck().all() as string[]).sort();
      } finally {
        db.close();
      }
    },
  },
  ...(haveRedis
    ? [
        {
          name: 'redis',
          spec: async () => {
            redis ??= await startRedis();
            return redis.url;
          },
          recorded: async (spec: string) => {
            const r = new Redis(spec);
            try {
              return Object.keys(await r.hgetall('arcp:revocations')).sort();
            } finally {
              r.disconnect();
            }
          },
        },
      ]
    : []),
];

describe.each(engines)('revocation ledger in the $name store survives kill -9', (engine) => {
  it('a credential issued before the kill is revoked by the restarted process through the provisioner', async () => {
    const spec = await engine.spec();
    const journal = join(dir, `${engine.name}-journal.jsonl`);
    const first = await startChild(spec, journal);
    const peer = await WsPeer.open(first.url);
    const welcome = await peer.hello({ features: ['provisioned_credentials'] });
    expect(welcome.payload.capabilities.features).toContain('provisioned_credentials');
    const accepted = await peer.accepted(peer.submit('hang'));
    expect(accepted.type, JSON.stringify(accepted.payload)).toBe('job.accepted');
    const cred = accepted.payload.credentials?.[0];
    expect(cred?.id).toMatch(/^cred_/);
    // recorded before it was handed out: the store holds the id (never the value) now
    expect(await engine.recorded(spec)).toContain(cred.id);
    expect(journalOf(journal)).toContainEqual(expect.objectContaining({ op: 'issue', id: cred.id }));

    await first.kill9();
    await peer.close();
    expect(journalOf(journal).some((e) => e.op === 'revoke' && e.id === cred.id)).toBe(false);

    const second = await startChild(spec, journal);
    const revoked = await until('the revoke of the issued credential', () => journalOf(journal).find((e) => e.op === 'revoke' && e.id === cred.id));
    expect(revoked!.pid).not.toBe(journalOf(journal).find((e) => e.op === 'issue')!.pid); // by the new process
    await until('the ledger entry to leave the store', async () => !(await engine.recorded(spec)).includes(cred.id));
    await second.kill9();
  }, 120_000);
});
