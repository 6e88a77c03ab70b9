// Public entry of the conformance harness: `runConformance` certifies a peer (arcp-kit's own
// runtime in-process by default) and writes the reports. The CLI is a thin wrapper over it.
import { ALL_CHECKS, selectChecks } from './checks/index.js';
import { parsePatternList } from './checks/pattern.js';
import type { CheckDef, Verdict } from './checks/types.js';
import { inProcessTarget, type InProcessOptions } from './driver/in-process.js';
import type { Profile } from './driver/session.js';
import { stdioTarget, webSocketTarget, type PeerTarget } from './driver/target.js';
import { parsePeerLimits } from './driver/peer-limits.js';
import { loadBaseline } from './runner/baseline.js';
import { createDisplay } from './runner/display.js';
import { runChecks, type RunResult } from './runner/run.js';
import { finishRun } from './runner/finish-run.js';
import { principalRedactor } from './report/redact.js';
import { TOKEN_A_PLACEHOLDER, TOKEN_B_PLACEHOLDER } from './runner/replay.js';
import { checkTokens, SetupError } from './runner/preflight.js';
import { DEFAULT_RUNS, DEFAULT_TIMEOUT_MS } from './defaults.js';

export type { CheckDef, Verdict, RunResult, PeerTarget, Profile };
export { ALL_CHECKS, selectChecks, SetupError };

export interface ConformanceOptions {
  target?: string;
  stdio?: string;
  token?: string;
  tokenB?: string;
  profile?: Profile;
  only?: string;
  seed?: number;
  runs?: number;
  timeoutMs?: number;
  replayPath?: string;
  reportDir?: string;
  expectedFailures?: string;
  updateBaseline?: boolean;
  /** Checks in flight at once (default 4; 1 = one after another). */
  concurrency?: number;
  /** A run left PARTIAL by a missing need exits 0 instead of 2 (the verdict still says PARTIAL). */
  allowPartial?: boolean;
  /** Limits the peer enforces that the wire does not state: `result_chunk_bytes=N,...` (driver/peer-limits.ts). */
  peerLimits?: string;
  /** A ready-made peer (e.g. a mutated runtime built by the fault suite); overrides target/stdio. */
  peer?: PeerTarget;
  /** In-process only: observation policy (see InProcessOptions). */
  observers?: InProcessOptions['observers'];
  /** Output: 'tty' live display, 'plain' lines, 'silent' nothing. */
  output?: 'tty' | 'plain' | 'silent';
  write?: (s: string) => void;
}

export { DEFAULT_RUNS, DEFAULT_TIMEOUT_MS };

async function openTarget(o: ConformanceOptions): Promise<PeerTarget> {
  if (o.peer) return o.peer;
  if (o.target && o.stdio) throw new Error('give either --target or --stdio, not both');
  if ((o.target || o.stdio) && !o.token) throw new Error('--token is required with --target or --stdio (principal A\'s bearer token)');
  if (o.target) return webSocketTarget(o.target, o.token ?? '', o.tokenB);
  if (o.stdio) return stdioTarget(o.stdio, o.token ?? '', o.tokenB);
  return inProcessTarget({ observers: o.observers });
}

/**
 * Arguments the replay command must repeat to reach the same peer the same way. Tokens are never
 * printed: the command names the variables the CLI reads them from (ARCP_TOKEN, ARCP_TOKEN_B).
 */
function replayArgs(o: ConformanceOptions): string[] {
  const args: string[] = [];
  if (o.target) args.push('--target', o.target);
  if (o.stdio) args.push('--stdio', o.stdio);
  if ((o.target || o.stdio) && o.token) args.push('--token', TOKEN_A_PLACEHOLDER);
  if ((o.target || o.stdio) && o.tokenB) args.push('--token-b', TOKEN_B_PLACEHOLDER);
  if (o.profile && o.profile !== 'interop') args.push('--profile', o.profile);
  if (o.peerLimits) args.push('--peer-limits', o.peerLimits);
  return args;
}

export async function runConformance(o: ConformanceOptions = {}): Promise<RunResult> {
  const patterns = parsePatternList(o.only);
  const checks = selectChecks(patterns);
  if (checks.length === 0) throw new Error(`no check matches ${o.only}`);
  if (o.updateBaseline && patterns.length > 0) throw new Error('--update-baseline needs a full run (drop --only)');
  if (o.updateBaseline && !o.expectedFailures) throw new Error('--update-baseline needs --expected-failures FILE');
  const baseline = o.expectedFailures && !o.updateBaseline ? loadBaseline(o.expectedFailures) : undefined;
  const declared = o.peerLimits !== undefined ? parsePeerLimits(o.peerLimits) : undefined;
  const opened = await openTarget(o);
  // declared limits add to (and override) what the target itself declares
  const target: PeerTarget = declared ? { ...opened, limits: { ...opened.limits, ...declared } } : opened;
  const output = o.output ?? (process.stdout.isTTY ? 'tty' : 'plain');
  const display = output === 'silent' ? undefined : createDisplay({ tty: output === 'tty', write: o.write });
  // every verdict is redacted before anything shows it: console, reports, baseline
  const redactor = principalRedactor(target.tokenA, target.tokenB);
  try {
    const timeoutMs = o.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const preflight = await checkTokens(target, timeoutMs).catch((e: Error) => {
      throw e instanceof SetupError ? new SetupError(redactor.text(e.message)) : e;
    });
    const raw = await runChecks({
      config: {
        target,
        profile: o.profile ?? 'interop',
        timeoutMs,
        seed: o.seed ?? Date.now() % 2 ** 31,
        runs: o.runs ?? DEFAULT_RUNS,
        replayPath: o.replayPath,
        concurrency: o.concurrency,
        hostsConformanceAgents: preflight.hostsConformanceAgents,
      },
      checks,
      baseline,
      onStart: display?.start,
      onVerdict: display ? (v) => display.verdict(redactor.verdict(v)) : undefined,
      replayArgs: replayArgs(o),
    });
    return finishRun(raw, redactor, display, { ...o, only: patterns.length ? o.only : undefined, selected: checks.length, total: ALL_CHECKS.length });
  } finally {
    await target.dispose();
  }
}
