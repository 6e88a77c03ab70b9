// `arcp conformance --role client`: the harness plays the runtime and certifies a client, either
// arcp-kit's own (in-process, the default) or any client wrapped by a driver (--client-cmd,
// docs/client-driver.md). Same reports, baseline and exit codes as the runtime role.
import { parsePatternList } from '../checks/pattern.js';
import { loadBaseline } from '../runner/baseline.js';
import { createDisplay } from '../runner/display.js';
import type { RunResult } from '../runner/run.js';
import { principalRedactor } from '../report/redact.js';
import { DEFAULT_RUNS, DEFAULT_TIMEOUT_MS } from '../defaults.js';
import { CLIENT_CHECKS, selectClientChecks } from './checks/index.js';
import type { DriverLink } from './client-under-test.js';
import { arcpKitDriverLink, type ArcpKitDriverHooks } from './drivers/arcp-kit.js';
import { subprocessDriverLink } from './drivers/subprocess.js';
import { runClientChecks } from './run.js';
import { finishRun } from '../runner/finish-run.js';
import { stdioRelayCommand } from './relay-command.js';

export { CLIENT_CHECKS, selectClientChecks };
export type { ClientCheckDef } from './check-types.js';

export interface ClientConformanceOptions {
  /** Shell command starting a client driver; absent = arcp-kit's client in-process. */
  clientCmd?: string;
  /** Token the driver is told to present (any string: the scripted runtime accepts it). */
  token?: string;
  only?: string;
  seed?: number;
  runs?: number;
  timeoutMs?: number;
  replayPath?: string;
  reportDir?: string;
  expectedFailures?: string;
  updateBaseline?: boolean;
  /** A run left PARTIAL by a missing need exits 0 instead of 2 (the verdict still says PARTIAL). */
  allowPartial?: boolean;
  /** In-process only: fault hooks applied to arcp-kit's client (conformance/test/client-faults). */
  hooks?: ArcpKitDriverHooks;
  /** How the client reaches the scripted runtime: WebSocket (default) or stdio through a relay child. */
  transport?: 'ws' | 'stdio';
  /** Replaces the driver factory entirely (tests). */
  makeDriver?: () => DriverLink;
  output?: 'tty' | 'plain' | 'silent';
  write?: (s: string) => void;
}

export async function runClientConformance(o: ClientConformanceOptions = {}): Promise<RunResult> {
  const patterns = parsePatternList(o.only);
  const checks = selectClientChecks(patterns);
  if (checks.length === 0) throw new Error(`no client check matches ${o.only}`);
  if (o.updateBaseline && patterns.length > 0) throw new Error('--update-baseline needs a full run (drop --only)');
  if (o.updateBaseline && !o.expectedFailures) throw new Error('--update-baseline needs --expected-failures FILE');
  const baseline = o.expectedFailures && !o.updateBaseline ? loadBaseline(o.expectedFailures) : undefined;
  const makeDriver = o.makeDriver ?? (o.clientCmd ? () => subprocessDriverLink(o.clientCmd!) : () => arcpKitDriverLink(o.hooks));
  const describe = o.clientCmd ? `client driver: ${o.clientCmd}` : 'arcp-kit client (in-process)';
  const output = o.output ?? (process.stdout.isTTY ? 'tty' : 'plain');
  const display = output === 'silent' ? undefined : createDisplay({ tty: output === 'tty', write: o.write });
  const replayArgs = [...(o.clientCmd ? ['--client-cmd', o.clientCmd] : []), ...(o.transport === 'stdio' ? ['--transport', 'stdio'] : [])];
  const token = o.token ?? 'client-conformance-token';
  // the client presents the token in every hello: no report or console line shows it
  const redactor = principalRedactor(token, undefined);
  const raw = await runClientChecks({
    config: {
      makeDriver,
      describe,
      token,
      timeoutMs: o.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      seed: o.seed ?? Date.now() % 2 ** 31,
      runs: o.runs ?? DEFAULT_RUNS,
      replayPath: o.replayPath,
      transport: o.transport ?? 'ws',
      relayCommand: stdioRelayCommand,
    },
    checks,
    baseline,
    onStart: display?.start as never,
    onVerdict: display ? (v) => display.verdict(redactor.verdict(v)) : undefined,
    replayArgs,
  });
  return finishRun(raw, redactor, display, { ...o, only: patterns.length ? o.only : undefined, selected: checks.length, total: CLIENT_CHECKS.length });
}
