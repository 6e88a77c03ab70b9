// A cluster node shuts down after the kind of traffic `arcp conformance` sends it: resumes of
// sessions another node holds, with a wrong token, an unknown session id and the right token.
// Regression (docs/store.md "Clusters"): every refused cross-node claim used to start claiming
// again, forever; once the store was closed those retries rejected without any I/O, the loop
// starved the event loop, and runtime.close() + store.close() never let a timer run again.
// Node B is embedded in a child process (support/embedded-node.mjs) so such a hang is seen from
// outside instead of freezing the test worker.
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerConformanceAgents } from '../../runtime-kit/agents/conformance.js';
import { ARCPRuntime } from '../../runtime-kit/runtime/index.js';
import { RedisRuntimeStore } from '../../runtime-kit/store/redis-store.js';
import { haveRedis } from './support/redis-server.js';
import { sharedRedis } from './support/shared-redis.js';
import { WsPeer } from './support/ws-peer.js';

const EMBEDDED_NODE = new URL('./support/embedded-node.mjs', import.meta.url).pathname;

const redis = sharedRedis('cluster close test');
const stops = redis.stops;

interface ChildNode {
  url: string;
  out: () => string;
  /** Sends `close`; resolves with what the child printed once it exited or `boundMs` passed (then SIGKILLed). */
  close(boundMs: number): Promise<{ exited: boolean; code: number | null; printed: string[] }>;
}

async function childNode(nodeId: string): Promise<ChildNode> {
  const child: ChildProcess = spawn(process.execPath, [EMBEDDED_NODE, redis.url, nodeId], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += String(d)));
  child.stderr!.on('data', (d) => (err += String(d)));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  stops.push(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', () => {
      const m = /listening (ws:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`embedded node exited (${code}) before listening: ${err}`)));
  });
  return {
    url,
    out: () => `${out}\nstderr: ${err}`,
    close: async (boundMs) => {
      child.stdin!.write('close\n');
      const outcome = await Promise.race([exited.then((code) => ({ exited: true, code })), new Promise<{ exited: false; code: null }>((r) => setTimeout(() => r({ exited: false, code: null }), boundMs))]);
      if (!outcome.exited) child.kill('SIGKILL');
      await exited;
      return { ...outcome, printed: out.split('\n').filter((l) => l !== '' && !l.startsWith('listening')) };
    },
  };
}

async function inProcessNode(nodeId: string): Promise<{ url: string; runtime: ARCPRuntime; store: RedisRuntimeStore }> {
  const store = await RedisRuntimeStore.connect(redis.url, { nodeId, livenessTtlMs: 1000 });
  const runtime = new ARCPRuntime({ tokens: { t: 'alice', u: 'bob' }, store, logger: () => undefined });
  registerConformanceAgents(runtime);
  await runtime.ready();
  const server = await runtime.listen({ host: '127.0.0.1', port: 0 });
  stops.push(async () => {
    await runtime.close();
    await store.close();
  });
  return { url: server.url!, runtime, store };
}

describe.skipIf(!haveRedis)('cluster node shutdown after cross-node resumes', () => {
  it('a node that refused resumes of sessions it does not hold closes, and its event loop still turns', async () => {
    const tag = `${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
    const a = await inProcessNode(`close-a-${tag}`);
    const b = await childNode(`close-b-${tag}`);

    const first = await WsPeer.open(a.url);
    await first.hello();
    const jobId = (await first.accepted(first.submit('conformance.echo', { hello: 1 }))).payload.job_id as string;
    await first.terminal(jobId);
    await first.close();

    // Refused on B: a wrong token, an unknown session, another principal (conformance 6.3/resume/*).
    for (const [token, resume] of [
      ['t', { session_id: first.sessionId!, resume_token: 'not-the-token', last_event_seq: 0 }],
      ['t', { session_id: 'sess_unknown_to_every_node', resume_token: first.resumeToken!, last_event_seq: 0 }],
      ['u', { session_id: first.sessionId!, resume_token: first.resumeToken!, last_event_seq: 0 }],
    ] as const) {
      const peer = await WsPeer.open(b.url);
      const reply = await peer.hello({ token, resume });
      expect(reply.type, JSON.stringify(reply.payload)).toBe('session.error');
      await peer.close();
    }
    // Accepted on B: the session moves from A, with exact replay of its terminal.
    const second = await WsPeer.open(b.url);
    const welcome = await second.hello({ resume: { session_id: first.sessionId!, resume_token: first.resumeToken!, last_event_seq: 0 } });
    expect(welcome.type, JSON.stringify(welcome.payload)).toBe('session.welcome');
    expect((await second.terminal(jobId)).type).toBe('job.result');
    await second.close();

    // A bound on a shutdown, not a speed figure: a healthy node is done in well under a second.
    const closed = await b.close(20_000);
    expect(closed, b.out()).toEqual({ exited: true, code: 0, printed: ['runtime closed', 'store closed', 'timers run'] });
  }, 90_000);
});
