// `arcp serve`: host an ARCP runtime over WebSocket (default) or stdio. Parses flags and hands
// off to runtime-kit; in stdio mode stdout carries protocol frames only, so every message for
// humans goes to stderr.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { InvalidArgumentError, Option, type Command } from 'commander';
import type { FaultName } from '../../runtime-kit/runtime/index.js';
import { DEFAULT_WS_HOST, DEFAULT_WS_PATH, DEFAULT_WS_PORT } from '../../runtime-kit/transport/websocket-defaults.js';
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
  referenceCredentials?: string;
  tlsCert?: string;
  tlsKey?: string;
  plainLoopbackCredentials?: boolean;
  fault: FaultName[];
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

function collectFault(value: string, previous: FaultName[]): FaultName[] {
  return [...previous, value as FaultName]; // checked against FAULT_NAMES once the runtime is loaded
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
      '--reference-credentials <ledger>',
      'issue provisioned credentials (§9.8) from the in-process reference provisioner, recording outstanding revocations in this ledger file',
    )
    .option('--tls-cert <file>', 'PEM certificate: serve wss:// (needs --tls-key)')
    .option('--tls-key <file>', 'PEM private key for --tls-cert')
    .option(
      '--plain-loopback-credentials',
      'DEVELOPMENT ONLY: issue credentials over plain ws:// to loopback peers (§14 otherwise requires wss://, stdio or in-memory)',
    )
    // Test-only: lets the conformance harness certify that it catches a broken runtime.
    .addOption(new Option('--fault <name>', 'inject a test-only protocol fault (repeatable)').argParser(collectFault).default([]).hideHelp())
    .action(async (flags: ServeFlags) => {
      await serve(flags);
    });
}

async function serve(flags: ServeFlags): Promise<void> {
  // stdio mode: stdout is the protocol channel.
  const say = (line: string): void => {
    (flags.stdio ? process.stderr : process.stdout).write(`${line}\n`);
  };
  if ((flags.tlsCert === undefined) !== (flags.tlsKey === undefined)) {
    process.stderr.write('arcp serve: --tls-cert and --tls-key go together\n');
    process.exitCode = 2;
    return;
  }
  const [{ ARCPRuntime, FAULT_NAMES }, { ReferenceProvisioner }, { registerDemoAgents }, { registerConformanceAgents }] = await Promise.all([
    import('../../runtime-kit/runtime/index.js'),
    import('../../runtime-kit/authority/index.js'),
    import('../../runtime-kit/agents/demo.js'),
    import('../../runtime-kit/agents/conformance.js'),
  ]);
  const unknownFault = flags.fault.find((f) => !FAULT_NAMES.includes(f));
  if (unknownFault !== undefined) {
    process.stderr.write(`arcp serve: unknown --fault ${unknownFault}; one of ${FAULT_NAMES.join(', ')}\n`);
    process.exitCode = 2;
    return;
  }
  const tls = flags.tlsCert !== undefined ? { cert: readFileSync(flags.tlsCert), key: readFileSync(flags.tlsKey!) } : undefined;
  const runtime = new ARCPRuntime({
    ...(flags.plainLoopbackCredentials ? { plainLoopbackCredentials: true } : {}),
    tokens: tokenMap(flags.token, (l) => process.stderr.write(`${l}\n`)),
    ...(flags.heartbeat !== undefined ? { heartbeatIntervalSec: flags.heartbeat } : {}),
    ...(flags.resumeWindow !== undefined ? { resumeWindowSec: flags.resumeWindow } : {}),
    ...(flags.fault.length > 0 ? { faults: flags.fault } : {}),
    // §14: provisioned_credentials is advertised only with a durable revocation ledger beside it.
    ...(flags.referenceCredentials !== undefined
      ? {
          credentialProvisioner: new ReferenceProvisioner({ endpoint: 'https://gateway.reference.invalid/v1', profile: 'generic' }),
          revocationLedgerPath: flags.referenceCredentials,
        }
      : {}),
    logger: (level, message, data) => {
      if (level === 'warn' || level === 'error') process.stderr.write(`arcp serve [${level}] ${message}${data ? ` ${JSON.stringify(data)}` : ''}\n`);
    },
  });
  if (flags.demoAgents) registerDemoAgents(runtime);
  if (flags.conformanceAgents) registerConformanceAgents(runtime);
  if (flags.fault.length > 0) process.stderr.write(`arcp serve: TEST FAULTS ACTIVE: ${flags.fault.join(', ')}\n`);
  const agents = runtime.agents.inventory().map((a) => a.name);

  let stopping = false;
  const stop = async (why: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`arcp serve: ${why}, shutting down\n`);
    await runtime.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));

  if (flags.stdio) {
    const { closed } = runtime.serveStdio();
    say(`arcp serve: serving one session on stdio (agents: ${agents.join(', ') || 'none'})`);
    await closed; // stdin EOF
    await stop('stdin closed');
    return;
  }
  try {
    const server = await runtime.listen({ host: flags.host, port: flags.port, path: flags.path, ...(tls ? { tls } : {}) });
    if (flags.plainLoopbackCredentials) process.stderr.write('arcp serve: WARNING --plain-loopback-credentials: credentials may travel unencrypted over ws:// on loopback (development only)\n');
    say(`arcp serve: listening on ${server.url} (agents: ${agents.join(', ') || 'none'})`);
  } catch (err) {
    process.stderr.write(`arcp serve: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
    await runtime.close();
  }
}
