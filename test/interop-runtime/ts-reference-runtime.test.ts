// Certifies the public TypeScript reference runtime (../shared/peers/ts-reference/runtime.mjs), a
// foreign ARCP implementation, over WebSocket (interop and spec profiles) and over stdio. Its known real defects are the
// baseline (conformance/baselines/ts-reference-runtime.txt; reason and the frame that shows each
// in the .json beside it). Any other failure fails this test, and so does a baseline entry that
// passes: a fixed defect, or a check that stopped catching it, must be noticed.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runConformance, type RunResult } from '../../conformance/index.js';

const runtime = new URL('../../../shared/peers/ts-reference/runtime.mjs', import.meta.url).pathname;
const baseline = new URL('../../conformance/baselines/ts-reference-runtime.txt', import.meta.url).pathname;
const specBaseline = new URL('../../conformance/baselines/ts-reference-runtime.spec.txt', import.meta.url).pathname;
const present = existsSync(runtime);
// A 1 s heartbeat: TS counts the 5 s resume window from the welcome (catalog §9 #28), and with 2 s
// its loss detection can come at 6 s, after the window, which skips 6.4/heartbeat/loss-keeps-jobs.
const SHORT_WINDOWS = { RESUME_WINDOW_SEC: '5', HEARTBEAT_SEC: '1' };
// TS's result caps as the wire catalog documents them (§6.13 "Caps: 1 MiB decoded per chunk, 256 MiB
// total"), declared so 14/results/caps-enforced probes the chunk cap (the total is beyond its bound).
const TS_LIMITS = 'result_chunk_bytes=1048576,result_bytes=268435456';
if (!present) console.log(`SKIP TS reference runtime certification: ${runtime} is absent (needs ../shared/peers/ts-reference)`);

/** A loopback port nobody listens on right now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Starts the runtime on `port` and resolves once it prints its listening line. */
function startRuntime(port: number): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    // Short windows (the runtime's own knobs) so the resume-window and heartbeat MUST checks run
    // instead of being skipped, which would leave the run PARTIAL (exit 2).
    const child = spawn(process.execPath, [runtime], { env: { ...process.env, ...SHORT_WINDOWS, PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const timer = setTimeout(() => reject(new Error(`TS runtime did not start on ${port}: ${out}`)), 20_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('listening')) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    child.once('exit', (code) => reject(new Error(`TS runtime exited (${code}): ${out}`)));
  });
}

/** Every verdict that is neither a pass nor an expected (baselined, message-matched) failure nor a documented opt-out. */
function unexpected(r: RunResult): string[] {
  return r.verdicts
    .filter((v) => ['fail', 'warn', 'errored', 'unexpected-pass'].includes(v.outcome))
    .map((v) => `${v.id}: ${v.outcome} ${v.message ?? ''}`);
}

/**
 * MUST checks the run skipped for anything but an optional conformance-agent behaviour added after
 * the TS adapter was built (docs/conformance-agents.md "Optional behaviours") or the other profile.
 */
function unexplainedSkips(r: RunResult): string[] {
  return r.verdicts
    .filter((v) => v.level === 'MUST' && v.outcome === 'skipped' && !/optional .*docs\/conformance-agents\.md|--profile/.test(v.message ?? ''))
    .map((v) => `${v.id}: ${v.message ?? ''}`);
}

describe.skipIf(!present)('TS reference runtime certification (baseline of its real defects)', () => {
  let child: ChildProcess | undefined;
  let port = 0;

  beforeAll(async () => {
    port = await freePort();
    child = await startRuntime(port);
  }, 30_000);

  afterAll(() => {
    child?.kill();
  });

  it('over WebSocket: fails exactly its baselined defects', async () => {
    const r = await runConformance({ target: `ws://127.0.0.1:${port}/arcp`, token: 'demo', tokenB: 'other', peerLimits: TS_LIMITS, expectedFailures: baseline, seed: 7, allowPartial: true, output: 'silent' });
    expect(unexpected(r)).toEqual([]);
    // PARTIAL only for the optional agent behaviours it does not implement (allowPartial above)
    expect(unexplainedSkips(r)).toEqual([]);
    // the baseline is not vacuous: the run did find the defects it lists
    expect(r.verdicts.filter((v) => v.outcome === 'expected-failure').length).toBeGreaterThan(0);
    expect(r.exitCode).toBe(0);
  }, 240_000);

  it('over WebSocket, --profile spec (session.resume, session.close): fails exactly its baselined defects', async () => {
    const r = await runConformance({ target: `ws://127.0.0.1:${port}/arcp`, token: 'demo', tokenB: 'other', peerLimits: TS_LIMITS, profile: 'spec', expectedFailures: specBaseline, seed: 7, allowPartial: true, output: 'silent' });
    expect(unexpected(r)).toEqual([]);
    expect(unexplainedSkips(r)).toEqual([]);
    expect(r.verdicts.filter((v) => v.outcome === 'expected-failure').length).toBeGreaterThan(0);
    expect(r.exitCode).toBe(0);
  }, 240_000);

  it('over stdio (one runtime process per connection): fails exactly its baselined defects', async () => {
    const r = await runConformance({
      stdio: `env STDIO=1 ARCP_LOG_LEVEL=silent RESUME_WINDOW_SEC=${SHORT_WINDOWS.RESUME_WINDOW_SEC} HEARTBEAT_SEC=${SHORT_WINDOWS.HEARTBEAT_SEC} ${process.execPath} ${runtime}`,
      // One session per stdio process: the checks that reconnect cannot run, so this run is
      // PARTIAL by construction; what it tests must still match the baseline exactly.
      allowPartial: true,
      token: 'demo',
      tokenB: 'other',
      peerLimits: TS_LIMITS,
      expectedFailures: baseline,
      seed: 7,
      output: 'silent',
    });
    expect(unexpected(r)).toEqual([]);
    expect(r.verdicts.filter((v) => v.outcome === 'expected-failure').length).toBeGreaterThan(0);
    expect(r.exitCode).toBe(0);
  }, 300_000);
});
