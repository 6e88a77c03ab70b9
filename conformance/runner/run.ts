// Runs the selected checks against the peer and grades each verdict. Independent checks run
// concurrently on their own sessions (schedule.ts); verdicts come back in declared order.
import { judgeCheck } from './judge-thrown.js';
import type { CheckDef, Outcome, Verdict } from '../checks/types.js';
import { applyBaseline, type BaselineEntry } from './baseline.js';
import { CheckContext, type PeerInfo, type RunConfig } from './context.js';
import { exitCodeFor } from './exit-code.js';
import { probePeer } from './probe.js';
import { replayCommand } from './replay.js';
import { DEFAULT_CONCURRENCY, runOrdered, runsAlone, runsLast, startsFirst } from './schedule.js';
import { RoundTrips } from '../driver/round-trips.js';
import { coverage, type Coverage } from '../statements/statements.js';
import type { RunVerdict, Selection } from '../report/run-verdict.js';

export interface RunOptions {
  readonly config: RunConfig;
  readonly checks: readonly CheckDef[];
  readonly baseline?: readonly BaselineEntry[];
  /** Called when each check starts / ends (live display). */
  readonly onStart?: (check: CheckDef) => void;
  readonly onVerdict?: (v: Verdict) => void;
  /** Extra CLI arguments the replay command must repeat (target, tokens, profile). */
  readonly replayArgs?: readonly string[];
  /** Hard cap per check, ms. */
  readonly checkTimeoutMs?: number;
}

export interface RunResult {
  /** Which role was certified: a runtime (default) or a client (`--role client`). */
  readonly role?: 'runtime' | 'client';
  readonly startedAt: string;
  readonly durationMs: number;
  readonly peer: PeerInfo & { readonly describe: string };
  readonly profile: string;
  readonly seed: number;
  readonly runs: number;
  readonly verdicts: readonly Verdict[];
  readonly fuzz: { readonly cases: number; readonly seconds: number; readonly casesPerSecond: number };
  /** 0 conformant (or an accepted partial), 1 non-conformant, 2 usage/set-up error (report/run-verdict.ts). */
  readonly exitCode: 0 | 1 | 2;
  /** Statements of conformance/statements.json tested by the checks that ran in this run. */
  readonly coverage: Coverage;
  /** Which part of the registry the run selected (`--only`). */
  readonly selection?: Selection;
  /** The run's verdict (CONFORMANT / NON-CONFORMANT / PARTIAL) and what is missing to complete it. */
  readonly verdict?: RunVerdict;
}

function gate(check: CheckDef, config: RunConfig, peer: PeerInfo): { outcome: Outcome; message: string } | undefined {
  if (check.feature && !peer.features.includes(check.feature)) {
    return { outcome: 'not-applicable', message: `feature ${check.feature} not negotiated` };
  }
  for (const need of check.needs ?? []) {
    if (need === 'two-principals' && !config.target.tokenB) return { outcome: 'skipped', message: 'needs a second principal (--token-b)' };
    if (need === 'reconnect' && !config.target.multiConnection) {
      return { outcome: 'skipped', message: 'needs reconnects to the same runtime (not possible over --stdio)' };
    }
    if (need === 'spec-profile' && config.profile !== 'spec') return { outcome: 'skipped', message: 'runs under --profile spec only' };
    if (need === 'interop-profile' && config.profile !== 'interop') return { outcome: 'skipped', message: 'runs under --profile interop only' };
  }
  if (check.agents && config.hostsConformanceAgents === false) {
    return { outcome: 'skipped', message: `peer does not host ${check.agents.join(', ')} (docs/conformance-agents.md)` };
  }
  // the inventory is authoritative once it lists anything or agent_versions was negotiated (§7.5)
  if (check.agents && (peer.agents.length > 0 || peer.features.includes('agent_versions'))) {
    const hosted = new Set(peer.agents.map((a) => a.name));
    const missing = check.agents.filter((a) => !hosted.has(a));
    if (missing.length) return { outcome: 'skipped', message: `peer does not host ${missing.join(', ')} (docs/conformance-agents.md)` };
  }
  return undefined;
}

async function runOne(check: CheckDef, opts: RunOptions, peer: PeerInfo): Promise<{ verdict: Verdict; cases: number; ms: number }> {
  const { config } = opts;
  const base = { id: check.id, statements: check.statements, spec: check.spec, level: check.level, gradeReason: check.gradeReason, kind: check.kind, title: check.title, feature: check.feature };
  const gated = gate(check, config, peer);
  if (gated) return { verdict: { ...base, ...gated, durationMs: 0 }, cases: 0, ms: 0 };
  const ctx = new CheckContext(config, peer, check);
  const { verdict, ms } = await judgeCheck(() => check.run(ctx), ctx, check, {
    capMs: opts.checkTimeoutMs ?? 45_000,
    seed: config.seed,
    peer: 'peer',
    sender: 'peer',
    replay: (path) => replayCommand(check.id, config.seed, path, opts.replayArgs ?? []),
  });
  return { verdict: { ...base, ...verdict }, cases: check.kind === 'property' ? ctx.cases : 0, ms };
}

/** Probes the peer, then runs and grades every check. */
export async function runChecks(opts: RunOptions): Promise<RunResult> {
  const startedAt = new Date().toISOString();
  const t0 = performance.now();
  // one round-trip record for the whole run: every connection's reply waits follow it
  const config: RunConfig = { ...opts.config, roundTrips: opts.config.roundTrips ?? new RoundTrips() };
  const peer = await probePeer(config.target, config.timeoutMs, config.roundTrips);
  const verdicts: Verdict[] = [];
  let cases = 0;
  let propertyMs = 0;
  await runOrdered(
    opts.checks,
    config.concurrency ?? DEFAULT_CONCURRENCY,
    { alone: runsAlone, first: startsFirst, last: runsLast },
    (check) => runOne(check, { ...opts, config }, peer),
    (check, r) => {
      const graded = opts.baseline ? applyBaseline(r.verdict, opts.baseline) : r.verdict;
      cases += r.cases;
      if (check.kind === 'property') propertyMs += r.ms;
      verdicts.push(graded);
      opts.onStart?.(check);
      opts.onVerdict?.(graded);
    },
  );
  const seconds = propertyMs / 1000;
  return {
    startedAt,
    durationMs: Math.round(performance.now() - t0),
    peer: { ...peer, describe: config.target.describe },
    profile: config.profile,
    seed: config.seed,
    runs: config.runs,
    verdicts,
    fuzz: { cases, seconds: Math.round(seconds * 100) / 100, casesPerSecond: seconds > 0 ? Math.round((cases / seconds) * 10) / 10 : 0 },
    exitCode: exitCodeFor(verdicts),
    coverage: coverage(opts.checks, new Set(verdicts.filter((v) => v.outcome !== 'skipped' && v.outcome !== 'not-applicable').map((v) => v.id))),
  };
}
