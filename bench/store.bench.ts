// bench/store: issue 12 figures, all measured in the same run (ratios, never absolute targets):
//   1. streaming throughput of one job emitting STREAM_EVENTS `log` events through a runtime on
//      the memory store (no durable store: the baseline), on SQLite (WAL, one transaction per
//      tick, frames held back until committed) and on Redis (one MULTI per tick); rounds are
//      interleaved; target: SQLite >= 0.5 of memory;
//   2. resume latency (hello with resume -> last replayed frame): same node for every store, and
//      another node of a Redis cluster (the session is handed over between nodes);
//   3. runtime heap per idle session for each store (SESSIONS sessions, after GC).
// The runtimes live in one child process (like bench/stream), the clients here. Redis comes from
// /usr/bin/redis-server on a free port in 7960-7969; without it the Redis rows are skipped.
// Run: `npm run bench store`. Env: STREAM_EVENTS, ROUNDS, RESUME_SAMPLES, SESSIONS.
import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';

const HERE = dirname(fileURLToPath(import.meta.url));
const EVENTS = Number(process.env.STREAM_EVENTS ?? 100_000);
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const RESUME_SAMPLES = Number(process.env.RESUME_SAMPLES ?? 30);
const SESSIONS = Number(process.env.SESSIONS ?? 500);
const BATCH = 1000;

type Urls = Record<string, string>;

// ---------------------------------------------------------------- child: the runtimes
async function childMain(): Promise<void> {
  const { ARCPRuntime } = await import('../runtime-kit/runtime/index.js');
  const { SqliteRuntimeStore } = await import('../runtime-kit/store/sqlite-store.js');
  const { RedisRuntimeStore } = await import('../runtime-kit/store/redis-store.js');
  const stores: { name: string; store?: import('../runtime-kit/store/runtime-store.js').RuntimeStore }[] = [
    { name: 'memory' },
    { name: 'sqlite', store: new SqliteRuntimeStore(process.env.STORE_BENCH_SQLITE!) },
  ];
  if (process.env.STORE_BENCH_REDIS) {
    stores.push({ name: 'redis', store: await RedisRuntimeStore.connect(process.env.STORE_BENCH_REDIS, { nodeId: 'bench-r1' }) });
    stores.push({ name: 'redis-b', store: await RedisRuntimeStore.connect(process.env.STORE_BENCH_REDIS, { nodeId: 'bench-r2' }) });
  }
  const urls: Urls = {};
  const runtimes: InstanceType<typeof ARCPRuntime>[] = [];
  for (const { name, store } of stores) {
    const rt = new ARCPRuntime({ tokens: { t: 'bench' }, logger: () => undefined, ...(store ? { store } : {}) });
    rt.registerAgent('bench.flood', async (input, ctx) => {
      const n = (input as { n: number }).n;
      for (let i = 1; i <= n; i++) {
        ctx.log('info', `event ${i}`);
        if (i % BATCH === 0) await new Promise((r) => setImmediate(r));
      }
      return { n };
    });
    await rt.ready();
    urls[name] = (await rt.listen({ host: '127.0.0.1', port: 0 })).url!;
    runtimes.push(rt);
  }
  process.on('disconnect', () => process.exit(0));
  process.on('message', (m: { cmd: string }) => {
    if (m.cmd === 'mem') {
      (globalThis as { gc?: () => void }).gc?.();
      (globalThis as { gc?: () => void }).gc?.();
      process.send!({ heapUsed: process.memoryUsage().heapUsed });
    } else if (m.cmd === 'exit') {
      void Promise.all(runtimes.map((r) => r.close()))
        .then(() => Promise.all(stores.map((s) => s.store?.close())))
        .finally(() => process.exit(0));
    }
  });
  process.send!({ urls });
}

