// A node stalled past its liveness TTL is taken for dead, for real: node A runs in a child
// process and is stopped with SIGSTOP while its job runs; node B ends the job (restart
// terminal) and its client resumes on B. Then A is woken with SIGCONT: it must find itself
// fenced (store/redis-fence.ts), stop its job, close its connections, refuse new ones, and
// write nothing to Redis: the server's change counter, the job's record and history, the
// session's events and A's liveness key are exactly as B left them. And a stall nobody acted on
// (no job of A for another node to end) costs nothing: A's next beat brings its key back.
import { spawn, type ChildProcess } from 'node:child_process';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { registerConformanceAgents } from '../../runtime-kit/agents/conformance.js';
import { haveRedis } from './support/redis-server.js';
import { clusterNode } from './support/cluster-node.js';
import { sharedRedis } from './support/shared-redis.js';
import { WsPeer } from './support/ws-peer.js';

const redis = sharedRedis('cluster fencing');
const FENCING_NODE = new URL('./support/fencing-node.mjs', import.meta.url).pathname;
const TTL_MS = 1000;

interface Child {
  proc: ChildProcess;
  url: string;
  lines: string[];
  /** Resolves with the first stdout line that matches (rejects when the process exits first). */
  line(pred: (l: string) => boolean): Promise<string>;
}

async function childNode(nodeId: string): Promise<Child> {
  const proc = spawn(process.execPath, [FENCING_NODE, redis.url, nodeId, String(TTL_MS)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines: string[] = [];
  const waiters: (() => void)[] = [];
  let buf = '';
  proc.stdout!.on('data', (d) => {
    buf += String(d);
    for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
      lines.push(buf.slice(0, i));
      buf = buf.slice(i + 1);
    }
    for (const w of waiters.splice(0)) w();
  });
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  redis.stops.push(async () => {
    if (proc.exitCode === null && proc.signalCode === null) {
      proc.kill('SIGCONT');
      proc.kill('SIGKILL');
    }
    await exited;
  });
  const line = async (pred: (l: string) => boolean): Promise<string> => {
    for (;;) {
      const hit = lines.find(pred);
      if (hit !== undefined) return hit;
      if (proc.exitCode !== null || proc.signalCode !== null) throw new Error(`node exited; stdout: ${lines.join('\n')}`);
      await Promise.race([new Promise<void>((r) => waiters.push(r)), exited]);
    }
  };
  const url = (await line((l) => l.startsWith('listening '))).slice('listening '.length);
  return { proc, url, lines, line };
}

async function until(what: string, test: () => boolean | Promise<boolean>, boundMs = 30_000): Promise<void> {
  const deadline = Date.now() + boundMs;
  while (!(await test())) {
    if (Date.now() > deadline) throw new Error(`never happened: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.skipIf(!haveRedis)('a node stalled past its liveness TTL is fenced', () => {
  it('SIGSTOP: B ends its job; SIGCONT: A stops, refuses, and writes nothing more', async () => {
    const aId = `fence-a-${process.pid}`;
    const a = await childNode(aId);
    const b = await clusterNode(redis, { name: 'fence-b', livenessTtlMs: TTL_MS, agents: registerConformanceAgents });
    const raw = new Redis(redis.url);
    redis.stops.push(async () => raw.disconnect());

    // A runs a long job for a client that stays connected to A.
    const onA = await WsPeer.open(a.url);
    await onA.hello();
    const jobId = (await onA.accepted(onA.submit('conformance.slow', { steps: 1_000_000, interval_ms: 20 }))).payload.job_id as string;
    await onA.find((m) => m.job_id === jobId && m.payload?.kind === 'progress' && Number(m.payload.body?.current) >= 3);

    a.proc.kill('SIGSTOP');
    // B takes A for dead once A's liveness key lapses, claims the session and ends the job.
    await until('B ends the stalled node\'s job', () => b.runtime.jobs.get(jobId)?.isTerminal === true);
    const seen = Math.max(...onA.sequenced().map((m) => m.event_seq!));
    const onB = await WsPeer.open(b.url);
    const welcome = await onB.hello({ resume: { session_id: onA.sessionId!, resume_token: onA.resumeToken!, last_event_seq: seen } });
    expect(welcome.type, JSON.stringify(welcome.payload)).toBe('session.welcome');
    const terminal = await onB.terminal(jobId);
    expect(terminal.payload).toMatchObject({ code: 'INTERNAL_ERROR', details: { reason: 'runtime_restarted' } });
    await onB.close();
    await b.close(); // from here on only A could write

    const snapshot = async () => ({
      changes: /rdb_changes_since_last_save:(\d+)/.exec(await raw.info('persistence'))![1],
      job: await raw.get(`arcp:j:${jobId}`),
      history: await raw.lrange(`arcp:h:${jobId}`, 0, -1),
      events: await raw.xlen(`arcp:e:${onA.sessionId}`),
      aliveA: await raw.exists(`arcp:alive:${aId}`),
      deadA: await raw.get(`arcp:dead:${aId}`),
    });
    const before = await snapshot();
    expect(before.aliveA).toBe(0);
    expect(before.deadA, 'B declared A dead before ending its job').toBe('1');
    expect(JSON.parse(before.job!)).toMatchObject({ status: 'error' });

    a.proc.kill('SIGCONT');
    const fenced = JSON.parse((await a.line((l) => l.startsWith('log ') && l.includes('fenced'))).slice(4));
    expect(fenced).toMatchObject({ level: 'error', node_id: aId, jobs: 1 });
    await until('A closes the connection it held', () => onA.closed, 10_000);
    const late = await WsPeer.open(a.url);
    const refused = await late.hello();
    expect(refused.type).toBe('session.error');
    expect(refused.payload).toMatchObject({ code: 'INTERNAL_ERROR', retryable: true, details: { reason: 'node_fenced' } });
    await late.close();

    // A woke, ran its overdue timers (the job's next step, its beat) and answered a handshake: nothing reached Redis.
    expect(await snapshot()).toEqual(before);
    const progressAfter = onA.msgs.filter((m) => m.job_id === jobId && (m.event_seq ?? 0) > seen);
    expect(progressAfter, 'A sent output after it was fenced').toEqual([]);
  }, 90_000);

  it('a stall past the TTL that no node acted on: A goes on serving', async () => {
    const aId = `idle-a-${process.pid}`;
    const a = await childNode(aId);
    const raw = new Redis(redis.url);
    redis.stops.push(async () => raw.disconnect());
    const peer = await WsPeer.open(a.url);
    await peer.hello();
    a.proc.kill('SIGSTOP');
    await until("A's liveness key lapses", async () => (await raw.exists(`arcp:alive:${aId}`)) === 0);
    a.proc.kill('SIGCONT');
    await until("A's beat sets its key again", async () => (await raw.exists(`arcp:alive:${aId}`)) === 1);
    const result = await peer.terminal((await peer.accepted(peer.submit('conformance.echo', { hello: 'after the stall' }))).payload.job_id as string);
    expect(result.type).toBe('job.result');
    expect(peer.closed).toBe(false);
    expect(await raw.get(`arcp:dead:${aId}`)).toBeNull();
    expect(a.lines.filter((l) => l.includes('fenced'))).toEqual([]);
    await peer.close();
  }, 60_000);
});
