// Runs the client-role checks one after another, each against a fresh scripted runtime and a
// fresh client driver, and grades them exactly like the runtime checks (same Verdict, baseline,
// exit code and reports; `role: 'client'`).
import { judgeCheck } from '../runner/judge-thrown.js';
import type { Verdict } from '../checks/types.js';
import { Recorder } from '../driver/recorder.js';
import { applyBaseline, type BaselineEntry } from '../runner/baseline.js';
import { exitCodeFor } from '../runner/exit-code.js';
import { replayCommand } from '../runner/replay.js';
import type { RunResult } from '../runner/run.js';
import type { ClientCheckDef } from './check-types.js';
import { ClientUnderTest } from './client-under-test.js';
import { advertised, ClientCheckContext, STDIO_SPAWN_ALLOWANCE_MS, type ClientInfo, type ClientRunConfig } from './context.js';
import { welcome, ids } from './frames.js';
import { ScriptedRuntime } from './scripted-runtime.js';
import { field } from '../driver/wire.js';
import { clientCoverage } from './coverage.js';

export interface ClientRunOptions {
  readonly config: ClientRunConfig;
  readonly checks: readonly ClientCheckDef[];
  readonly baseline?: readonly BaselineEntry[];
  readonly onStart?: (check: ClientCheckDef) => void;
  readonly onVerdict?: (v: Verdict) => void;
  readonly replayArgs?: readonly string[];
}

/** The probe: one handshake to learn the client's identity and advertised features. */
export async function probeClient(config: ClientRunConfig): Promise<ClientInfo> {
  const recorder = new Recorder();
  const runtime = await ScriptedRuntime.start(() => recorder, config.timeoutMs);
  if (config.transport === 'stdio') runtime.acceptAllowanceMs = STDIO_SPAWN_ALLOWANCE_MS;
  const client = new ClientUnderTest(config.makeDriver(), () => recorder, config.timeoutMs);
  try {
    const endpoint = config.transport === 'stdio' && config.relayCommand
      ? { url: runtime.url, transport: 'stdio' as const, command: config.relayCommand(runtime.url) }
      : { url: runtime.url };
    const reply = client.do({ op: 'connect', ...endpoint, token: config.token });
    reply.catch(() => undefined);
    const conn = await runtime.accept(config.timeoutMs * 3, 'a connection (probe)');
    const hello = await conn.nextType('session.hello');
    conn.send(welcome(ids.session(), ids.token(), { features: advertised(hello) }));
    await reply.catch(() => undefined);
    const name = field(hello, 'payload', 'client', 'name');
    const version = field(hello, 'payload', 'client', 'version');
    return {
      runtime: { name: typeof name === 'string' ? name : 'unknown', version: typeof version === 'string' ? version : 'unknown' },
      features: advertised(hello),
      agents: [],
    };
  } catch (e) {
    throw new Error(`the client under test never completed a handshake with the scripted runtime: ${(e as Error).message}`);
  } finally {
    await client.dispose().catch(() => undefined);
    await runtime.close();
  }
}

async function runOne(check: ClientCheckDef, opts: ClientRunOptions, peer: ClientInfo): Promise<{ verdict: Verdict; cases: number; ms: number }> {
  const { config } = opts;
  const base = { id: check.id, statements: check.statements, spec: check.spec, level: check.level, gradeReason: check.gradeReason, kind: check.kind, title: check.title, feature: check.feature };
  if (check.feature && !peer.features.includes(check.feature)) {
    return { verdict: { ...base, outcome: 'not-applicable', message: `the client does not advertise ${check.feature}`, durationMs: 0 }, cases: 0, ms: 0 };
  }
  const ctx = new ClientCheckContext(config, peer, check);
  const { verdict, ms } = await judgeCheck(() => check.run(ctx), ctx, check, {
    capMs: check.kind === 'property' ? 45_000 : 20_000,
    seed: config.seed,
    peer: 'client driver',
    sender: 'the client',
    replay: (path) => replayCommand(check.id, config.seed, path, ['--role', 'client', ...(opts.replayArgs ?? [])]),
  });
  return { verdict: { ...base, ...verdict }, cases: check.kind === 'property' ? ctx.cases : 0, ms };
}

export async function runClientChecks(opts: ClientRunOptions): Promise<RunResult> {
  const startedAt = new Date().toISOString();
  const t0 = performance.now();
  const peer = await probeClient(opts.config);
  const verdicts: Verdict[] = [];
  let cases = 0;
  let propertyMs = 0;
  for (const check of opts.checks) {
    opts.onStart?.(check as never);
    const r = await runOne(check, opts, peer);
    const graded = opts.baseline ? applyBaseline(r.verdict, opts.baseline) : r.verdict;
    cases += r.cases;
    if (check.kind === 'property') propertyMs += r.ms;
    verdicts.push(graded);
    opts.onVerdict?.(graded);
  }
  const seconds = propertyMs / 1000;
  return {
    role: 'client',
    startedAt,
    durationMs: Math.round(performance.now() - t0),
    peer: { ...peer, describe: opts.config.describe },
    profile: 'interop',
    seed: opts.config.seed,
    runs: opts.config.runs,
    verdicts,
    fuzz: { cases, seconds: Math.round(seconds * 100) / 100, casesPerSecond: seconds > 0 ? Math.round((cases / seconds) * 10) / 10 : 0 },
    exitCode: exitCodeFor(verdicts),
    coverage: clientCoverage(opts.checks, new Set(verdicts.filter((v) => v.outcome !== 'skipped' && v.outcome !== 'not-applicable').map((v) => v.id))),
  };
}
