// bench/stream: the issue-3 measurements, each as a ratio to a bare `ws` + JSON baseline taken
// in the same run and through the same topology (runtime and bare server share one child
// process; the clients run here):
//   1. throughput: one job emitting 200,000 `log` events, arcp-kit runtime -> arcp-kit client
//      over ws on loopback (target >= 0.70 of a bare ws server sending the same frames to a bare
//      client that JSON.parses them). Validation on both sides: the runtime strictly validates
//      every outbound frame (`validateOutbound`, on by default everywhere) and the client
//      leniently validates every inbound frame. The same rounds also stream from a second
//      runtime with `validateOutbound: false`, so the cost of strict emit is measured in the
//      same run (issue 9: strict emit must keep the ratio >= 0.70). The resume buffer is on with its
//      defaults (10,000 unacked events / 16 MiB per session, overflow `evict-oldest`); the client
//      acks every 256 events. If the flood outruns the acks, the oldest unacked events are
//      evicted (the session lives on, §6.5) and the report counts the eviction notices;
//   2. median submit -> job.accepted round trip vs a bare ws request/response (target <= 3x);
//   3. runtime heap per idle session with 1,000 concurrent sessions (target <= 50 KB).
// Run: `npm run bench stream` (or `node bin/run-bench.mjs stream`). Env: STREAM_EVENTS, ROUNDS,
// RTT_SAMPLES, SESSIONS override the sizes.
import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket, { WebSocketServer } from 'ws';

const HERE = dirname(fileURLToPath(import.meta.url));
const EVENTS = Number(process.env.STREAM_EVENTS ?? 200_000);
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const RTT_SAMPLES = Number(process.env.RTT_SAMPLES ?? 400);
const SESSIONS = Number(process.env.SESSIONS ?? 1000);
/** Both producers yield to the event loop every BATCH events so sockets can drain. */
const BATCH = 1000;

type ChildMsg = { ready: true; arcpUrl: string; unvalidatedUrl: string; bareUrl: string } | { mem: { heapUsed: number; rss: number } };

// ---------------------------------------------------------------- child: runtime + bare server
async function childMain(): Promise<void> {
  const { ARCPRuntime } = await import('../runtime-kit/runtime/index.js');
  // Resume buffer with its default caps and overflow policy (evict-oldest keeps the session when
  // the flood outruns the client's acks); strict outbound validation forced on.
  // Default options: strict outbound validation is on. `unvalidated` is the before-figure only.
  // One principal on loopback holds all SESSIONS: lift the per-principal and per-source caps
  // (docs/limits.md; sized for a hostile network, not for this measurement).
  const limits = { maxSessionsPerPrincipal: SESSIONS + 16, maxConnectionsPerSource: SESSIONS + 16 };
  const runtime = new ARCPRuntime({ tokens: { t: 'bench' }, logger: () => undefined, limits });
  const unvalidated = new ARCPRuntime({ tokens: { t: 'bench' }, validateOutbound: false, logger: () => undefined, limits });
  for (const rt of [runtime, unvalidated]) {
    rt.registerAgent('bench.flood', async (input, ctx) => {
      const n = (input as { n: number }).n;
      for (let i = 1; i <= n; i++) {
        void ctx.log('info', `event ${i}`);
        // The documented way for a chatty agent (docs/limits.md maxPendingEmitBytesPerSession): a
        // bare setImmediate yield emits 1,000 a turn while the fair share writes 256, and the
        // pending-emit cap ends the job.
        if (i % BATCH === 0) await ctx.drain();
      }
      return { n };
    });
    rt.registerAgent('bench.noop', () => ({ ok: true }));
  }
  const server = await runtime.listen({ host: '127.0.0.1', port: 0 });
  const unvalidatedServer = await unvalidated.listen({ host: '127.0.0.1', port: 0 });

  const bare = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
  await new Promise((r) => bare.once('listening', r));
  bare.on('connection', (ws) => {
    ws.on('message', async (data) => {
      const req = JSON.parse(String(data)) as { op: string; n?: number; id?: string };
      if (req.op === 'ping') return ws.send(JSON.stringify({ id: req.id, type: 'pong' }));
      // The same envelopes the runtime sends for a log event, built and stringified per frame.
      for (let i = 1; i <= req.n!; i++) {
        ws.send(JSON.stringify({ arcp: '1.1', id: `msg_01JBENCH${String(i).padStart(17, '0')}`, type: 'job.event', session_id: 'sess_01JBENCH000000000000000000', job_id: 'job_01JBENCH0000000000000000000', trace_id: '4bf92f3577b34da6a3ce929d0e0e4736', event_seq: i, payload: { kind: 'log', ts: new Date().toISOString(), body: { level: 'info', message: `event ${i}` } } }));
        if (i % BATCH === 0) await new Promise((r) => setImmediate(r));
      }
    });
  });
  const port = (bare.address() as { port: number }).port;
  process.on('disconnect', () => process.exit(0)); // never outlive the parent
  process.on('message', (m: { cmd: string }) => {
    if (m.cmd === 'mem') {
      (globalThis as { gc?: () => void }).gc?.();
      (globalThis as { gc?: () => void }).gc?.();
      const u = process.memoryUsage();
      process.send!({ mem: { heapUsed: u.heapUsed, rss: u.rss } });
    } else if (m.cmd === 'exit') {
      void Promise.all([runtime.close(), unvalidated.close()]).finally(() => process.exit(0));
    }
  });
  process.send!({ ready: true, arcpUrl: server.url!, unvalidatedUrl: unvalidatedServer.url!, bareUrl: `ws://127.0.0.1:${port}` });
}

