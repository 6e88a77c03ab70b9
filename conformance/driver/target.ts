// How the harness reaches the peer under test: in-process (arcp-kit's own runtime over a memory
// pair), a WebSocket URL, or a spawned stdio command. Every connection is a fresh transport.
import type { WireTransport } from './connection.js';

export interface PeerTarget {
  /** Human-readable description for reports (`in-process arcp-kit`, `ws://...`, `stdio: cmd`). */
  readonly describe: string;
  /** Principal A's bearer token and, optionally, principal B's. */
  readonly tokenA: string;
  readonly tokenB?: string;
  /** False for stdio: each spawn is a new runtime, so resume/second sessions cannot be tested. */
  readonly multiConnection: boolean;
  connect(): Promise<WireTransport>;
  /** Stops whatever the target started (in-process runtime, child processes). */
  dispose(): Promise<void>;
}

/** Target for `--target ws://...`. */
export async function webSocketTarget(url: string, tokenA: string, tokenB?: string): Promise<PeerTarget> {
  const { connectWebSocket } = await import('../../runtime-kit/transport/websocket-client.js');
  return {
    describe: url,
    tokenA,
    tokenB,
    multiConnection: true,
    connect: () => connectWebSocket(url) as Promise<WireTransport>,
    dispose: async () => undefined,
  };
}

/** Target for `--stdio "cmd args"`: one child per connection (the peer owns one session each). */
export async function stdioTarget(commandLine: string, tokenA: string, tokenB?: string): Promise<PeerTarget> {
  const { spawnStdioTransport } = (await import('../../runtime-kit/transport/index.js')) as unknown as {
    spawnStdioTransport(cmd: string, args: string[]): WireTransport;
  };
  const [cmd, ...args] = splitCommandLine(commandLine);
  const children: WireTransport[] = [];
  return {
    describe: `stdio: ${commandLine}`,
    tokenA,
    tokenB,
    multiConnection: false,
    connect: async () => {
      const t = spawnStdioTransport(cmd, args);
      children.push(t);
      return t;
    },
    dispose: async () => {
      await Promise.all(children.map((c) => c.close('harness done').catch(() => undefined)));
    },
  };
}

/** Splits a command line on spaces, honouring single and double quotes. */
export function splitCommandLine(line: string): string[] {
  const out: string[] = [];
  const re = /"([^"]*)"|'([^']*)'|(\S+)/g;
  for (let m = re.exec(line); m; m = re.exec(line)) out.push(m[1] ?? m[2] ?? m[3]);
  return out;
}
