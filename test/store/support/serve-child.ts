// Starts a real `arcp serve` child (the CLI, through bin/arcp.mjs), or another runtime process of
// the tests, and kills it for real.
import { spawn, type ChildProcess } from 'node:child_process';

const ARCP = new URL('../../../bin/arcp.mjs', import.meta.url).pathname;

export interface ServeChild {
  child: ChildProcess;
  url: string;
  stderr: () => string;
  /** SIGKILL and wait for the exit: no shutdown code runs. */
  kill9(): Promise<void>;
  stop(): Promise<void>;
}

export async function startServe(args: string[], port = 0): Promise<ServeChild> {
  return spawnListening([ARCP, 'serve', '--host', '127.0.0.1', '--port', String(port), '--token', 't=alice', '--token', 'u=bob', '--conformance-agents', ...args], 'arcp serve');
}

/** Runs `node ARGV...` until it prints `listening on ws://...` (any runtime child of the tests). */
export async function spawnListening(argv: string[], what: string): Promise<ServeChild> {
  const child = spawn(process.execPath, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr!.on('data', (d) => (err += String(d)));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      out += String(d);
      const m = /listening on (ws:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`${what} exited (${code}) before listening: ${err}`)));
  });
  return {
    child,
    url,
    stderr: () => err,
    kill9: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
