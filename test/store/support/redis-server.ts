// Starts Debian's redis-server on a free loopback port for one test file and stops it.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';

export const REDIS_BIN = process.env.REDIS_SERVER ?? '/usr/bin/redis-server';
export const haveRedis = existsSync(REDIS_BIN);

async function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

export interface RedisServer {
  url: string;
  port: number;
  /** For a synchronous last-resort kill (a bench's process 'exit' handler). */
  pid: number;
  stop(): Promise<void>;
}

export async function startRedis(ports: readonly number[] = [7960, 7961, 7962, 7963, 7964, 7965, 7966, 7967, 7968, 7969]): Promise<RedisServer> {
  for (const port of ports) {
    if (!(await portFree(port))) continue;
    const child: ChildProcess = spawn(REDIS_BIN, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--protected-mode', 'no'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const ready = await new Promise<boolean>((resolve) => {
      let out = '';
      child.stdout!.on('data', (d) => {
        out += String(d);
        if (out.includes('Ready to accept connections')) resolve(true);
      });
      child.once('exit', () => resolve(false));
    });
    if (!ready) continue;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    return {
      url: `redis://127.0.0.1:${port}`,
      port,
      pid: child.pid!,
      stop: async () => {
        child.kill('SIGKILL');
        await exited;
      },
    };
  }
  throw new Error('no free port for redis-server in 7960-7969');
}
