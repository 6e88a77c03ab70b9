// `arcp audit`: read the §14 subscription audit log back from a durable store (what a runtime
// wrote before it stopped or crashed included), oldest first. Reads only: safe beside a running
// `arcp serve` on the same store (SQLite WAL readers do not block the writer).
import { existsSync } from 'node:fs';
import { InvalidArgumentError, type Command } from 'commander';
import type { AuditRecord } from '../../runtime-kit/runtime/audit/audit-log.js';
import { DEFAULT_AUDIT_LIMIT, MAX_AUDIT_LIMIT } from '../../runtime-kit/runtime/audit/audit-query.js';
import { STORE_SPEC_HELP } from '../../runtime-kit/store/open-store.js';

interface AuditFlags {
  store: string;
  since?: string;
  limit?: number;
  json?: boolean;
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0 || n > MAX_AUDIT_LIMIT) throw new InvalidArgumentError(`must be an integer in [1, ${MAX_AUDIT_LIMIT}]`);
  return n;
}

function row(r: AuditRecord): string {
  const target = r.target_principal !== undefined ? ` (of ${r.target_principal})` : '';
  return `${r.ts}  ${r.decision.padEnd(9)}  ${r.event}  ${r.subscriber_principal} -> ${r.job_id}${target}  ${r.reason}`;
}

export function registerAudit(program: Command): void {
  program
    .command('audit')
    .description('print the subscription audit log (§14) a runtime wrote to its durable store, oldest first')
    .requiredOption('--store <spec>', `the runtime's store: ${STORE_SPEC_HELP} (memory holds nothing once the runtime is gone)`)
    .option('--since <iso>', 'only records at or after this ISO-8601 time')
    .option('--limit <n>', `at most this many records (default ${DEFAULT_AUDIT_LIMIT})`, positiveInt)
    .option('--json', 'one JSON record per line, as stored')
    .addHelpText('after', `
Examples:
  $ arcp audit --store sqlite:/var/lib/arcp/arcp.db
  $ arcp audit --store redis://127.0.0.1:6379 --since 2026-12-02T17:00:00Z --limit 50 --json

Exit status: 0 success, 1 the store could not be read, 2 bad arguments.`)
    .action(async (flags: AuditFlags) => {
      process.exitCode = await audit(flags);
    });
}

async function audit(flags: AuditFlags): Promise<number> {
  const fail = (line: string, code: number): number => {
    process.stderr.write(`arcp audit: ${line}\n`);
    return code;
  };
  if (flags.store === 'memory') return fail('--store memory holds nothing once its runtime is gone; give the runtime\'s sqlite:PATH or redis:// store', 2);
  // Reading must not create an empty database where the operator mistyped a path.
  if (flags.store.startsWith('sqlite:') && !existsSync(flags.store.slice('sqlite:'.length))) return fail(`no store file ${flags.store.slice('sqlite:'.length)}`, 2);
  const [{ openStore }, { readAuditLog }, { resolveAuditQuery }] = await Promise.all([
    import('../../runtime-kit/store/open-store.js'),
    import('../../runtime-kit/runtime/audit/audit-reader.js'),
    import('../../runtime-kit/runtime/audit/audit-query.js'),
  ]);
  const query = { ...(flags.since !== undefined ? { since: flags.since } : {}), ...(flags.limit !== undefined ? { limit: flags.limit } : {}) };
  try {
    resolveAuditQuery(query);
  } catch (err) {
    return fail((err as Error).message, 2);
  }
  let store;
  try {
    store = await openStore(flags.store, { auditRetention: false }); // a reader: the runtime's retention decides
  } catch (err) {
    return fail(`--store ${flags.store}: ${err instanceof Error ? err.message : String(err)}`, (err as { code?: string }).code === 'ARCP_KIT_BAD_STORE' ? 2 : 1);
  }
  try {
    const records = await readAuditLog(store, query);
    for (const r of records) process.stdout.write(flags.json ? `${JSON.stringify(r)}\n` : `${row(r)}\n`);
    return 0;
  } catch (err) {
    return fail(`reading the audit log: ${err instanceof Error ? err.message : String(err)}`, 1);
  } finally {
    await store.close();
  }
}
