// What `arcp jobs`, `arcp watch` and `arcp cancel` share: where the runtime is (--url or
// $ARCP_URL, or --stdio), who we are (--token or $ARCP_TOKEN), one client session around the
// command, and how it ends: with --json the last line is a final record
// `{"type":"final","code","retryable","final_status","exit"}`; a failure prints
// `ERROR <CODE>: message` to stderr and exits with the status of EXIT_STATUS (as `arcp submit`).
import { Option, type Command } from 'commander';
import type { ARCPClient, FinalStatus } from '../../runtime-kit/client/index.js';
import type { Transport } from '../../runtime-kit/transport/types.js';
import { EXIT_STATUS, splitCommand } from './submit.js';

export interface RemoteFlags {
  url?: string;
  stdio?: string;
  token?: string;
  json?: boolean;
}

export class UsageError extends Error {}

/** `--url`, `--stdio`, `--token`, `--json`, with the environment as defaults. */
export function addRemoteOptions(command: Command): Command {
  return command
    .addOption(new Option('--url <url>', 'runtime WebSocket URL (ws:// or wss://)').env('ARCP_URL'))
    .option('--stdio <command>', 'spawn a runtime speaking NDJSON on stdio instead of --url')
    .addOption(new Option('--token <token>', 'bearer token').env('ARCP_TOKEN'))
    .option('--json', 'JSON lines, ending with a final record {type:"final", code, retryable, final_status, exit}');
}

/** The exit-status table as `--help` prints it. */
export function exitStatusHelp(): string {
  const codes = Object.entries(EXIT_STATUS).map(([c, n]) => `${n} ${c}`).join(', ');
  return `Exit status: 0 success, 1 other failure, ${codes}.`;
}

export interface Outcome {
  code: string;
  retryable: boolean | null;
  finalStatus: FinalStatus | null;
  exit: number;
}

export const OK: Outcome = { code: 'OK', retryable: null, finalStatus: null, exit: 0 };

/** The outcome of a thrown error: its ARCP (or kit) code, retryable flag and exit status. */
export function outcomeOf(err: unknown): Outcome & { message: string } {
  const e = err as { code?: unknown; retryable?: unknown };
  const code = err instanceof UsageError ? 'USAGE' : typeof e?.code === 'string' ? e.code : 'ERROR';
  const exit = code.startsWith('ARCP_KIT_CONNECT') ? EXIT_STATUS.CONNECT! : EXIT_STATUS[code] ?? 1;
  return { code, retryable: typeof e?.retryable === 'boolean' ? e.retryable : null, finalStatus: null, exit, message: err instanceof Error ? err.message : String(err) };
}

export function jsonLine(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

/** Prints how the command ended (final record with --json, ERROR line on failure); returns the exit status. */
export function finish(flags: RemoteFlags, outcome: Outcome & { message?: string }): number {
  if (outcome.exit !== 0 && outcome.message !== undefined) process.stderr.write(`ERROR ${outcome.code}: ${outcome.message}\n`);
  if (flags.json) jsonLine({ type: 'final', code: outcome.code, retryable: outcome.retryable, final_status: outcome.finalStatus, exit: outcome.exit });
  return outcome.exit;
}

async function openTransport(flags: RemoteFlags): Promise<Transport> {
  if (flags.url) return (await import('../../runtime-kit/transport/websocket-client.js')).connectWebSocket(flags.url);
  const [command, ...args] = splitCommand(flags.stdio ?? '');
  if (!command) throw new UsageError('--stdio needs a command');
  return (await import('../../runtime-kit/transport/stdio.js')).spawnStdioTransport(command, args, { stderr: 'inherit' });
}

/**
 * Runs `body` in one client session and turns what happens into an exit status. `connect`
 * replaces the plain handshake (e.g. `arcp cancel --session` resumes the submitting session).
 */
export async function withSession(
  flags: RemoteFlags,
  body: (client: ARCPClient) => Promise<Outcome>,
  connect?: (client: ARCPClient, transport: Transport) => Promise<unknown>,
): Promise<number> {
  if (!flags.token) return finish(flags, outcomeOf(new UsageError('a bearer token is required (--token or $ARCP_TOKEN)')));
  if (!flags.url === !flags.stdio) return finish(flags, outcomeOf(new UsageError('give exactly one of --url (or $ARCP_URL) or --stdio')));
  let transport: Transport;
  try {
    transport = await openTransport(flags);
  } catch (err) {
    return finish(flags, outcomeOf(err));
  }
  const { ARCPClient } = await import('../../runtime-kit/client/index.js');
  const client = new ARCPClient({ client: { name: 'arcp-cli', version: '0.1.0' }, token: flags.token, handshakeTimeoutMs: flags.stdio ? 60_000 : 10_000 });
  try {
    await (connect ? connect(client, transport) : client.connect(transport));
    return finish(flags, await body(client));
  } catch (err) {
    return finish(flags, outcomeOf(err));
  } finally {
    await client.close().catch(() => undefined);
    await transport.close().catch(() => undefined);
  }
}