// ---------------------------------------------------------------- parent: clients + report
function ask(child: ChildProcess, cmd: string): Promise<ChildMsg> {
  return new Promise((resolve) => {
    child.once('message', (m) => resolve(m as ChildMsg));
    child.send({ cmd });
  });
}

function progress(line: string): void {
  process.stderr.write(`  .. ${line}\n`);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Resume-buffer eviction notices seen (status back_pressure, details.reason resume_buffer_evicted). */
let evictionNotices = 0;

async function arcpStream(client: import('../runtime-kit/client/index.js').ARCPClient, n: number): Promise<number> {
  const t0 = performance.now();
  const handle = await client.submit({ agent: 'bench.flood', input: { n } });
  let count = 0;
  for await (const ev of handle.events()) {
    if (ev.kind === 'log') count++;
    else if (ev.kind === 'status' && (ev.body as { details?: { reason?: string } }).details?.reason === 'resume_buffer_evicted') evictionNotices++;
  }
  await handle.done;
  const ms = performance.now() - t0;
  if (count !== n) throw new Error(`arcp stream delivered ${count} of ${n} events`);
  return ms;
}

function bareStream(ws: WebSocket, n: number): Promise<number> {
  return new Promise((resolve) => {
    let count = 0;
    const t0 = performance.now();
    const onMessage = (data: WebSocket.RawData): void => {
      const env = JSON.parse(String(data)) as { payload?: { kind?: string } };
      if (env.payload?.kind === 'log' && ++count === n) {
        ws.off('message', onMessage);
        resolve(performance.now() - t0);
      }
    };
    ws.on('message', onMessage);
    ws.send(JSON.stringify({ op: 'flood', n }));
  });
}

function bareRtt(ws: WebSocket, id: string): Promise<number> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const onMessage = (data: WebSocket.RawData): void => {
      if ((JSON.parse(String(data)) as { id?: string }).id !== id) return;
      ws.off('message', onMessage);
      resolve(performance.now() - t0);
    };
    ws.on('message', onMessage);
    ws.send(JSON.stringify({ op: 'ping', id }));
  });
}

async function openBare(url: string): Promise<WebSocket> {
  const ws = new WebSocket(url, { perMessageDeflate: false });
  await new Promise((r, j) => ws.once('open', r).once('error', j));
  return ws;
}

