// Reads the §14 subscription audit log back (ARCPRuntime.readAudit, `arcp audit`): from a
// RuntimeStore (what a previous process wrote survives there), or from the built-in sinks.
import { readFile } from 'node:fs/promises';
import { KitError } from '../../errors/kit-error.js';
import type { RuntimeStore } from '../../store/runtime-store.js';
import { JsonLinesAuditSink, MemoryAuditSink, type AuditRecord, type AuditSink } from './audit-log.js';
import { resolveAuditQuery, selectAudit, type AuditQuery } from './audit-query.js';

export async function readAuditLog(source: RuntimeStore | AuditSink, query: AuditQuery = {}): Promise<AuditRecord[]> {
  const q = resolveAuditQuery(query);
  if ('readAudit' in source) return source.readAudit(q);
  if (source instanceof MemoryAuditSink) return selectAudit(source.records, q).map((r) => ({ ...r }));
  if (source instanceof JsonLinesAuditSink) {
    await source.flush();
    let text: string;
    try {
      text = await readFile(source.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw new KitError('ARCP_KIT_AUDIT_UNREADABLE', `audit log ${source.path} cannot be read: ${(err as Error).message}`, { cause: err });
    }
    return selectAudit(jsonLines(text, source.path), q);
  }
  throw new KitError('ARCP_KIT_AUDIT_UNREADABLE', 'the configured audit sink cannot be read back (an embedder sink: read it where it writes)');
}

/** One record per line; a torn last line (a crash mid-append: no newline yet) is skipped. */
function* jsonLines(text: string, path: string): Generator<AuditRecord> {
  const lines = text.split('\n');
  const torn = lines.pop(); // '' when the text ends with a newline
  for (const [i, line] of lines.entries()) {
    if (line === '') continue;
    try {
      yield JSON.parse(line) as AuditRecord;
    } catch (err) {
      throw new KitError('ARCP_KIT_AUDIT_CORRUPT', `audit log ${path}: line ${i + 1} is not a JSON record`, { cause: err });
    }
  }
  void torn;
}
