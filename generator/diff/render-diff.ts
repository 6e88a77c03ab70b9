// Text form of a SchemaDiff, one line per change, breaking ones first.
import type { SchemaDiff } from './protocol-diff.js';

export function renderDiff(diff: SchemaDiff, labels: { before: string; after: string }, opts: { lenientPeers: boolean }): string {
  const lines = [`arcp schema diff ${labels.before} -> ${labels.after}`];
  if (diff.changes.length === 0) return `${lines[0]}\nno wire-visible change\n`;
  const counted = (c: SchemaDiff['changes'][number]) => c.breaking && !(opts.lenientPeers && c.strictOnly);
  const ordered = [...diff.changes].sort((a, b) => Number(counted(b)) - Number(counted(a)));
  for (const c of ordered) {
    const verdict = counted(c) ? 'BREAKING  ' : c.breaking ? 'strict-only' : 'compatible';
    const where = c.path === '' ? c.subject : `${c.subject} ${c.path}`;
    lines.push(`${verdict}  ${where}: ${c.what}  [${c.peers}${c.strictOnly && c.breaking ? '; lenient receivers accept' : ''}]`);
  }
  const breaking = diff.changes.filter(counted).length;
  lines.push('', breaking === 0 ? 'compatible: no deployed peer breaks' : `${breaking} breaking change(s)`);
  return `${lines.join('\n')}\n`;
}
