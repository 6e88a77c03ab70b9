// The runtime under attack for bench/attack.bench.ts, in its own process so the bench can see
// it crash and read its RSS: the attack target of test/attack on ARCP_ATTACK_PORT (default
// 7870), with a short handshake timeout so stalled-handshake rounds end quickly, and resume
// buffers large enough for the battery's clients (which never ack) to resume without a gap after
// a slow-reader cut-off: 60k events per session, 512 MiB per principal. Prints one JSON line
// {url, pid} when listening; SIGTERM closes it.
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { startTarget } from '../test/attack/support/target.js';

// The target's own event-loop delay, for the bench over IPC ('loop-delay-reset' / 'loop-delay'):
// how long the runtime kept ready work waiting, apart from what the client's process adds to a
// ping's round trip.
const loopDelay = monitorEventLoopDelay({ resolution: 5 });
loopDelay.enable();
// GC pauses of the same window (a major GC of a large heap is a loop delay no scheduling avoids).
let gc = { count: 0, over_50ms: 0, max_ms: 0, total_ms: 0 };
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    gc.count++;
    gc.total_ms += e.duration;
    if (e.duration > 50) gc.over_50ms++;
    gc.max_ms = Math.max(gc.max_ms, e.duration);
  }
}).observe({ entryTypes: ['gc'] });
process.on('message', (msg) => {
  if (msg === 'loop-delay-reset') {
    gc = { count: 0, over_50ms: 0, max_ms: 0, total_ms: 0 };
    return void loopDelay.reset();
  }
  if (msg !== 'loop-delay') return;
  const ms = (ns: number): number => Number((ns / 1e6).toFixed(2));
  process.send?.({
    loop_delay_ms: { p50: ms(loopDelay.percentile(50)), p99: ms(loopDelay.percentile(99)), max: ms(loopDelay.max) },
    gc: { count: gc.count, over_50ms: gc.over_50ms, max_ms: Math.round(gc.max_ms), total_ms: Math.round(gc.total_ms) },
  });
});

let warnings = 0;
const target = await startTarget(
  {
    limits: { handshakeTimeoutMs: Number(process.env.ARCP_ATTACK_HANDSHAKE_MS ?? 2000), maxRetainedEventBytesPerPrincipal: 512 * 1024 * 1024 },
    maxEventsPerSession: 60_000,
    maxBytesPerSession: 64 * 1024 * 1024,
    logger: (level, message, data) => {
      if (level !== 'warn' && level !== 'error') return;
      // The first few go to stderr (what happened), the rest are counted.
      if (++warnings <= 40) process.stderr.write(`attack-target [${level}] ${message} ${JSON.stringify(data ?? {})}\n`);
    },
  },
  Number(process.env.ARCP_ATTACK_PORT ?? 7870),
);
process.stdout.write(`${JSON.stringify({ url: target.url, pid: process.pid })}\n`);
process.on('SIGTERM', () => {
  process.stderr.write(`attack-target: ${warnings} warn/error log lines\n`);
  void target.close().then(() => process.exit(0));
});
