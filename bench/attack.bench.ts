// `npm run bench attack`: the full attack battery (test/attack/support/battery.ts) against a
// runtime in its own process (bench/attack-target.ts, loopback port 7870). Reports crashes,
// stuck connections, lost events, the target's RSS (start, after each phase, peak) and ping
// RTT under load (50 sessions streaming awaited events), and ping RTT while 50 agents emit
// without ever awaiting (their emits past the turn's budget are queued and written a bounded
// chunk per turn, runtime-kit/runtime/limits/emit-outbox.ts), with the idle ping of the same
// run as the baseline and a lost-event count for those streams. Writes bench/results/attack.json.
// Sizes scale with ARCP_ATTACK_SCALE (default 1); ARCP_ATTACK_PHASES=sync runs only the
// non-awaiting phase (bench/results/attack-sync.json).
import { spawn } from 'node:child_process';
import { readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { pingRtts, runBattery, type BatterySizes, type PingStats } from '../test/attack/support/battery.js';
import { RawWs } from '../test/attack/support/raw-ws.js';

const here = dirname(fileURLToPath(import.meta.url));
const scale = Number(process.env.ARCP_ATTACK_SCALE ?? 1);

function rssMiB(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 1024) : NaN;
  } catch {
    return NaN;
  }
}

/** Event-loop delay percentiles (ms) of a process (monitorEventLoopDelay, 5 ms resolution). */
export interface LoopDelay {
  p50: number;
  p99: number;
  max: number;
}

/** The target's GC pauses in the same window (PerformanceObserver 'gc'). */
export interface GcPauses {
  count: number;
  over_50ms: number;
  max_ms: number;
  total_ms: number;
}

interface Child {
  url: string;
  pid: number;
  exited: Promise<number | null>;
  stop(): Promise<void>;
  /** The target's own loop delay since the last reset (bench/attack-target.ts, over IPC). */
  loopDelay(): Promise<{ loop_delay_ms: LoopDelay; gc: GcPauses }>;
  resetLoopDelay(): void;
}

async function startChild(): Promise<Child> {
  // ARCP_ATTACK_NODE_ARGS: extra node flags for the target (e.g. `--cpu-prof --cpu-prof-dir=DIR`).
  const nodeArgs = (process.env.ARCP_ATTACK_NODE_ARGS ?? '').split(' ').filter((a) => a !== '');
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', join(here, 'attack-target.ts')], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  // Never leave the target behind, whatever ends this process.
  const killChild = (): void => void child.kill('SIGKILL');
  process.once('exit', killChild);
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`attack target exited (${code}) before listening`)));
  });
  const { url, pid } = JSON.parse(line) as { url: string; pid: number };
  return {
    url,
    pid,
    exited,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
    loopDelay: () =>
      new Promise((resolve) => {
        child.once('message', (m) => resolve(m as { loop_delay_ms: LoopDelay; gc: GcPauses }));
        child.send('loop-delay');
      }),
    resetLoopDelay: () => void child.send('loop-delay-reset'),
  };
}

export interface SyncEmitReport {
  sessions: number;
  events_per_session: number;
  ping_ms_idle: PingStats;
  /** Pinged from the bench's main thread, which also parses every frame of the 50 streams. */
  ping_ms_during: PingStats;
  ping_p99_ratio_to_idle: number;
  /** Pinged from a worker thread of its own (bench/ping-worker.mjs): the runtime's share of the round trip. */
  ping_ms_during_own_thread: PingStats;
  ping_p99_own_thread_ratio_to_idle: number;
  /** During the burst: the target's own event-loop delay, and the bench process's (its 50 readers parse every frame). */
  loop_delay_ms_target: LoopDelay;
  gc_target: GcPauses;
  loop_delay_ms_client: LoopDelay;
  /** From the submits to the last job.result. */
  burst_ms: number;
  lost_events: number;
  streams_not_gap_free: number;
  /** How streams ended other than by their job's terminal: "close code reason" -> count. */
  streams_closed: Record<string, number>;
  /** Streams whose job ended in job.error (e.g. a pending-output cap), by code. */
  job_errors: Record<string, number>;
}

/**
 * Ping RTTs while `sessions` agents emit `events` each without ever awaiting: pings every 10 ms
 * (at least `minPings`) until every stream has its job.result, then checks each stream got all
 * its events gap-free. The idle pings of the same connection come first (the baseline).
 */
