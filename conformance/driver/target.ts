// How the harness reaches the peer under test: in-process (arcp-kit's own runtime over a memory
// pair), a WebSocket URL, or a spawned stdio command. Every connection is a fresh transport.
import { connectWebSocket, spawnStdioTransport } from '../../runtime-kit/transport/index.js';
import type { WireTransport } from './connection.js';
import { PROBE_BOUNDS, type PeerLimits } from './peer-limits.js';

/**
 * Frames the harness accepts from the peer: room for a result chunk of the largest cap
 * 14/results/caps-enforced probes, base64 included (the runtime-kit default, 1 MiB, would drop a
 * chunk of exactly 1 MiB, the TS SDK's cap, before the check saw it).
 */
const HARNESS_MAX_FRAME_BYTES = 2 * PROBE_BOUNDS.resultChunkBytes + 64 * 1024;

export interface PeerTarget {
  /** Human-readable description for reports (`in-process arcp-kit`, `ws://...`, `stdio: cmd`). */
  readonly describe: string;
  /** Principal A's bearer token and, optionally, principal B's. */
  readonly tokenA: string;
  readonly tokenB?: string;
  /** False for stdio: each spawn is a new runtime, so resume/second sessions cannot be tested. */
  readonly multiConnection: boolean;
  /**
   * True when frames cross a network unencrypted (a ws:// URL): what the peer sends there is
   * readable on the path (§14: credentials only over encrypted transports). Absent: TLS, stdio
   * or in-process, no plaintext hop.
   */
  readonly plaintextNetwork?: boolean;
  /** Limits the peer enforces that the wire does not state (declared: in-process, or --peer-limits). */
  readonly limits?: PeerLimits;
  /** How long a fresh connection may take to answer its hello (a spawned child must start first). */
  readonly handshakeTimeoutMs?: number;
  connect(): Promise<WireTransport>;
  /** Stops whatever the target started (in-process runtime, child processes). */
  dispose(): Promise<void>;
}

/** Target for `--target ws://...`. */
export async function webSocketTarget(url: string, tokenA: string, tokenB?: string): Promise<PeerTarget> {
  return {
    describe: url,
    tokenA,
    tokenB,
    multiConnection: true,
    plaintextNetwork: /^ws:/i.test(url),
    connect: () => connectWebSocket(url, { maxFrameBytes: HARNESS_MAX_FRAME_BYTES }) as Promise<WireTransport>,
    dispose: async () => undefined,
  };
}

/** Target for `--stdio "cmd args"`: one child per connection (the peer owns one session each). */
export async function stdioTarget(commandLine: string, tokenA: string, tokenB?: string): Promise<PeerTarget> {
  const [cmd, ...args] = splitCommandLine(commandLine);
  const children: WireTransport[] = [];
  return {
    describe: `stdio: ${commandLine}`,
    tokenA,
    tokenB,
    multiConnection: false,
    // every connection starts a process: allow for interpreter/JIT start-up on a loaded machine
    handshakeTimeoutMs: 30_000,
    connect: async () => {
      // the child's stderr is captured, not mixed into the harness's output
      const t = spawnStdioTransport(cmd, args, { stderr: 'capture', maxFrameBytes: HARNESS_MAX_FRAME_BYTES }) as unknown as WireTransport;
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
