// Expected-failures baseline (protobuf / connect / MCP style): one id or id pattern per line,
// optionally followed by `# expected message substring`. Listed failures do not fail the run;
// a listed check that passes does (a baseline can never go stale silently). A line starting with
// `?` lists a property whose failure depends on the cases its seed draws: it may also pass.
import { readFileSync, writeFileSync } from 'node:fs';
import { compileIdPattern } from '../checks/pattern.js';
import type { Verdict } from '../checks/types.js';

export interface BaselineEntry {
  readonly pattern: string;
  readonly message?: string;
  readonly re: RegExp;
  /** `?` entries: a pass is not a stale baseline (the defect shows only in some drawn cases). */
  readonly mayPass?: boolean;
}

export function parseBaseline(text: string): BaselineEntry[] {
  const out: BaselineEntry[] = [];
  for (const raw of text.split('\n')) {
    let line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const mayPass = line.startsWith('?');
    if (mayPass) line = line.slice(1).trim();
    const hash = line.indexOf(' #');
    const pattern = (hash >= 0 ? line.slice(0, hash) : line).trim();
    const message = hash >= 0 ? line.slice(hash + 2).trim() || undefined : undefined;
    out.push({ pattern, message, re: compileIdPattern(pattern), ...(mayPass ? { mayPass } : {}) });
  }
  return out;
}

export function loadBaseline(path: string): BaselineEntry[] {
  return parseBaseline(readFileSync(path, 'utf8'));
}

const FAILING = new Set(['fail', 'warn', 'errored']);

/** Re-grades one verdict against the baseline. */
export function applyBaseline(v: Verdict, entries: readonly BaselineEntry[]): Verdict {
  const entry = entries.find((e) => e.re.test(v.id));
  if (!entry) return v;
  if (v.outcome === 'pass') {
    if (entry.mayPass) return v;
    return { ...v, outcome: 'unexpected-pass', message: `listed in the baseline (${entry.pattern}) but passed: remove it` };
  }
  if (!FAILING.has(v.outcome)) return v;
  if (entry.message && !(v.message ?? '').includes(entry.message)) {
    return { ...v, message: `${v.message ?? ''} [baseline expected a failure mentioning "${entry.message}"]` };
  }
  return { ...v, outcome: 'expected-failure' };
}

/** Writes a baseline listing every failing check of a full run, with its first message line. */
export function writeBaseline(path: string, verdicts: readonly Verdict[]): number {
  const failing = verdicts.filter((v) => FAILING.has(v.outcome) || v.outcome === 'expected-failure');
  const lines = [
    '# arcp conformance expected failures (written by --update-baseline)',
    '# <check id or pattern>  # <expected message substring>',
    ...failing.map((v) => {
      const msg = (v.message ?? '').split('\n')[0].replace(/\s+#.*$/, '').slice(0, 80).trim();
      return msg ? `${v.id}  # ${msg}` : v.id;
    }),
  ];
  writeFileSync(path, `${lines.join('\n')}\n`);
  return failing.length;
}
