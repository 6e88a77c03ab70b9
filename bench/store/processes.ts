// Every process bench/store starts (runtime children, the redis-server) is registered here and
// killed by stopAll() — and, if the bench dies first (exception, SIGINT, SIGTERM), by a
// synchronous SIGKILL from the process 'exit' handler, so no child outlives a failed run.
// Children are stopped with SIGKILL, never by awaiting a runtime's close().
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { RedisServer } from '../../test/store/support/redis-server.js';

const CHILD = fileURLToPath(new URL('./runtime-child.ts', import.meta.url));
const START_MS = 60_000;
/** Redis nodes' liveness TTL in the bench (runtime-child.ts says why it is not the 3 s default). */
const LIVENESS_MS = 30_000;

export type Urls = Record<string, string>;

export class BenchProcesses {
  private readonly children = new Set<ChildProcess>();
  private readonly redisServers: RedisServer[] = [];
  private readonly onExit = (): void => this.killNow();
  private readonly onSignal = (sig: NodeJS.Signals): void => {
    this.killNow();
    process.exit(sig === 'SIGINT' ? 130 : 143);
  };

  constructor() {
    process.on('exit', this.onExit);
    process.once('SIGINT', this.onSignal);
    process.once('SIGTERM', this.onSignal);
  }

  adoptRedis(redis: RedisServer): void {
    this.redisServers.push(redis);
  }

  /** Forks runtime-child.ts with `env` and resolves once it listens, with its urls. */
  async forkRuntimes(env: Record<string, string>): Promise<{ child: ChildProcess; urls: Urls }> {
    const child = fork(CHILD, [], {
      env: { ...process.env, STORE_BENCH_LIVENESS_MS: String(LIVENESS_MS), ...env },
      execArgv: ['--expose-gc', '--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.children.add(child);
    child.once('exit', () => this.children.delete(child));
    const { urls } = await this.reply(child, 'urls', START_MS);
    return { child, urls };
  }

  /** Sends a command (`mem`, `cpu`) to a runtime child and resolves with its reply. */
  ask(child: ChildProcess, cmd: 'mem' | 'cpu'): Promise<any> {
    const p = this.reply(child, cmd, 30_000);
    child.send({ cmd });
    return p;
  }

  private reply(child: ChildProcess, name: string, timeoutMs: number): Promise<any> {
    return new Promise((resolve, reject) => {
      const done = (): void => {
        clearTimeout(timer);
        child.off('message', onMessage);
        child.off('exit', onExit);
      };
      const onMessage = (m: { reply?: string }): void => {
        if (m.reply !== name) return;
        done();
        resolve(m);
      };
      const onExit = (code: number | null, sig: string | null): void => {
        done();
        reject(new Error(`bench runtime child exited (${code ?? sig}) while waiting for '${name}'`));
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`bench runtime child: no '${name}' reply within ${timeoutMs} ms`));
      }, timeoutMs);
      child.on('message', onMessage);
      child.once('exit', onExit);
    });
  }

  /** SIGKILLs every child and redis-server and waits until they are gone. */
  async stopAll(): Promise<void> {
    const exits = [...this.children].map((c) => new Promise<void>((r) => (c.exitCode !== null || c.signalCode !== null ? r() : c.once('exit', () => r()))));
    for (const c of this.children) c.kill('SIGKILL');
    await Promise.all(exits);
    for (const r of this.redisServers.splice(0)) await r.stop();
    process.off('exit', this.onExit);
    process.off('SIGINT', this.onSignal);
    process.off('SIGTERM', this.onSignal);
  }

  private killNow(): void {
    for (const c of this.children) c.kill('SIGKILL');
    for (const r of this.redisServers) {
      try {
        process.kill(r.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
}
