// `arcp submit AGENT`: submit one job to a runtime (ws URL or a spawned stdio child), stream its
// events, print its result. On a TTY progress renders as a bar and events as short lines; piped
// (or with --json) every event and the result are JSON lines. A failure prints
// `ERROR <CODE>: message` to stderr and exits with the status listed in EXIT_STATUS.
import type { Command } from 'commander';
import type { ARCPClient, Credential, JobEvent, JobHandle, JobResult } from '../../runtime-kit/client/index.js';
import { redactSecrets, rotationOf, REDACTED } from '../../runtime-kit/client/credential-values.js';
// The client and transports are imported when the command runs, so `arcp --help` stays fast.
import type { Transport } from '../../runtime-kit/transport/types.js';

/** Exit status per failure; stable, documented in `arcp submit --help`. */
export const EXIT_STATUS: Readonly<Record<string, number>> = {
  USAGE: 2,
  CONNECT: 3,
  PERMISSION_DENIED: 10,
  LEASE_SUBSET_VIOLATION: 11,
  JOB_NOT_FOUND: 12,
  DUPLICATE_KEY: 13,
  AGENT_NOT_AVAILABLE: 14,
  AGENT_VERSION_NOT_AVAILABLE: 15,
  CANCELLED: 16,
  TIMEOUT: 17,
  RESUME_WINDOW_EXPIRED: 18,
  HEARTBEAT_LOST: 19,
  LEASE_EXPIRED: 20,
  BUDGET_EXHAUSTED: 21,
  INVALID_REQUEST: 22,
  UNAUTHENTICATED: 23,
  INTERNAL_ERROR: 24,
};
const OTHER_FAILURE = 1;

interface SubmitFlags {
  input: string;
  url?: string;
  stdio?: string;
  token?: string;
  lease?: string;
  expiresAt?: string;
  idempotencyKey?: string;
  maxRuntime?: string;
  json?: boolean;
}

class UsageError extends Error {}

export function registerSubmit(program: Command): void {
  const codes = Object.entries(EXIT_STATUS).map(([c, n]) => `${n} ${c}`).join(', ');
  program
    .command('submit')
    .description('Submit a job, stream its events and print its result')
    .argument('<agent>', 'agent name, optionally name@version')
    .option('--input <json>', 'job input as JSON', '{}')
    .option('--url <url>', 'runtime WebSocket URL (ws:// or wss://)')
    .option('--stdio <command>', 'spawn a runtime speaking NDJSON on stdio, e.g. "node bin/arcp.mjs serve --stdio"')
    .option('--token <token>', 'bearer token (default: $ARCP_TOKEN)')
    .option('--lease <json>', 'lease request, e.g. \'{"fs.read":["/tmp/**"]}\'')
    .option('--expires-at <iso>', 'lease expiry, ISO 8601 UTC with Z (§9.5)')
    .option('--idempotency-key <key>', 'idempotency key (§7.2)')
    .option('--max-runtime <sec>', 'max_runtime_sec (§7.1)')
    .option('--json', 'JSON lines even on a TTY')
    .addHelpText('after', `\nExit status: 0 success, 1 other failure, ${codes}.`)
    .action(async (agent: string, flags: SubmitFlags) => {
      process.exitCode = await runSubmit(agent, flags);
    });
}

