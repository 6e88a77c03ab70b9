// JUnit XML for CI systems: one <testsuite> per spec section, one <testcase> per check.
import { sectionOf } from '../checks/index.js';
import type { Verdict } from '../checks/types.js';
import { formatTrace } from '../driver/recorder.js';
import { markOf } from './trace-view.js';
import type { RunResult } from '../runner/run.js';

export function xmlEscape(s: string): string {
  // also drop characters XML 1.0 forbids (peer frames may contain anything)
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '').replace(/[<>&"']/g, (c) => `&${({ '<': 'lt', '>': 'gt', '&': 'amp', '"': 'quot', "'": 'apos' })[c]};`);
}

function testcase(v: Verdict): string {
  const head = `    <testcase classname="arcp.${xmlEscape(sectionOf(v.id))}" name="${xmlEscape(`${v.id} [${v.level}]`)}" time="${(v.durationMs / 1000).toFixed(3)}">`;
  const detail = [v.message ?? '', v.property ? `seed ${v.property.seed}${v.property.path ? ` path ${v.property.path}` : ''}` : '', v.replay ? `replay: ${v.replay}` : '', v.trace ? formatTrace(v.trace, 200, markOf(v).index) : '']
    .filter(Boolean)
    .join('\n');
  let body = '';
  if (v.outcome === 'fail' || v.outcome === 'unexpected-pass') body = `\n      <failure message="${xmlEscape(v.message ?? v.outcome)}" type="${v.outcome}">${xmlEscape(detail)}</failure>\n    `;
  else if (v.outcome === 'errored') body = `\n      <error message="${xmlEscape(v.message ?? 'errored')}">${xmlEscape(detail)}</error>\n    `;
  else if (v.outcome === 'skipped' || v.outcome === 'not-applicable' || v.outcome === 'expected-failure' || v.outcome === 'warn') {
    body = `\n      <skipped message="${xmlEscape(`${v.outcome}: ${v.message ?? ''}`)}"/>\n    `;
  }
  return `${head}${body}</testcase>`;
}

export function buildJunit(result: RunResult): string {
  const sections = new Map<string, Verdict[]>();
  for (const v of result.verdicts) sections.set(sectionOf(v.id), [...(sections.get(sectionOf(v.id)) ?? []), v]);
  const suites = [...sections.entries()].map(([sec, vs]) => {
    const failures = vs.filter((v) => v.outcome === 'fail' || v.outcome === 'unexpected-pass').length;
    const errors = vs.filter((v) => v.outcome === 'errored').length;
    const skipped = vs.filter((v) => ['skipped', 'not-applicable', 'expected-failure', 'warn'].includes(v.outcome)).length;
    const time = vs.reduce((t, v) => t + v.durationMs, 0) / 1000;
    return `  <testsuite name="§${xmlEscape(sec)}" tests="${vs.length}" failures="${failures}" errors="${errors}" skipped="${skipped}" time="${time.toFixed(3)}">\n${vs.map(testcase).join('\n')}\n  </testsuite>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="arcp conformance: ${xmlEscape(result.peer.describe)}" tests="${result.verdicts.length}" time="${(result.durationMs / 1000).toFixed(3)}">\n${suites.join('\n')}\n</testsuites>\n`;
}
