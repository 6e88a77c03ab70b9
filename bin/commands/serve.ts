// `arcp serve`: host an ARCP runtime over WebSocket (default) or stdio. Parses flags and hands
// off to runtime-kit; in stdio mode stdout carries protocol frames only, so every message for
// humans goes to stderr.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { InvalidArgumentError, type Command } from 'commander';
import { createLogger, isLogLevel, LOG_FORMATS, LOG_LEVELS, type LogFormat, type LogLevelName } from '../../runtime-kit/logging/index.js';
import type { ARCPRuntime, RuntimeLogger } from '../../runtime-kit/runtime/index.js';
import { clientAddressResolver } from '../../runtime-kit/transport/client-address.js';
import { DEFAULT_WS_HOST, DEFAULT_WS_PATH, DEFAULT_WS_PORT } from '../../runtime-kit/transport/websocket-defaults.js';
import { openStore, STORE_SPEC_HELP } from '../../runtime-kit/store/open-store.js';
// The runtime is imported when the command runs, so `arcp --help` loads only the flag parser.

interface ServeFlags {
  stdio?: boolean;
  host: string;
  port: number;
  path: string;
  token: string[];
  demoAgents: boolean;
  conformanceAgents?: boolean;
  heartbeat?: number;
  resumeWindow?: number;
  /** A ledger file, or true (flag without a value): the ledger lives in the durable --store. */
  referenceCredentials?: string | true;
  tlsCert?: string;
  tlsKey?: string;
  plainLoopbackCredentials?: boolean;
  logLevel: LogLevelName;
  logFormat: LogFormat;
  store: string;
  auditMaxAge?: number;
  auditMaxRecords?: number;
  trustProxy?: number | string[];
}

function parseLogLevel(value: string): LogLevelName {
  if (!isLogLevel(value)) throw new InvalidArgumentError(`one of ${LOG_LEVELS.join(', ')}`);
  return value;
}

function parseLogFormat(value: string): LogFormat {
  if (!(LOG_FORMATS as readonly string[]).includes(value)) throw new InvalidArgumentError(`one of ${LOG_FORMATS.join(', ')}`);
  return value as LogFormat;
}

function parsePort(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('must be an integer port in [0, 65535]');
  return n;
}

function parseSeconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('must be a positive number of seconds');
  return n;
}

/** `30d`, `12h`, `90m`, `45s` or plain seconds -> ms; `none` -> Infinity (no age bound). */
function parseAge(value: string): number {
  if (value === 'none') return Infinity;
  const m = /^(\d+(?:\.\d+)?)([smhd]?)$/.exec(value);
  const unit = { '': 1000, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m?.[2] ?? ''];
  const ms = m ? Number(m[1]) * unit! : NaN;
  if (!(ms > 0) || !Number.isFinite(ms)) throw new InvalidArgumentError('a positive age: seconds, or with a unit (45s, 90m, 12h, 30d), or none');
  return ms;
}

/** A positive integer, or `none` -> Infinity (no count bound). */
function parseRecords(value: string): number {
  if (value === 'none') return Infinity;
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n <= 0) throw new InvalidArgumentError('a positive integer, or none');
  return n;
}

/** A hop count, or proxy IP addresses separated by commas (docs/limits.md "Behind a reverse proxy"). */
function parseTrustProxy(value: string): number | string[] {
  const trustProxy = /^\d+$/.test(value) ? Number(value) : value.split(',').map((a) => a.trim());
  try {
    clientAddressResolver({ trustProxy }); // the one check listen() applies, reported as a flag error
  } catch {
    throw new InvalidArgumentError('a hop count, or proxy IP addresses separated by commas');
  }
  return trustProxy;
}

function collectToken(value: string, previous: string[]): string[] {
  const eq = value.indexOf('=');
  if (eq <= 0 || eq === value.length - 1) throw new InvalidArgumentError('expected TOKEN=PRINCIPAL');
  return [...previous, value];
}

