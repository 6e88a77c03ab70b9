// The check registry as text: one line per check (terminal) or a Markdown table per spec section
// (docs, CI summaries). Generated from the registry, never hand-kept (style.md item 15).
import { sectionOf } from '../checks/index.js';
import type { CheckDef } from '../checks/types.js';
import { coverage, coverageLine } from '../statements/statements.js';

/** The coverage figure of the whole registry (conformance/statements.json), closing every listing. */
export function listCoverage(all: readonly CheckDef[]): string {
  const c = coverage(all);
  return `${coverageLine(c)}${c.untested.length ? ` (untested: ${c.untested.join(', ')})` : ''}\n`;
}

export function listPlain(checks: readonly CheckDef[]): string {
  return checks
    .map((c) => `${c.level.padEnd(7)} ${c.kind.padEnd(8)} ${c.id.padEnd(52)} ${c.spec.padEnd(14)} ${c.feature ? `[${c.feature}] ` : ''}${c.title}\n`)
    .join('');
}

function cell(s: string): string {
  return s.replace(/\|/g, '\\|');
}

export function listMarkdown(checks: readonly CheckDef[]): string {
  const out: string[] = [];
  let section = '';
  for (const c of checks) {
    if (sectionOf(c.id) !== section) {
      section = sectionOf(c.id);
      out.push('', `### §${section}`, '', '| check | level | kind | feature | requirement |', '|---|---|---|---|---|');
    }
    out.push(`| \`${c.id}\` | ${c.level} | ${c.kind} | ${c.feature ? `\`${c.feature}\`` : ''} | ${cell(c.title)} (${c.spec}) |`);
  }
  return `${out.join('\n').trimStart()}\n`;
}
