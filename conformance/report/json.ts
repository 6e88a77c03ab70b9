// The machine-readable report (stable schema: report.schema.json, version `arcp-conformance/1`).
import type { RunResult } from '../runner/run.js';
import { certifyRun, runVerdictOf } from './certification.js';
import { coverageLine } from '../statements/statements.js';
import { HARNESS } from '../defaults.js';

export const REPORT_SCHEMA_VERSION = 'arcp-conformance/1';

export function buildJsonReport(result: RunResult): Record<string, unknown> {
  const byOutcome: Record<string, number> = {};
  for (const v of result.verdicts) byOutcome[v.outcome] = (byOutcome[v.outcome] ?? 0) + 1;
  const interop = result.verdicts.filter((v) => v.level === 'interop');
  return {
    schema: REPORT_SCHEMA_VERSION,
    role: result.role ?? 'runtime',
    harness: HARNESS,
    startedAt: result.startedAt,
    durationMs: result.durationMs,
    profile: result.profile,
    seed: result.seed,
    runs: result.runs,
    peer: {
      describe: result.peer.describe,
      runtime: result.peer.runtime,
      features: result.peer.features,
      agents: result.peer.agents,
    },
    fuzz: result.fuzz,
    coverage: { ...result.coverage, line: coverageLine(result.coverage) },
    summary: {
      total: result.verdicts.length,
      byOutcome,
      mustFailures: result.verdicts.filter((v) => v.level === 'MUST' && (v.outcome === 'fail' || v.outcome === 'errored')).length,
      interop: { pass: interop.filter((v) => v.outcome === 'pass').length, fail: interop.filter((v) => v.outcome === 'fail').length },
    },
    verdict: runVerdictOf(result),
    ...(result.selection ? { selection: result.selection } : {}),
    certification: certifyRun(result),
    exitCode: result.exitCode,
    checks: result.verdicts.map((v) => ({
      id: v.id,
      ...(v.statements?.length ? { statements: v.statements } : {}),
      spec: v.spec,
      level: v.level,
      ...(v.gradeReason ? { gradeReason: v.gradeReason } : {}),
      kind: v.kind,
      title: v.title,
      ...(v.feature ? { feature: v.feature } : {}),
      outcome: v.outcome,
      ...(v.message !== undefined ? { message: v.message } : {}),
      durationMs: v.durationMs,
      ...(v.property ? { property: v.property } : {}),
      ...(v.replay ? { replay: v.replay } : {}),
      ...(v.trace ? { trace: v.trace } : {}),
    })),
  };
}
