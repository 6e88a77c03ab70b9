// `npm run bench attack`: the full attack battery (test/attack/support/battery.ts) against a
// runtime in its own process (bench/attack-target.ts, loopback port 7870). Reports crashes,
// stuck connections, lost events, the target's RSS (start, after each phase, peak) and ping
// RTT under load (50 sessions streaming awaited events), plus, for comparison, ping RTT while
// 50 agents emit without awaiting (what the fair share cannot interrupt). Writes
// bench/results/attack.json. Sizes scale with ARCP_ATTACK_SCALE (default 1).
import { spawn } from 'node:child_process';
import { readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
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

async function startChild(): Promise<{ url: string; pid: number; exited: Promise<number | null>; stop(): Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(here, 'attack-target.ts')], { stdio: ['ignore', 'pipe', 'inherit'] });
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
  };
}

/** Ping RTTs while `sessions` agents emit `events` each without ever awaiting (known limit). */
async function syncEmitters(url: string, sessions: number, events: number, pings: number): Promise<PingStats> {
  const peers: RawWs[] = [];
  try {
    const pinger = await RawWs.open(url);
    peers.push(pinger);
    const pw = await pinger.welcome('t-bob');
    for (let i = 0; i < sessions; i++) {
      const p = await RawWs.open(url);
      peers.push(p);
      const w = await p.welcome('t-alice');
      // batch > count: attack.flood never yields.
      p.send('job.submit', { agent: 'attack.flood', input: { count: events, size: 50, batch: events + 1 } }, { session_id: w.payload.session_id });
    }
    return await pingRtts(pinger, pw.payload.session_id as string, pings, 'sync');
  } finally {
    for (const p of peers) p.terminate();
  }
}

export default async function main(): Promise<void> {
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
  let sync;
  try {
    report = await runBattery(target.url, sizes, { between: (phase) => void (rss[phase] = rssMiB(target.pid)) });
    sync = await syncEmitters(target.url, 50, Math.round(20_000 * scale), 20);
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
    ping_ms_50_sessions_sync_emits: sync,
  };
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  mkdirSync(join(here, 'results'), { recursive: true });
  writeFileSync(join(here, 'results', 'attack.json'), `${JSON.stringify(result, null, 2)}\n`);
}
