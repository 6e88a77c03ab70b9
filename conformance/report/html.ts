// One self-contained HTML page (no external assets): peer identity, certification, a matrix of
// sections x checks, every check with its outcome and why, and each failure's shrunk trace.
// Handlebars escapes HTML by default, which is exactly what peer-supplied text needs.
import { readFileSync } from 'node:fs';
import Handlebars from 'handlebars';
import { sectionOf } from '../checks/index.js';
import type { Verdict } from '../checks/types.js';
import { formatTrace } from '../driver/recorder.js';
import type { RunResult } from '../runner/run.js';
import { certifyRun } from './certification.js';
import { coverageLine } from '../statements/statements.js';
import { HARNESS } from '../defaults.js';

const template = Handlebars.compile(readFileSync(new URL('./templates/report.hbs', import.meta.url), 'utf8'), { strict: false });

const FAILING = new Set(['fail', 'errored', 'unexpected-pass', 'warn']);
const CLS: Record<string, string> = { certified: 'pass', partial: 'warn', failing: 'fail', untested: 'warn', 'not-negotiated': 'not-applicable' };

export function buildHtml(result: RunResult): string {
  const cert = certifyRun(result);
  const sections = new Map<string, Verdict[]>();
  for (const v of result.verdicts) sections.set(sectionOf(v.id), [...(sections.get(sectionOf(v.id)) ?? []), v]);
  const outcomes: Record<string, number> = {};
  for (const v of result.verdicts) outcomes[v.outcome] = (outcomes[v.outcome] ?? 0) + 1;
  return template({
    ...result,
    durationSec: (result.durationMs / 1000).toFixed(1),
    coverage: { line: coverageLine(result.coverage) },
    harness: `${HARNESS.name} ${HARNESS.version}`,
    certification: cert,
    coreClass: CLS[cert.core],
    flags: Object.entries(cert.features).map(([name, status]) => ({ name, status, cls: CLS[status] })),
    outcomes: Object.entries(outcomes).map(([name, count]) => ({ name, count })),
    sections: [...sections.entries()].map(([name, vs]) => ({
      name,
      checks: vs.map((v) => ({ ...v, short: v.id.split('/').slice(1).join('/') })),
    })),
    checks: result.verdicts,
    interop: result.verdicts.filter((v) => v.level === 'interop'),
    failures: result.verdicts.filter((v) => FAILING.has(v.outcome)).map((v) => ({ ...v, traceText: v.trace ? formatTrace(v.trace, 400) : '(no frames)' })),
  });
}