export async function syncEmitters(target: Pick<Child, 'url' | 'loopDelay' | 'resetLoopDelay'>, sessions: number, events: number, minPings: number): Promise<SyncEmitReport> {
  const url = target.url;
  const peers: RawWs[] = [];
  const clientDelay = monitorEventLoopDelay({ resolution: 5 });
  try {
    const pinger = await RawWs.open(url);
    peers.push(pinger);
    const pw = await pinger.welcome('t-bob');
    const pingSid = pw.payload.session_id as string;
    const idle = await pingRtts(pinger, pingSid, minPings, 'sync-idle');
    const streams: RawWs[] = [];
    const sids: string[] = [];
    for (let i = 0; i < sessions; i++) {
      const p = await RawWs.open(url);
      peers.push(p);
      streams.push(p);
      sids.push((await p.welcome('t-alice')).payload.session_id as string);
    }
    const closes: Record<string, number> = {};
    for (const p of streams) void p.closed.then(({ code, reason }) => void (closes[`${code} ${reason}`] = (closes[`${code} ${reason}`] ?? 0) + 1));
    const worker = await startPingWorker(url);
    target.resetLoopDelay();
    clientDelay.enable();
    worker.start();
    const started = performance.now();
    // batch > count: attack.flood never yields.
    streams.forEach((p, i) => p.send('job.submit', { agent: 'attack.flood', input: { count: events, size: 50, batch: events + 1 } }, { session_id: sids[i] }));
    let finished = NaN;
    let allEnded = false;
    void Promise.all(streams.map((p) => p.find((f) => f.type === 'job.result' || f.type === 'job.error', 600_000))).then(
      () => {
        finished = performance.now() - started;
        allEnded = true;
      },
      () => (allEnded = true), // a stream closed or timed out: counted as lost below
    );
    // The stream clients only read; §6.4 wants an idle peer to ping, or the runtime (which is
    // busy sending, so it does not ping) declares them lost after two silent intervals.
    const keepalive = setInterval(() => streams.forEach((p, i) => p.send('session.ping', { nonce: `keep${i}`, sent_at: new Date().toISOString() }, { session_id: sids[i] })), 5000);
    const rtts: number[] = [];
    for (let i = 0; rtts.length < minPings || !allEnded; i++) {
      const nonce = `sync${i}`;
      const t0 = performance.now();
      pinger.send('session.ping', { nonce, sent_at: new Date().toISOString() }, { session_id: pingSid });
      await pinger.find((f) => f.type === 'session.pong' && f.payload?.ping_nonce === nonce, 120_000);
      rtts.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, 10));
      if (performance.now() - started > 600_000) break;
    }
    clearInterval(keepalive);
    const ownThread = stats(await worker.stop());
    clientDelay.disable();
    const targetDelay = await target.loopDelay();
    let lost = 0;
    let notGapFree = 0;
    const jobErrors: Record<string, number> = {};
    const closedBeforeEnd = { ...closes }; // read before the finally below terminates the rest
    for (const p of streams) {
      const err = p.received.find((f) => f.type === 'job.error');
      if (err) jobErrors[String(err.payload?.code)] = (jobErrors[String(err.payload?.code)] ?? 0) + 1;
      const logs = p.received.filter((f) => f.type === 'job.event' && f.payload?.kind === 'log').length;
      lost += Math.max(0, events - logs);
      const seqs = p.received.filter((f) => typeof f.event_seq === 'number').map((f) => f.event_seq!);
      if (seqs.some((s, i) => s !== i + 1)) notGapFree++;
    }
    const during = stats(rtts);
    return {
      sessions,
      events_per_session: events,
      ping_ms_idle: idle,
      ping_ms_during: during,
      ping_p99_ratio_to_idle: Number((during.p99 / idle.p99).toFixed(2)),
      ping_ms_during_own_thread: ownThread,
      ping_p99_own_thread_ratio_to_idle: Number((ownThread.p99 / idle.p99).toFixed(2)),
      loop_delay_ms_target: targetDelay.loop_delay_ms,
      gc_target: targetDelay.gc,
      loop_delay_ms_client: { p50: nsToMs(clientDelay.percentile(50)), p99: nsToMs(clientDelay.percentile(99)), max: nsToMs(clientDelay.max) },
      burst_ms: Math.round(finished),
      lost_events: lost,
      streams_not_gap_free: notGapFree,
      streams_closed: closedBeforeEnd,
      job_errors: jobErrors,
    };
  } finally {
    for (const p of peers) p.terminate();
  }
}

