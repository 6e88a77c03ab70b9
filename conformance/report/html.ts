// One self-contained HTML page (no external assets, no script) that leads with what a reader
// came for: the verdict, then each failure (statement, shrunk trace with the offending frame
// marked, seed, replay command), then certification and the sections x checks matrix, then every
// check. Every check has an anchor (#check-<id>) so a failure can be linked to.
// Handlebars escapes HTML by default, which is exactly what peer-supplied text needs.
import { readFileSync } from 'node:fs';
import Handlebars from 'handlebars';
import { sectionOf } from '../checks/index.js';
import type { Verdict } from '../checks/types.js';
import type { RunResult } from '../runner/run.js';
import { certifyRun, runVerdictOf } from './certification.js';
import { coverageLine, STATEMENTS } from '../statements/statements.js';
import { HARNESS } from '../defaults.js';
import { gapLines } from './run-verdict.js';
import { markOf, traceRows, type MarkSource } from './trace-view.js';

// the reader must know whether the check pointed at the row or the report guessed it
const MARK_LABEL: Record<MarkSource, { short: string; long: string }> = {
  check: { short: 'offending frame', long: 'the frame the check found in breach is marked ◀' },
  unanswered: { short: 'never answered', long: 'the request the peer never answered is marked ◀' },
  inferred: { short: 'offending frame (inferred)', long: 'the frame inferred from the failure message is marked ◀' },
};

const template = Handlebars.compile(readFileSync(new URL('./templates/report.hbs', import.meta.url), 'utf8'), { strict: false });

const FAILING = new Set(['fail', 'errored', 'unexpected-pass', 'warn']);
const CLS: Record<string, string> = { certified: 'pass', partial: 'warn', failing: 'fail', untested: 'warn', 'not-negotiated': 'not-applicable' };
const VERDICT_CLS: Record<string, string> = { conformant: 'pass', partial: 'warn', 'non-conformant': 'fail' };
const STATEMENT = new Map(STATEMENTS.map((s) => [s.id, s]));

/** The anchor of a check: its id, with characters a fragment would need escaped replaced. */
export function checkAnchor(id: string): string {
  return `check-${id.replace(/[^A-Za-z0-9._-]/g, '-')}`;
}

function statementsOf(v: Verdict) {
  return (v.statements ?? []).map((id) => {
    const s = STATEMENT.get(id);
    return { id, keyword: s?.keyword ?? '?', section: s?.section ?? '', text: s?.text ?? '(not in conformance/statements.json)' };
  });
}

/** Failures first by weight: MUST failures and errors, stale baseline entries, then warnings. */
function failureOrder(v: Verdict): number {
  if (v.level === 'MUST' && (v.outcome === 'fail' || v.outcome === 'errored')) return 0;
  if (v.outcome === 'unexpected-pass') return 1;
  if (v.outcome === 'fail' || v.outcome === 'errored') return 2;
  return 3;
}

export function buildHtml(result: RunResult): string {
  const cert = certifyRun(result);
  const verdict = runVerdictOf(result);
  const sections = new Map<string, Verdict[]>();
  for (const v of result.verdicts) sections.set(sectionOf(v.id), [...(sections.get(sectionOf(v.id)) ?? []), v]);
  const outcomes: Record<string, number> = {};
  for (const v of result.verdicts) outcomes[v.outcome] = (outcomes[v.outcome] ?? 0) + 1;
  const failures = result.verdicts
    .filter((v) => FAILING.has(v.outcome))
    .sort((a, b) => failureOrder(a) - failureOrder(b))
    .map((v) => {
      const anchor = checkAnchor(v.id);
      const mark = markOf(v);
      const { rows, elided } = v.trace?.length ? traceRows(v.trace, v.message, undefined, mark.index) : { rows: [], elided: 0 };
      return { ...v, anchor, cls: v.outcome === 'warn' ? 'warn' : '', statementList: statementsOf(v), rows: rows.map((r) => ({ ...r, frameAnchor: `${anchor}-frame-${r.n}` })), elided, hasOffending: rows.some((r) => r.offending), markLabel: MARK_LABEL[mark.source] };
    });
  return template({
    ...result,
    durationSec: (result.durationMs / 1000).toFixed(1),
    coverage: { line: coverageLine(result.coverage) },
    harness: HARNESS,
    verdict: { ...verdict, label: verdict.status.toUpperCase(), reason: verdict.headline.replace(/^[A-Z-]+: /, ''), cls: VERDICT_CLS[verdict.status], toComplete: gapLines(verdict) },
    certification: cert,
    coreClass: CLS[cert.core],
    flags: Object.entries(cert.features).map(([name, status]) => ({ name, status, cls: CLS[status] })),
    outcomes: Object.entries(outcomes).map(([name, count]) => ({ name, count })),
    sections: [...sections.entries()].map(([name, vs]) => ({
      name,
      checks: vs.map((v) => ({ ...v, anchor: checkAnchor(v.id), short: v.id.split('/').slice(1).join('/') })),
    })),
    checks: result.verdicts.map((v) => ({ ...v, anchor: checkAnchor(v.id), failing: FAILING.has(v.outcome), statementIds: (v.statements ?? []).join(', ') })),
    interop: result.verdicts.filter((v) => v.level === 'interop').map((v) => ({ ...v, anchor: checkAnchor(v.id) })),
    failures,
    mustFailures: failures.filter((f) => failureOrder(f) === 0).length,
  });
}
