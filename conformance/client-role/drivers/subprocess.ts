// A --client-cmd driver: a child process speaking the driver contract (docs/client-driver.md),
// instructions as JSON lines on its stdin, replies and observations as JSON lines on its stdout.
// Lines that are not JSON objects are kept as `log` (a chatty library logger), never fatal.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { DriverLink } from '../client-under-test.js';
import type { Outbound } from '../driver-protocol.js';

export function subprocessDriverLink(command: string, opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): DriverLink {
  const child: ChildProcess = spawn(command, { shell: true, cwd: opts.cwd, env: { ...process.env, ...opts.env }, stdio: ['pipe', 'pipe', 'pipe'] });
  let onOut: (m: Outbound) => void = () => undefined;
  let onFail: (why: string) => void = () => undefined;
  let stderr = '';
  let disposed = false;
  child.stderr!.on('data', (d) => {
    stderr = (stderr + String(d)).slice(-4000);
  });
  createInterface({ input: child.stdout! }).on('line', (line) => {
    const text = line.trim();
    if (!text) return;
    try {
      const m = JSON.parse(text) as unknown;
      if (m && typeof m === 'object' && !Array.isArray(m)) return onOut(m as Outbound);
    } catch {
      // not JSON: a log line
    }
    onOut({ obs: 'log', message: text.slice(0, 500) });
  });
  child.on('exit', (code, signal) => {
    if (!disposed) onFail(`driver exited (${code ?? signal})${stderr ? `: ${stderr.trim().split('\n').slice(-3).join(' | ')}` : ''}`);
  });
  child.on('error', (e) => onFail(`cannot run driver: ${e.message}`));
  child.stdin!.on('error', () => undefined);
  return {
    describe: `driver: ${command}`,
    send: (ins) => {
      if (child.stdin!.writable) child.stdin!.write(`${JSON.stringify(ins)}\n`);
    },
    onOutput: (fn) => {
      onOut = fn;
    },
    onFailure: (fn) => {
      onFail = fn;
    },
    dispose: async () => {
      disposed = true;
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.stdin!.end();
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      const timer = setTimeout(() => child.kill('SIGKILL'), 1500);
      await exited;
      clearTimeout(timer);
    },
  };
}