/** The pinger of bench/ping-worker.mjs, connected and welcomed; `stop()` returns its round trips (ms). */
async function startPingWorker(url: string): Promise<{ start(): void; stop(): Promise<number[]> }> {
  const worker = new Worker(new URL('./ping-worker.mjs', import.meta.url), { workerData: { url, token: 't-bob' } });
  const next = (): Promise<{ ready?: boolean; rtts?: number[]; error?: string }> =>
    new Promise((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
  const ready = await next();
  if (!ready.ready) throw new Error(`ping worker: ${ready.error ?? 'no welcome'}`);
  return {
    start: () => worker.postMessage('start'),
    stop: async () => {
      const done = next();
      worker.postMessage('stop');
      const { rtts } = await done;
      await worker.terminate();
      return rtts ?? [];
    },
  };
}

function nsToMs(ns: number): number {
  return Number((ns / 1e6).toFixed(2));
}

function stats(rtts: number[]): PingStats {
  const sorted = [...rtts].sort((a, b) => a - b);
  const at = (q: number): number => Number((sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN).toFixed(2));
  return { count: sorted.length, p50: at(0.5), p99: at(0.99), max: at(1) };
}

/** ARCP_ATTACK_PHASES=sync: only the non-awaiting phase, against a fresh target. */
async function syncOnly(): Promise<void> {
  const target = await startChild();
  let peak = rssMiB(target.pid);
  const sampler = setInterval(() => (peak = Math.max(peak, rssMiB(target.pid) || 0)), 100);
  const rssStart = rssMiB(target.pid);
  const started = performance.now();
  let report: SyncEmitReport;
  try {
    report = await syncEmitters(target, 50, Math.round(20_000 * scale), 20);
  } finally {
    clearInterval(sampler);
    await target.stop();
  }
  const result = {
    name: 'attack-sync',
    date: new Date().toISOString(),
    node: process.version,
    scale,
    seconds: Number(((performance.now() - started) / 1000).toFixed(1)),
    ...report,
    rss_mib: { start: rssStart, peak },
    load_average_at_end: readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' '),
  };
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  mkdirSync(join(here, 'results'), { recursive: true });
  writeFileSync(join(here, 'results', 'attack-sync.json'), `${JSON.stringify(result, null, 2)}\n`);
}

export default async function main(): Promise<void> {
  if (process.env.ARCP_ATTACK_PHASES === 'sync') return syncOnly();
  const sizes: BatterySizes = {
    hostileFrames: Math.round(20_000 * scale),
    floodFrames: Math.round(50_000 * scale),
    stalledHandshakes: Math.round(400 * scale),
    bruteForceAttempts: Math.round(200 * scale),
    delegationLevels: 2000,
    witnessEvents: Math.round(50_000 * scale),
    fairnessSessions: 50,
    fairnessEvents: Math.round(20_000 * scale),
    pings: Math.round(500 * scale),
    stalledDeadlineMs: 6000,
    seed: 13,
  };
  const target = await startChild();
  let crashed = false;
  let stopping = false;
  void target.exited.then(() => (crashed = !stopping));
  const rss: Record<string, number> = { start: rssMiB(target.pid) };
  let peak = rss.start!;
  const sampler = setInterval(() => (peak = Math.max(peak, rssMiB(target.pid) || 0)), 100);
  const started = performance.now();
  let report;
  let sync: SyncEmitReport;
  try {
    report = await runBattery(target.url, sizes, { between: (phase) => void (rss[phase] = rssMiB(target.pid)) });
    sync = await syncEmitters(target, 50, Math.round(20_000 * scale), 20);
    rss.end = rssMiB(target.pid);
  } catch (err) {
    // A crashed target makes the clients fail: report that, not a stack trace.
    process.stdout.write(`${JSON.stringify({ name: 'attack', crashes: crashed ? 1 : 0, error: String(err) })}\n`);
    process.exitCode = 1;
    return;
  } finally {
    clearInterval(sampler);
    stopping = true;
    if (!crashed) await target.stop();
  }
  const result = {
    name: 'attack',
    date: new Date().toISOString(),
    node: process.version,
    seconds: Number(((performance.now() - started) / 1000).toFixed(1)),
    sizes,
    crashes: crashed ? 1 : 0,
    stuck_connections: report.stuckConnections,
    stalled_handshakes_still_open: report.stalledStillOpen,
    lost_events: report.lostEvents + (report.witness.expected - report.witness.received) + (report.witness.gapFree ? 0 : 1),
    lost_events_streaming_sessions: report.lostEvents,
    witness: report.witness,
    brute_force_accepted: report.bruteForceAccepted,
    brute_force_rate_limited: report.bruteForceRateLimited,
    delegation_jobs_from_2000_levels: report.delegationJobs,
    frames_sent: report.framesSent,
    alive_at_end: report.aliveAtEnd,
    rss_mib: { ...rss, peak },
    ping_ms_idle: report.idlePingMs,
    ping_ms_50_sessions_awaiting_emits: report.pingMs,
    ping_p99_ratio_load_to_idle: Number((report.pingMs.p99 / report.idlePingMs.p99).toFixed(2)),
    load_average_at_end: readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' '),
    ping_ms_50_sessions_sync_emits: sync.ping_ms_during,
    sync_emits_50_sessions: sync,
  };
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  mkdirSync(join(here, 'results'), { recursive: true });
  writeFileSync(join(here, 'results', 'attack.json'), `${JSON.stringify(result, null, 2)}\n`);
}