async function runSubmit(agent: string, flags: SubmitFlags): Promise<number> {
  let request;
  try {
    request = parseRequest(agent, flags);
  } catch (err) {
    return fail('USAGE', (err as Error).message, EXIT_STATUS.USAGE!);
  }
  const out = flags.json || !process.stdout.isTTY ? new JsonLines() : new TtyRenderer();
  let transport: Transport;
  try {
    transport = await openTransport(flags);
  } catch (err) {
    return failWith(err, EXIT_STATUS.CONNECT!);
  }
  // A spawned stdio runtime has to boot before it can answer the hello: allow it longer.
  const { ARCPClient } = await import('../../runtime-kit/client/index.js');
  const client = new ARCPClient({ client: { name: 'arcp-cli', version: '0.1.0' }, token: request.token, handshakeTimeoutMs: flags.stdio ? 60_000 : 10_000 });
  // Learn credential values as they arrive, before anything is printed (they are redacted).
  client.on('credentials', ({ credentials }) => out.credentials(credentials));
  let handle: JobHandle | undefined;
  const onSigint = (): void => {
    // First Ctrl-C cancels the job (§7.4); a second one leaves at once.
    if (handle && !handle.isSettled) void handle.cancel('interrupted').catch(() => undefined);
    else process.exit(130);
    process.once('SIGINT', () => process.exit(130));
  };
  process.once('SIGINT', onSigint);
  try {
    await client.connect(transport);
    handle = await client.submit({ ...request.submit, agent });
    out.accepted(handle, { sessionId: client.sessionId, resumeToken: client.resumeToken });
    for await (const ev of handle.events()) out.event(ev);
    out.result(await handle.done);
    return 0;
  } catch (err) {
    out.end();
    return failWith(err, OTHER_FAILURE);
  } finally {
    process.removeListener('SIGINT', onSigint);
    await client.close().catch(() => undefined);
    await transport.close().catch(() => undefined);
  }
}

function parseRequest(agent: string, flags: SubmitFlags) {
  const token = flags.token ?? process.env.ARCP_TOKEN;
  if (!token) throw new UsageError('a bearer token is required (--token or $ARCP_TOKEN)');
  if (!flags.url === !flags.stdio) throw new UsageError('give exactly one of --url or --stdio');
  if (!agent) throw new UsageError('AGENT is required');
  const submit: Parameters<ARCPClient['submit']>[0] = { agent, input: parseJson('--input', flags.input) };
  if (flags.lease !== undefined) {
    const lease = parseJson('--lease', flags.lease);
    if (typeof lease !== 'object' || lease === null || Array.isArray(lease)) throw new UsageError('--lease must be a JSON object of capability -> patterns');
    submit.leaseRequest = lease as Record<string, string[]>;
  }
  if (flags.expiresAt !== undefined) {
    if (!/Z$/.test(flags.expiresAt) || Number.isNaN(Date.parse(flags.expiresAt))) throw new UsageError('--expires-at must be an ISO 8601 UTC time ending in Z');
    submit.leaseConstraints = { expires_at: flags.expiresAt };
  }
  if (flags.idempotencyKey !== undefined) submit.idempotencyKey = flags.idempotencyKey;
  if (flags.maxRuntime !== undefined) {
    const n = Number(flags.maxRuntime);
    if (!Number.isInteger(n) || n <= 0) throw new UsageError('--max-runtime must be a positive integer (seconds)');
    submit.maxRuntimeSec = n;
  }
  return { token, submit };
}

