// `arcp conformance`: certify an ARCP runtime (arcp-kit's own, in-process, when no target is
// given). Flag parsing only; the harness lives in conformance/.
import { Command, InvalidArgumentError, Option } from 'commander';
import { DEFAULT_RUNS, DEFAULT_TIMEOUT_MS } from '../../conformance/defaults.js';
import { HARNESS_TOOLCHAIN, requireToolchain, TOOLCHAIN_MISSING_EXIT } from '../toolchain.js';

// The harness is loaded only when this command runs, so other commands start fast; its
// toolchain is an optional peer dependency, checked first (bin/toolchain.ts).
const loadHarness = async () => {
  requireToolchain('arcp conformance', HARNESS_TOOLCHAIN);
  return {
    ...(await import('../../conformance/index.js')),
    ...(await import('../../conformance/checks/pattern.js')),
    ...(await import('../../conformance/report/list.js')),
  };
};

function int(name: string) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`${name} must be a non-negative integer`);
    return n;
  };
}

const EXIT_CODES = `
Exit codes:
  0  conformant: every MUST-level check ran and passed (also an --only selection without a
     failure, and any partial run with --allow-partial; the verdict still says PARTIAL)
  1  non-conformant: a MUST-level check failed or errored, or a baseline entry is stale
  2  usage or set-up error: bad flags, an unreachable peer, a token the peer refuses (both tokens
     are tried before any check runs), or a full run left PARTIAL by a missing need (conformance
     agents, --token-b, reconnects, a setting); the run says what to add

Tokens: --token / --token-b, or env ARCP_TOKEN / ARCP_TOKEN_B. No report, trace or replay
command shows them: replay commands read "$ARCP_TOKEN" and "$ARCP_TOKEN_B".`;

export function registerConformance(program: Command): void {
  const cmd = program
    .command('conformance')
    .description('certify an ARCP v1.1 runtime: scenarios and fast-check properties per spec section, with shrunk reproducers and reports')
    .addOption(new Option('--role <role>', 'which side to certify: a runtime, or a client (the harness plays the runtime)').choices(['runtime', 'client']).default('runtime'))
    .option('--client-cmd <command>', 'with --role client: a client driver (docs/client-driver.md); default arcp-kit\'s client in-process')
    .addOption(new Option('--transport <transport>', 'with --role client: the client reaches the scripted runtime over ws, or over stdio by spawning a relay').choices(['ws', 'stdio']).default('ws'))
    .option('--target <url>', 'WebSocket URL of the runtime under test (ws://host:port/path)')
    .option('--stdio <command>', 'spawn the runtime under test and speak ARCP over its stdin/stdout')
    .option('--token <token>', 'bearer token of principal A (default: env ARCP_TOKEN; prefer the variable, flags show in `ps`)')
    .option('--token-b <token>', 'bearer token of principal B (default: env ARCP_TOKEN_B; two-principal checks are skipped without it)')
    .addOption(new Option('--profile <profile>', 'wire profile').choices(['interop', 'spec']).default('interop'))
    .option('--only <patterns>', 'comma-separated check id patterns (`*` = one segment, `**` = any)')
    .option('--list', 'list the checks (with --only: the selected ones) and exit')
    .option('--markdown', 'with --list: a Markdown table per spec section')
    .option('--seed <n>', 'fast-check seed (printed with every failure)', int('--seed'))
    .option('--runs <n>', `cases per property (default ${DEFAULT_RUNS})`, int('--runs'))
    .option('--replay-path <path>', 'fast-check path of a shrunk case (printed with a property failure)')
    .option('--timeout <ms>', `per-expectation timeout (default ${DEFAULT_TIMEOUT_MS})`, int('--timeout'))
    .option('--concurrency <n>', 'checks in flight at once, each on its own sessions (default 4; 1 = one at a time)', int('--concurrency'))
    .option('--report-dir <dir>', 'write report.json, junit.xml, report.html, certification and badges here')
    .option('--expected-failures <file>', 'baseline of known failures (id or pattern per line, optional `# message`)')
    .option('--update-baseline', 'rewrite --expected-failures from this (full) run')
    .option('--peer-limits <list>', 'limits the peer enforces that the wire does not show, so the §14 checks can probe them: result_chunk_bytes=N,result_bytes=N,sessions_per_principal=N,idle_disconnect_sec=N (any subset; without one its check is skipped)')
    .option('--allow-partial', 'exit 0 for a run left PARTIAL by a missing need (the verdict still says PARTIAL)')
    .option('--verbose', 'longer traces on the terminal')
    .addHelpText('after', `\nExit status ${TOOLCHAIN_MISSING_EXIT}: the harness toolchain (${HARNESS_TOOLCHAIN.join(', ')}) is not installed.`)
    .action(async (o) => {
      const { ALL_CHECKS, listCoverage, listMarkdown, listPlain, parsePatternList, runConformance, selectChecks } = await loadHarness();
      if (o.list) {
        const checks = selectChecks(parsePatternList(o.only), ALL_CHECKS);
        process.stdout.write(o.markdown ? listMarkdown(checks) : listPlain(checks));
        process.stdout.write(`${o.markdown ? '\n' : ''}${listCoverage(ALL_CHECKS)}`);
        return;
      }
      if (o.role === 'client') {
        try {
          const { runClientConformance } = await import('../../conformance/client-role/index.js');
          const result = await runClientConformance({
            clientCmd: o.clientCmd,
            transport: o.transport,
            token: o.token ?? process.env.ARCP_TOKEN,
            only: o.only,
            seed: o.seed,
            runs: o.runs,
            replayPath: o.replayPath,
            timeoutMs: o.timeout,
            reportDir: o.reportDir,
            expectedFailures: o.expectedFailures,
            updateBaseline: o.updateBaseline,
            allowPartial: o.allowPartial,
            write: (s) => process.stdout.write(s),
          });
          process.exitCode = result.exitCode;
        } catch (e) {
          process.stderr.write(`arcp conformance --role client: ${(e as Error).message}\n`);
          process.exitCode = 2;
        }
        return;
      }
      try {
        const result = await runConformance({
          target: o.target,
          stdio: o.stdio,
          token: o.token ?? process.env.ARCP_TOKEN,
          tokenB: o.tokenB ?? process.env.ARCP_TOKEN_B,
          profile: o.profile,
          only: o.only,
          seed: o.seed,
          runs: o.runs,
          replayPath: o.replayPath,
          timeoutMs: o.timeout,
          reportDir: o.reportDir,
          expectedFailures: o.expectedFailures,
          updateBaseline: o.updateBaseline,
          concurrency: o.concurrency,
          allowPartial: o.allowPartial,
          peerLimits: o.peerLimits,
          write: (s) => process.stdout.write(s),
        });
        process.exitCode = result.exitCode;
      } catch (e) {
        process.stderr.write(`arcp conformance: ${(e as Error).message}\n`);
        process.exitCode = 2;
      }
    });
  cmd.addHelpText('after', EXIT_CODES);
  // a flag commander rejects is a usage error: 2, never 1 ("non-conformant")
  cmd.exitOverride((err) => {
    process.exit(err.exitCode === 0 ? 0 : 2);
  });
}
