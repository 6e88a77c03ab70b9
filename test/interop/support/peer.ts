// Where the TS reference peer lives and how to start its runtime (ws or stdio) and load its
// client. It is somebody else's code: we run it, never copy it.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';

/** ../shared/peers/ts-reference beside the clone; ARCP_TS_REFERENCE_DIR points elsewhere (e.g. to check the skip). */
export const PEER_DIR = process.env.ARCP_TS_REFERENCE_DIR
  ? `${process.env.ARCP_TS_REFERENCE_DIR.replace(/\/$/, '')}/`
  : new URL('../../../../shared/peers/ts-reference/', import.meta.url).pathname;
/** The SDK commit the bundle was built from (its README). */
export const PEER_COMMIT = '0bf5caf5';
export const peerPresent = existsSync(`${PEER_DIR}runtime.mjs`) && existsSync(`${PEER_DIR}client.mjs`);

const children = new Set<ChildProcess>();

/** Kills every process this suite started (by pid, never by name). */
export function stopChildren(): void {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  children.clear();
}

export function track(child: ChildProcess): ChildProcess {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

/** `PORT=<port> node runtime.mjs`; resolves with its ws URL once it prints "listening". */
export async function startTsRuntimeWs(port: number): Promise<{ url: string; child: ChildProcess }> {
  const child = track(spawn(process.execPath, [`${PEER_DIR}runtime.mjs`], { cwd: PEER_DIR, env: { ...process.env, PORT: String(port), ARCP_LOG_LEVEL: 'silent' }, stdio: ['ignore', 'pipe', 'inherit'] }));
  const lines = createInterface({ input: child.stdout! });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`TS runtime exited (${code}) before listening`)));
    lines.on('line', (l) => {
      const m = /listening (ws:\/\/\S+)/.exec(l);
      if (m) resolve(m[1]!);
    });
  });
  return { url: `${url.replace(/\/$/, '')}/arcp`, child };
}

/** `STDIO=1 ARCP_LOG_LEVEL=silent node runtime.mjs`: one session on the child's stdin/stdout. */
export function spawnTsRuntimeStdio(): ChildProcess {
  return track(spawn(process.execPath, [`${PEER_DIR}runtime.mjs`], { cwd: PEER_DIR, env: { ...process.env, STDIO: '1', ARCP_LOG_LEVEL: 'silent' }, stdio: ['pipe', 'pipe', 'inherit'] }));
}

export interface TsClientModule {
  ARCPClient: new (opts: Record<string, unknown>) => any;
  WebSocketTransport: { connect(url: string): Promise<any> };
  StdioTransport: { fromChild(child: ChildProcess): any };
}

let loaded: Promise<TsClientModule> | undefined;
export function loadTsClient(): Promise<TsClientModule> {
  process.env.ARCP_LOG_LEVEL ??= 'silent'; // its logger writes to stdout
  loaded ??= import(`${PEER_DIR}client.mjs`) as Promise<TsClientModule>;
  return loaded;
}