// ---------------------------------------------------------------- parent: clients
class Peer {
  private handlers: ((m: any, raw: string) => void)[] = [];
  sessionId = '';
  token = '';
  private n = 0;
  constructor(readonly ws: WebSocket) {
    ws.on('message', (d) => {
      const raw = String(d);
      const m = JSON.parse(raw);
      for (const h of [...this.handlers]) h(m, raw);
    });
  }
  static async open(url: string): Promise<Peer> {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    await new Promise((r, j) => ws.once('open', r).once('error', j));
    return new Peer(ws);
  }
  send(type: string, payload: unknown, extra: Record<string, unknown> = {}): string {
    const id = `msg_bench${++this.n}`;
    this.ws.send(JSON.stringify({ arcp: '1.1', id, type, ...(this.sessionId ? { session_id: this.sessionId } : {}), ...extra, payload }));
    return id;
  }
  until(pred: (m: any) => boolean, each?: (m: any) => void): Promise<any> {
    return new Promise((resolve) => {
      const h = (m: any): void => {
        each?.(m);
        if (!pred(m)) return;
        this.handlers = this.handlers.filter((x) => x !== h);
        resolve(m);
      };
      this.handlers.push(h);
    });
  }
  async hello(resume?: { session_id: string; resume_token: string; last_event_seq: number }): Promise<any> {
    const p = this.until((m) => m.type === 'session.welcome' || m.type === 'session.error');
    this.send('session.hello', { client: { name: 'bench', version: '1' }, auth: { scheme: 'bearer', token: 't' }, capabilities: { encodings: ['json'], features: ['ack'] }, ...(resume ? { resume } : {}) });
    const w = await p;
    if (w.type !== 'session.welcome') throw new Error(`hello refused: ${JSON.stringify(w.payload)}`);
    this.sessionId = w.session_id;
    this.token = w.payload.resume_token;
    return w;
  }
  /** Submits a flood and resolves at its terminal; acks every 256 events like a real client. */
  async flood(n: number): Promise<{ ms: number; lastSeq: number; logs: number }> {
    let logs = 0;
    let lastSeq = 0;
    const t0 = performance.now();
    const done = this.until(
      (m) => m.type === 'job.result' || m.type === 'job.error',
      (m) => {
        if (m.event_seq !== undefined) lastSeq = m.event_seq;
        if (m.payload?.kind === 'log' && ++logs % 256 === 0) this.send('session.ack', { last_processed_seq: lastSeq });
      },
    );
    this.send('job.submit', { agent: 'bench.flood', input: { n } });
    const end = await done;
    if (end.type !== 'job.result' || logs !== n) throw new Error(`flood delivered ${logs}/${n}: ${JSON.stringify(end.payload)}`);
    return { ms: performance.now() - t0, lastSeq, logs };
  }
  close(): Promise<void> {
    return new Promise((r) => {
      this.ws.once('close', () => r());
      this.ws.terminate();
    });
  }
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const ask = (child: ChildProcess, cmd: string): Promise<any> =>
  new Promise((resolve) => {
    child.once('message', resolve);
    child.send({ cmd });
  });
const progress = (line: string): void => void process.stderr.write(`  .. ${line}\n`);

/** hello-with-resume -> last replayed frame (the job's terminal), ms. */
async function resumeOnce(fromUrl: string, toUrl: string): Promise<number> {
  const first = await Peer.open(fromUrl);
  await first.hello();
  const { lastSeq } = await first.flood(100);
  await first.close();
  const second = await Peer.open(toUrl);
  const t0 = performance.now();
  const replayed = second.until((m) => m.event_seq === lastSeq);
  await second.hello({ session_id: first.sessionId, resume_token: first.token, last_event_seq: 0 });
  await replayed;
  const ms = performance.now() - t0;
  await second.close();
  return ms;
}

export default async function main(): Promise<void> {
  if (process.env.ARCP_STORE_BENCH_CHILD === '1') return childMain();
  const { haveRedis, startRedis } = await import('../test/store/support/redis-server.js');
  const redis = haveRedis ? await startRedis() : undefined;
  if (!redis) progress('redis-server not found: Redis rows skipped');
  const dir = mkdtempSync(join(tmpdir(), 'arcp-store-bench-'));
  const child = fork(fileURLToPath(import.meta.url), [], {
    env: { ...process.env, ARCP_STORE_BENCH_CHILD: '1', STORE_BENCH_SQLITE: join(dir, 'bench.db'), ...(redis ? { STORE_BENCH_REDIS: redis.url } : {}) },
    execArgv: ['--expose-gc', '--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  try {
    const { urls } = (await new Promise((r) => child.once('message', r))) as { urls: Urls };
    const stores = Object.keys(urls).filter((s) => s !== 'redis-b');

    // 1. throughput, interleaved rounds after one warm-up each
    const peers: Record<string, Peer> = {};
    for (const s of stores) {
      peers[s] = await Peer.open(urls[s]!);
      await peers[s]!.hello();
      await peers[s]!.flood(Math.min(EVENTS, 20_000));
    }
    const rounds: Record<string, number[]> = Object.fromEntries(stores.map((s) => [s, []]));
    for (let r = 0; r < ROUNDS; r++) {
      for (const s of stores) rounds[s]!.push((await peers[s]!.flood(EVENTS)).ms);
      progress(`round ${r + 1}/${ROUNDS}: ${stores.map((s) => `${s} ${rounds[s]![r]!.toFixed(0)} ms`).join(', ')}`);
    }
    for (const s of stores) await peers[s]!.close();
    const eps = (s: string): number => EVENTS / (median(rounds[s]!) / 1000);
    const throughput = Object.fromEntries(stores.map((s) => [s, { eventsPerSec: eps(s), medianMs: median(rounds[s]!), roundsMs: rounds[s], ratioToMemory: eps(s) / eps('memory') }]));

    // 2. resume latency
    const resume: Record<string, { medianMs: number; samples: number }> = {};
    const pairs: [string, string, string][] = stores.map((s) => [`${s} same node`, urls[s]!, urls[s]!]);
    if (urls['redis-b']) pairs.push(['redis other node', urls.redis!, urls['redis-b']]);
    const samples: Record<string, number[]> = Object.fromEntries(pairs.map(([n]) => [n, []]));
    for (let i = 0; i < RESUME_SAMPLES; i++) for (const [n, from, to] of pairs) samples[n]!.push(await resumeOnce(from, to));
    for (const [n] of pairs) resume[n] = { medianMs: median(samples[n]!), samples: RESUME_SAMPLES };

    // 3. heap per idle session
    const idle: Record<string, number> = {};
    for (const s of stores) {
      await new Promise((r) => setTimeout(r, 200));
      const before = (await ask(child, 'mem')).heapUsed as number;
      const open: Peer[] = [];
      for (let i = 0; i < SESSIONS; i += 50) {
        await Promise.all(
          Array.from({ length: Math.min(50, SESSIONS - i) }, async () => {
            const p = await Peer.open(urls[s]!);
            await p.hello();
            open.push(p);
          }),
        );
      }
      await new Promise((r) => setTimeout(r, 200));
      const after = (await ask(child, 'mem')).heapUsed as number;
      idle[s] = (after - before) / SESSIONS;
      await Promise.all(open.map((p) => p.close()));
    }

    const report = {
      name: 'store',
      node: process.version,
      measuredAt: new Date().toISOString(),
      throughput: { events: EVENTS, rounds: ROUNDS, perStore: throughput, target: 'sqlite >= 0.5 of memory' },
      resumeLatency: resume,
      idleSessions: { sessions: SESSIONS, heapBytesPerSession: idle },
    };
    console.log(`bench store (node ${process.version}), ${EVENTS} log events per round, ${ROUNDS} rounds`);
    for (const s of stores) console.log(`  throughput ${s.padEnd(7)} ${throughput[s]!.eventsPerSec.toFixed(0).padStart(8)} events/s  ratio to memory ${throughput[s]!.ratioToMemory.toFixed(3)}`);
    console.log(`  SQLite/memory ${throughput.sqlite!.ratioToMemory.toFixed(3)} (target >= 0.5)`);
    for (const [n, r] of Object.entries(resume)) console.log(`  resume ${n.padEnd(18)} median ${r.medianMs.toFixed(2)} ms (${r.samples} samples, 102-event replay)`);
    for (const [s, b] of Object.entries(idle)) console.log(`  idle session heap ${s.padEnd(7)} ${(b / 1024).toFixed(1)} KB/session`);
    const file = join(HERE, 'results', 'store.json');
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
    console.log(`  wrote ${file}`);
  } finally {
    child.send({ cmd: 'exit' });
    await new Promise((r) => child.once('exit', r));
    await redis?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.env.ARCP_STORE_BENCH_CHILD === '1') await childMain();