/** `TOKEN=PRINCIPAL` pairs -> map; with none, mint one for principal "local" and say so. */
function tokenMap(pairs: string[], say: (line: string) => void): Record<string, string> {
  const tokens: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    tokens[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  if (pairs.length === 0) {
    const token = randomBytes(16).toString('hex');
    tokens[token] = 'local';
    say(`arcp serve: no --token given; accepting bearer token ${token} (principal "local")`);
  }
  return tokens;
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('host an ARCP runtime over WebSocket (default) or on stdin/stdout')
    .option('--stdio', 'serve one session on stdin/stdout (newline-delimited JSON); logs go to stderr')
    .option('--host <host>', 'WebSocket bind address', DEFAULT_WS_HOST)
    .option('--port <port>', 'WebSocket port (0 = any free port)', parsePort, DEFAULT_WS_PORT)
    .option('--path <path>', 'WebSocket upgrade path', DEFAULT_WS_PATH)
    .option('--token <TOKEN=PRINCIPAL>', 'accept this bearer token for this principal (repeatable)', collectToken, [])
    .option('--no-demo-agents', 'do not host the demo.* agents')
    .option('--conformance-agents', 'host the conformance.* agents (design/conformance-agents.md)')
    .option('--heartbeat <sec>', 'heartbeat interval in seconds (default 30)', parseSeconds)
    .option('--resume-window <sec>', 'resume window in seconds (default 600)', parseSeconds)
    .option(
      '--reference-credentials [ledger]',
      'issue provisioned credentials (§9.8) from the in-process reference provisioner, recording outstanding revocations in this ledger file, or without a file in the durable --store (sqlite:, redis://)',
    )
    .option('--tls-cert <file>', 'PEM certificate: serve wss:// (needs --tls-key)')
    .option('--tls-key <file>', 'PEM private key for --tls-cert')
    .option(
      '--plain-loopback-credentials',
      'DEVELOPMENT ONLY: issue credentials over plain ws:// to loopback peers (§14 otherwise requires wss://, stdio or in-memory)',
    )
    .option('--log-level <level>', `least severe log record written to stderr: ${LOG_LEVELS.join(' | ')}`, parseLogLevel, 'warn')
    .option(
      '--log-format <format>',
      'stderr log records as json (one JSON object per line: ts, level, msg, event, ids) or text',
      parseLogFormat,
      'text',
    )
    // Default memory: a development `arcp serve` (and `arcp conformance`) leaves no files behind.
    .option('--store <spec>', `durable state (issue 12): ${STORE_SPEC_HELP}; sqlite and redis survive restarts`, 'memory')
    .option('--audit-max-age <age>', 'with a durable --store: drop audit records older than this (45s, 90m, 12h, 30d, or none; default 30d)', parseAge)
    .option(
      '--trust-proxy <hops|ips>',
      'behind a reverse proxy: believe X-Forwarded-For from this many hops, or from these proxy IPs (comma-separated), so per-source limits (failed-auth bucket, connection cap) count each client, not the proxy',
      parseTrustProxy,
    )
    .option('--audit-max-records <n>', 'with a durable --store: keep at most the newest N audit records (or none; default 1000000)', parseRecords)
    .action(async (flags: ServeFlags) => {
      await serve(flags);
    });
}

async function serve(flags: ServeFlags): Promise<void> {
  // Logs always go to stderr: in stdio mode stdout is the protocol channel.
  const logger: RuntimeLogger = createLogger({ level: flags.logLevel, format: flags.logFormat });
  const json = flags.logFormat === 'json';
  // Human notices: plain lines in text mode; in json mode stderr stays pure JSON lines.
  // They are written whatever --log-level says (the operator must learn a generated token).
  const noticeLogger = json ? createLogger({ level: 'debug', format: 'json' }) : undefined;
  const notice = (line: string, data: Record<string, unknown>, level: 'info' | 'warn' | 'error' = 'info'): void => {
    if (noticeLogger) noticeLogger(level, line.replace(/^arcp serve: /, ''), data);
    else process.stderr.write(`${line}\n`);
  };
  // stdio mode: stdout is the protocol channel.
  const say = (line: string): void => {
    (flags.stdio ? process.stderr : process.stdout).write(`${line}\n`);
  };
  if ((flags.tlsCert === undefined) !== (flags.tlsKey === undefined)) {
    process.stderr.write('arcp serve: --tls-cert and --tls-key go together\n');
    process.exitCode = 2;
    return;
  }
  if (flags.stdio && flags.trustProxy !== undefined) {
    process.stderr.write('arcp serve: --trust-proxy names clients behind a reverse proxy of the WebSocket server; --stdio has no network peer\n');
    process.exitCode = 2;
    return;
  }
  const [{ ARCPRuntime }, { ReferenceProvisioner }, { registerDemoAgents }, { registerConformanceAgents }] = await Promise.all([
    import('../../runtime-kit/runtime/index.js'),
    import('../../runtime-kit/authority/index.js'),
    import('../../runtime-kit/agents/demo.js'),
    import('../../runtime-kit/agents/conformance.js'),
  ]);
  const tls = flags.tlsCert !== undefined ? { cert: readFileSync(flags.tlsCert), key: readFileSync(flags.tlsKey!) } : undefined;
  if (flags.referenceCredentials === true && flags.store === 'memory') {
    // §14: the memory store forgets the ledger with the process, so it cannot hold it.
    process.stderr.write('arcp serve: --reference-credentials without a ledger file needs a durable --store (sqlite:PATH or redis://HOST:PORT); the memory store cannot keep the revocation ledger\n');
    process.exitCode = 2;
    return;
  }
  const retention = { ...(flags.auditMaxAge !== undefined ? { maxAgeMs: flags.auditMaxAge } : {}), ...(flags.auditMaxRecords !== undefined ? { maxRecords: flags.auditMaxRecords } : {}) };
  if (flags.store === 'memory' && Object.keys(retention).length > 0) {
    // Without a store the audit log is the runtime's in-memory sink (the newest 10,000 records).
    process.stderr.write('arcp serve: --audit-max-age / --audit-max-records bound the audit log of a durable --store (sqlite:PATH or redis://HOST:PORT); without one it is kept in memory, the newest 10,000 records\n');
    process.exitCode = 2;
    return;
  }
  let store;
  try {
    store = flags.store === 'memory' ? undefined : await openStore(flags.store, { auditRetention: retention });
  } catch (err) {
    process.stderr.write(`arcp serve: --store ${flags.store}: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 2;
    return;
  }
  let runtime: ARCPRuntime;
  try {
    runtime = new ARCPRuntime({
      ...(store ? { store } : {}),
      ...(flags.plainLoopbackCredentials ? { plainLoopbackCredentials: true } : {}),
      tokens: tokenMap(flags.token, (l) => notice(l, { event: 'serve.generated_token' }, 'warn')),
      ...(flags.heartbeat !== undefined ? { heartbeatIntervalSec: flags.heartbeat } : {}),
      ...(flags.resumeWindow !== undefined ? { resumeWindowSec: flags.resumeWindow } : {}),
      // §14: provisioned_credentials is advertised only with a durable revocation ledger beside it.
      ...(flags.referenceCredentials !== undefined
        ? {
            credentialProvisioner: new ReferenceProvisioner({ endpoint: 'https://gateway.reference.invalid/v1', profile: 'generic' }),
            ...(flags.referenceCredentials !== true ? { revocationLedgerPath: flags.referenceCredentials } : {}),
          }
        : {}),
      logger,
    });
  } catch (err) {
    // e.g. an unreadable revocation ledger (§14: no durable revocation, no credentials): say why, do not serve.
    const cause = err instanceof Error && err.cause instanceof Error ? ` (${err.cause.message})` : '';
    process.stderr.write(`arcp serve: cannot start: ${err instanceof Error ? err.message : String(err)}${cause}\n`);
    await store?.close();
    process.exitCode = 2;
    return;
  }
  if (flags.demoAgents) registerDemoAgents(runtime);
  if (flags.conformanceAgents) registerConformanceAgents(runtime);
  const agents = runtime.agents.inventory().map((a) => a.name);

  let stopping = false;
  const stop = async (why: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    notice(`arcp serve: ${why}, shutting down`, { event: 'serve.stopping', why });
    await runtime.close();
    await store?.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));

  try {
    await runtime.ready(); // state a previous process left in --store, and its revocation ledger
  } catch (err) {
    // The store's revocation ledger cannot be read (§14: no durable revocation, no credentials).
    process.stderr.write(`arcp serve: cannot start: ${err instanceof Error ? err.message : String(err)}\n`);
    await runtime.close();
    await store?.close();
    process.exitCode = 2;
    return;
  }
  if (flags.stdio) {
    const { closed } = runtime.serveStdio();
    if (json) logger('info', 'serving one session on stdio', { event: 'serve.ready', transport: 'stdio', agents });
    else say(`arcp serve: serving one session on stdio (agents: ${agents.join(', ') || 'none'})`);
    await closed; // stdin EOF
    await stop('stdin closed');
    return;
  }
  try {
    const server = await runtime.listen({
      host: flags.host,
      port: flags.port,
      path: flags.path,
      ...(tls ? { tls } : {}),
      ...(flags.trustProxy !== undefined ? { trustProxy: flags.trustProxy } : {}),
    });
    if (flags.plainLoopbackCredentials) {
      notice('arcp serve: WARNING --plain-loopback-credentials: credentials may travel unencrypted over ws:// on loopback (development only)', { event: 'serve.insecure_credentials' }, 'warn');
    }
    // stdout keeps the human line in every format: scripts and tests read the URL from it.
    say(`arcp serve: listening on ${server.url} (agents: ${agents.join(', ') || 'none'})`);
    if (json) logger('info', 'listening', { event: 'serve.ready', transport: 'websocket', url: server.url, agents });
  } catch (err) {
    notice(`arcp serve: ${err instanceof Error ? err.message : String(err)}`, { event: 'serve.failed', error: err instanceof Error ? err.message : String(err) }, 'error');
    process.exitCode = 1;
    await runtime.close();
  }
}
