// The last steps every run shares, whatever role it certified: redact, judge, display, write
// reports, and (with --update-baseline) record the failures as expected.
import type { Display } from './display.js';
import type { RunResult } from './run.js';
import { writeBaseline } from './baseline.js';
import { writeReports } from '../report/write.js';
import { judgeRun } from '../report/run-verdict.js';
import type { principalRedactor } from '../report/redact.js';

export interface FinishOptions {
  readonly only?: string;
  readonly selected: number;
  readonly total: number;
  readonly allowPartial?: boolean;
  readonly reportDir?: string;
  readonly updateBaseline?: boolean;
  readonly expectedFailures?: string;
  readonly write?: (s: string) => void;
}

export async function finishRun(raw: RunResult, redactor: ReturnType<typeof principalRedactor>, display: Display | undefined, o: FinishOptions): Promise<RunResult> {
  const selection = { only: o.only, selected: o.selected, total: o.total };
  const verdict = judgeRun(raw.verdicts, selection, { allowPartial: o.allowPartial });
  const result: RunResult = { ...redactor.result(raw), selection, verdict, exitCode: verdict.exitCode };
  display?.finish(result);
  if (o.reportDir) await writeReports(o.reportDir, result);
  if (o.updateBaseline && o.expectedFailures) {
    const n = writeBaseline(o.expectedFailures, result.verdicts);
    o.write?.(`baseline ${o.expectedFailures}: ${n} expected failures\n`);
    return { ...result, exitCode: 0 };
  }
  return result;
}
