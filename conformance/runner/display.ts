// Live output. On a TTY: one status line per section that updates as checks finish, failures
// printed as they happen, a summary per section. Otherwise: one plain line per check.
import pc from 'picocolors';
import { sectionOf } from '../checks/index.js';
import type { CheckDef, Outcome, Verdict } from '../checks/types.js';
import { formatTrace } from '../driver/recorder.js';
import { markOf, type MarkSource } from '../report/trace-view.js';

import { certifyRun, runVerdictOf } from '../report/certification.js';
import { gapLines } from '../report/run-verdict.js';
import type { RunResult } from './run.js';
import { coverageLine } from '../statements/statements.js';

const MARK_WORD: Record<MarkSource, string> = { check: 'offending', unanswered: 'never answered', inferred: 'offending (inferred)' };

const LABEL: Record<Outcome, string> = {
  pass: 'PASS',
  fail: 'FAIL',
  warn: 'WARN',
  'not-applicable': 'N/A ',
  skipped: 'SKIP',
  errored: 'ERR ',
  'expected-failure': 'XFAIL',
  'unexpected-pass': 'XPASS',
};

function colour(o: Outcome, s: string): string {
  if (o === 'pass') return pc.green(s);
  if (o === 'fail' || o === 'errored' || o === 'unexpected-pass') return pc.red(s);
  if (o === 'warn' || o === 'expected-failure') return pc.yellow(s);
  return pc.dim(s);
}

/** `certification: core certified; certified: heartbeat, ack ...; partial: ...`. */
function certificationLine(result: RunResult): string {
  const cert = certifyRun(result);
  const by: Record<string, string[]> = {};
  for (const [flag, status] of Object.entries(cert.features)) (by[status] ??= []).push(flag);
  const parts = Object.entries(by).map(([status, flags]) => `${status}: ${flags.join(', ')}`);
  return `certification: core ${cert.core}; ${parts.join('; ')}`;
}

/** The verdict, what to add to complete a partial run, and the exit code. */
function resultLines(result: RunResult): string[] {
  const verdict = runVerdictOf(result);
  const paint = verdict.status === 'conformant' ? pc.green : verdict.status === 'partial' ? pc.yellow : pc.red;
  const gaps = gapLines(verdict);
  return [
    paint(`RESULT: ${verdict.headline}`),
    ...(gaps.length ? ['to complete this run:', ...gaps.map((g) => `  - ${g}`)] : []),
    `exit code ${result.exitCode} (0 conformant, 1 non-conformant, 2 usage or set-up error)`,
  ];
}

export interface Display {
  start(check: CheckDef): void;
  verdict(v: Verdict): void;
  finish(result: RunResult): void;
}

type Write = (s: string) => void;

/** The failure block: what broke, why, the trace (trimmed) and the replay command. */
export function failureBlock(v: Verdict, traceLines = 40): string {
  const lines = [`${colour(v.outcome, LABEL[v.outcome])} ${v.level} ${pc.bold(v.id)} (${v.spec})`, `  ${v.title}`, `  ${v.message ?? ''}`];
  if (v.property) lines.push(`  seed ${v.property.seed}${v.property.path ? `, path ${v.property.path}` : ''}${v.property.counterexample ? `, case ${v.property.counterexample.slice(0, 300)}` : ''}`);
  if (v.trace?.length) {
    const mark = markOf(v);
    lines.push(formatTrace(v.trace, traceLines, mark.index, MARK_WORD[mark.source]).replace(/^/gm, '    '));
  }
  if (v.replay) lines.push(`  replay: ${v.replay}`);
  return `${lines.join('\n')}\n`;
}

export function createDisplay(opts: { tty: boolean; write?: Write; verbose?: boolean }): Display {
  const write: Write = opts.write ?? ((s) => process.stdout.write(s));
  let section = '';
  let counts: Record<string, number> = {};
  let t0 = performance.now();
  const flushSection = (): void => {
    if (!section) return;
    const parts = Object.entries(counts).map(([o, n]) => colour(o as Outcome, `${n} ${o}`));
    const line = `§${section.padEnd(6)} ${parts.join('  ')}  ${pc.dim(`${Math.round(performance.now() - t0)} ms`)}`;
    write(opts.tty ? `\r\x1b[2K${line}\n` : '');
  };
  return {
    start(check) {
      const s = sectionOf(check.id);
      if (s !== section) {
        flushSection();
        section = s;
        counts = {};
        t0 = performance.now();
      }
      if (opts.tty) write(`\r\x1b[2K${pc.dim(`§${section} … ${check.id}`)}`);
    },
    verdict(v) {
      counts[v.outcome] = (counts[v.outcome] ?? 0) + 1;
      const failing = v.outcome === 'fail' || v.outcome === 'errored' || v.outcome === 'unexpected-pass' || v.outcome === 'warn';
      if (opts.tty) {
        if (failing) write(`\r\x1b[2K${failureBlock(v, opts.verbose ? 200 : 30)}`);
        return;
      }
      const why = v.outcome === 'pass' ? '' : `  ${v.message ?? ''}`;
      write(`${LABEL[v.outcome].padEnd(5)} ${v.level.padEnd(7)} ${v.id} (${v.durationMs} ms)${why}\n`);
      if (failing && v.replay) write(`      replay: ${v.replay}\n`);
    },
    finish(result) {
      flushSection();
      const by: Record<string, number> = {};
      for (const v of result.verdicts) by[v.outcome] = (by[v.outcome] ?? 0) + 1;
      const interop = result.verdicts.filter((v) => v.level === 'interop');
      // the same counts as report.json: a baselined or skipped interop check is neither a pass nor a fail
      const interopCount = (outcome: string): number => interop.filter((v) => v.outcome === outcome).length;
      const interopOther = interop.length - interopCount('pass') - interopCount('fail');
      write(
        [
          '',
          `peer: ${result.peer.describe} (${result.peer.runtime.name ?? '?'} ${result.peer.runtime.version ?? ''}), profile ${result.profile}, seed ${result.seed}`,
          `features: ${result.peer.features.join(', ') || '(none)'}`,
          `checks: ${result.verdicts.length}  ${Object.entries(by).map(([o, n]) => `${o} ${n}`).join(', ')}`,
          `interop positions (reported separately, never fail the run): ${interopCount('pass')} pass, ${interopCount('fail')} fail${interopOther ? `, ${interopOther} other (expected-failure, skipped)` : ''}`,
          certificationLine(result),
          coverageLine(result.coverage),
          `fuzz: ${result.fuzz.cases} cases in ${result.fuzz.seconds} s (${result.fuzz.casesPerSecond}/s); run ${(result.durationMs / 1000).toFixed(1)} s`,
          ...resultLines(result),
          '',
        ].join('\n'),
      );
    },
  };
}
