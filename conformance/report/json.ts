// The machine-readable report (stable schema: report.schema.json, version `arcp-conformance/1`).
import type { RunResult } from '../runner/run.js';
import { certify } from './certification.js';

export const REPORT_SCHEMA_VERSION = 'arcp-conformance/1';

export function buildJsonReport(result: RunResult): Record<string, unknown> {
  const byOutcome: Record<string, number> = {};
  for (const v of result.verdicts) byOutcome[v.outcome] = (byOutcome[v.outcome] ?? 0) + 1;
  const interop = result.verdicts.filter((v) => v.level === 'interop');
  return {
    schema: REPORT_SCHEMA_VERSION,
    harness: { name: 'arcp-kit conformance', version: '0.1.0' },
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
    summary: {
      total: result.verdicts.length,
      byOutcome,
      mustFailures: result.verdicts.filter((v) => v.level === 'MUST' && (v.outcome === 'fail' || v.outcome === 'errored')).length,
      interop: { pass: interop.filter((v) => v.outcome === 'pass').length, fail: interop.filter((v) => v.outcome === 'fail').length },
    },
    certification: certify(result.verdicts, result.peer.features),
    exitCode: result.exitCode,
    checks: result.verdicts.map((v) => ({
      id: v.id,
      spec: v.spec,
      level: v.level,
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