export default async function main(): Promise<void> {
  if (process.env.ARCP_STREAM_BENCH_CHILD === '1') return childMain();
  const { ARCPClient } = await import('../runtime-kit/client/index.js');
  const { connectWebSocket } = await import('../runtime-kit/transport/websocket-client.js');
  const child = fork(fileURLToPath(import.meta.url), [], {
    env: { ...process.env, ARCP_STREAM_BENCH_CHILD: '1' },
    execArgv: ['--expose-gc', '--import', 'tsx', ...(process.env.STREAM_CHILD_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.STREAM_CHILD_PROF}`] : [])],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ready = (await new Promise((r) => child.once('message', r))) as Extract<ChildMsg, { ready: true }>;
  const newClient = () => new ARCPClient({ client: { name: 'bench', version: '1' }, token: 't', autoAck: { everyN: 256, intervalMs: 250 } });

  // 1. throughput, interleaved rounds, one warm-up round each
  const client = newClient();
  await client.connect(await connectWebSocket(ready.arcpUrl));
  const unvalidatedClient = newClient();
  await unvalidatedClient.connect(await connectWebSocket(ready.unvalidatedUrl));
  const bare = await openBare(ready.bareUrl);
  await arcpStream(client, Math.min(EVENTS, 20_000));
  await arcpStream(unvalidatedClient, Math.min(EVENTS, 20_000));
  await bareStream(bare, Math.min(EVENTS, 20_000));
  const arcpMs: number[] = [];
  const unvalidatedMs: number[] = [];
  const bareMs: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    bareMs.push(await bareStream(bare, EVENTS));
    arcpMs.push(await arcpStream(client, EVENTS));
    unvalidatedMs.push(await arcpStream(unvalidatedClient, EVENTS));
    progress(`round ${r + 1}/${ROUNDS}: bare ${bareMs[r]!.toFixed(0)} ms, arcp ${arcpMs[r]!.toFixed(0)} ms, arcp without strict emit ${unvalidatedMs[r]!.toFixed(0)} ms`);
  }
  const throughputRatio = median(bareMs) / median(arcpMs);
  const unvalidatedRatio = median(bareMs) / median(unvalidatedMs);
  await unvalidatedClient.close();

  // 2. submit -> accepted vs bare request/response, alternating samples
  const submitRtt: number[] = [];
  const bareRttMs: number[] = [];
  for (let i = 0; i < RTT_SAMPLES; i++) {
    const t0 = performance.now();
    const h = await client.submit({ agent: 'bench.noop', input: {} });
    submitRtt.push(performance.now() - t0);
    bareRttMs.push(await bareRtt(bare, `r${i}`));
    await h.done;
  }
  const rttRatio = median(submitRtt) / median(bareRttMs);
  await client.close();
  bare.close();

  // 3. idle sessions: runtime heap (after GC) before and after SESSIONS concurrent sessions
  await new Promise((r) => setTimeout(r, 200));
  const before = ((await ask(child, 'mem')) as { mem: { heapUsed: number; rss: number } }).mem;
  const idle: InstanceType<typeof ARCPClient>[] = [];
  for (let i = 0; i < SESSIONS; i += 50) {
    await Promise.all(
      Array.from({ length: Math.min(50, SESSIONS - i) }, async () => {
        const c = new ARCPClient({ client: { name: 'idle', version: '1' }, token: 't', heartbeat: false });
        await c.connect(await connectWebSocket(ready.arcpUrl));
        idle.push(c);
      }),
    );
  }
  await new Promise((r) => setTimeout(r, 200));
  const after = ((await ask(child, 'mem')) as { mem: { heapUsed: number; rss: number } }).mem;
  const heapPerSession = (after.heapUsed - before.heapUsed) / SESSIONS;
  const rssPerSession = (after.rss - before.rss) / SESSIONS;
  await Promise.all(idle.map((c) => c.close()));
  child.send({ cmd: 'exit' });

  const report = {
    name: 'stream',
    node: process.version,
    measuredAt: new Date().toISOString(),
    throughput: {
      events: EVENTS,
      rounds: ROUNDS,
      arcpMedianMs: median(arcpMs),
      bareMedianMs: median(bareMs),
      arcpEventsPerSec: EVENTS / (median(arcpMs) / 1000),
      bareEventsPerSec: EVENTS / (median(bareMs) / 1000),
      ratio: throughputRatio,
      target: '>= 0.70',
      arcpRoundsMs: arcpMs,
      bareRoundsMs: bareMs,
      validation: { runtimeStrictOutbound: true, clientLenientInbound: true },
      withoutStrictOutbound: { arcpMedianMs: median(unvalidatedMs), ratio: unvalidatedRatio, roundsMs: unvalidatedMs, strictEmitCost: 1 - throughputRatio / unvalidatedRatio },
      resumeBuffer: { maxEventsPerSession: 10_000, maxBytesPerSession: 16 * 1024 * 1024, overflow: 'evict-oldest', clientAckEveryN: 256, evictionNotices },
    },
    submitRoundTrip: { samples: RTT_SAMPLES, arcpMedianMs: median(submitRtt), bareMedianMs: median(bareRttMs), ratio: rttRatio, target: '<= 3x' },
    idleSessions: { sessions: SESSIONS, heapBytesPerSession: heapPerSession, rssBytesPerSession: rssPerSession, target: '<= 50 KB (heap)' },
  };
  console.log(`bench stream (node ${process.version})`);
  console.log('  validation: runtime strict outbound ON (every frame), client lenient inbound ON (every frame)');
  console.log(`  resume buffer: ON, default caps (10,000 events / 16 MiB per session), overflow evict-oldest, client acks every 256; eviction notices during the run: ${evictionNotices}`);
  console.log(`  throughput ${EVENTS} log events: arcp ${report.throughput.arcpEventsPerSec.toFixed(0)}/s, bare ws ${report.throughput.bareEventsPerSec.toFixed(0)}/s -> ratio ${throughputRatio.toFixed(3)} (target >= 0.70)`);
  console.log(`  same run, strict outbound OFF: ratio ${unvalidatedRatio.toFixed(3)} -> strict emit costs ${((1 - throughputRatio / unvalidatedRatio) * 100).toFixed(1)} % of throughput`);
  console.log(`  submit->accepted median ${median(submitRtt).toFixed(3)} ms vs bare ws rtt ${median(bareRttMs).toFixed(3)} ms -> ${rttRatio.toFixed(2)}x (target <= 3x)`);
  console.log(`  idle sessions x${SESSIONS}: runtime heap ${(heapPerSession / 1024).toFixed(1)} KB/session, rss ${(rssPerSession / 1024).toFixed(1)} KB/session (target <= 50 KB)`);
  const file = join(HERE, 'results', 'stream.json');
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`  wrote ${file}`);
}

if (process.env.ARCP_STREAM_BENCH_CHILD === '1') await childMain();