function parseJson(flag: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${flag} is not valid JSON: ${(err as Error).message}`);
  }
}

async function openTransport(flags: SubmitFlags): Promise<Transport> {
  if (flags.url) return (await import('../../runtime-kit/transport/websocket-client.js')).connectWebSocket(flags.url);
  const [command, ...args] = splitCommand(flags.stdio!);
  if (!command) throw new UsageError('--stdio needs a command');
  return (await import('../../runtime-kit/transport/stdio.js')).spawnStdioTransport(command, args, { stderr: 'inherit' });
}

/** Splits "cmd 'a b' c" into words: whitespace separates, single/double quotes group. */
export function splitCommand(text: string): string[] {
  const words: string[] = [];
  const re = /"([^"]*)"|'([^']*)'|(\S+)/g;
  for (let m = re.exec(text); m; m = re.exec(text)) words.push(m[1] ?? m[2] ?? m[3]!);
  return words;
}

function failWith(err: unknown, fallback: number): number {
  const code = typeof (err as { code?: unknown })?.code === 'string' ? (err as { code: string }).code : 'ERROR';
  const message = err instanceof Error ? err.message : String(err);
  return fail(code, message, EXIT_STATUS[code] ?? fallback);
}

function fail(code: string, message: string, status: number): number {
  process.stderr.write(`ERROR ${code}: ${message}\n`);
  return status;
}

/** Bytes results are printed as base64 so the output stays text. */
function printable(result: unknown): unknown {
  return result instanceof Uint8Array ? { encoding: 'base64', data: Buffer.from(result).toString('base64') } : result;
}

/** What `arcp cancel --session --resume-token` needs to act as the submitting session. */
interface SessionRef {
  sessionId: string | undefined;
  resumeToken: string | undefined;
}

interface Renderer {
  /** Credentials issued or rotated: their values must never be printed. */
  credentials(creds: readonly Credential[]): void;
  accepted(h: JobHandle, session: SessionRef): void;
  event(ev: JobEvent): void;
  result(r: JobResult): void;
  end(): void;
}

/**
 * Credential values are never printed (§9.8, §14): the ones issued in job.accepted and every
 * rotated one are remembered as they arrive, and each output line is redacted against them.
 */
class JsonLines implements Renderer {
  private readonly secrets = new Set<string>();
  private issued: Credential[] | undefined;
  private line(obj: unknown): void {
    process.stdout.write(`${JSON.stringify(redactSecrets(obj, this.secrets))}\n`);
  }
  credentials(creds: readonly Credential[]): void {
    this.issued ??= [...creds];
    for (const c of creds) this.secrets.add(c.value);
  }
  accepted(h: JobHandle, session: SessionRef): void {
    // The handle forgets values at the terminal, which may already have arrived: print what was issued.
    if (h.credentials) this.credentials(h.credentials);
    const credentials = this.issued?.map((c) => ({ ...c, value: REDACTED }));
    this.line({ type: 'accepted', job_id: h.jobId, agent: h.agentRef, lease: h.lease, budget: h.budget, credentials, session_id: session.sessionId, resume_token: session.resumeToken });
  }
  event(ev: JobEvent): void {
    const rotated = rotationOf(ev.kind, ev.body);
    if (rotated) this.secrets.add(rotated.value);
    this.line({ type: 'event', seq: ev.seq, kind: ev.kind, ts: ev.ts, body: ev.body });
  }
  result(r: JobResult): void {
    this.line({ type: 'result', final_status: r.finalStatus, result: printable(r.result), result_id: r.resultId, result_size: r.resultSize, summary: r.summary });
  }
  end(): void {}
}

/** The one line a TTY shows for an event: its human-readable field, else its JSON body. */
function eventText(ev: JobEvent): string {
  switch (ev.kind) {
    case 'log':
      return ev.body.message;
    case 'thought':
      return ev.body.text;
    case 'status':
      return ev.body.message ?? ev.body.phase;
    case 'metric':
      return ev.body.name;
    case 'tool_call':
      return ev.body.tool;
    default:
      return JSON.stringify(ev.body ?? {});
  }
}

class TtyRenderer implements Renderer {
  private barShown = false;
  private readonly secrets = new Set<string>();
  credentials(creds: readonly Credential[]): void {
    for (const c of creds) this.secrets.add(c.value);
  }
  accepted(h: JobHandle): void {
    process.stderr.write(`accepted ${h.jobId} (${h.agentRef ?? 'agent'})\n`);
  }
  event(ev: JobEvent): void {
    if (ev.kind === 'progress') return this.progress(ev.body);
    if (ev.kind === 'result_chunk') return; // assembled into the result
    this.end();
    const rotated = rotationOf(ev.kind, ev.body);
    if (rotated) this.secrets.add(rotated.value);
    process.stdout.write(`[${ev.kind}] ${eventText({ ...ev, body: redactSecrets(ev.body, this.secrets) } as JobEvent)}\n`);
  }
  result(r: JobResult): void {
    this.end();
    const v = redactSecrets(printable(r.result), this.secrets);
    process.stdout.write(`${typeof v === 'string' ? v : JSON.stringify(v, null, 2)}\n`);
    if (r.summary) process.stderr.write(`${r.summary}\n`);
  }
  end(): void {
    if (this.barShown) process.stderr.write('\n');
    this.barShown = false;
  }
  private progress(b: { current?: number; total?: number; units?: string; message?: string }): void {
    const width = 30;
    const cur = typeof b.current === 'number' ? b.current : 0;
    const total = typeof b.total === 'number' && b.total > 0 ? b.total : undefined;
    const filled = total ? Math.min(width, Math.round((cur / total) * width)) : 0;
    const bar = total ? `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${cur}/${total}` : `${cur}`;
    const tail = [b.units, b.message].filter(Boolean).join(' ');
    process.stderr.write(`\r${bar}${tail ? ` ${tail}` : ''}\x1b[K`);
    this.barShown = true;
  }
}
