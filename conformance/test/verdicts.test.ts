// Honest verdicts and exit codes (issue 8 item 5): a run certifies only what it tested. `--only`
// and MUST checks skipped for a missing need make it PARTIAL, everywhere a verdict shows, with
// what to add; 0 conformant, 1 non-conformant, 2 usage or set-up error; both tokens are tried
// before any check runs.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARCPRuntime } from '../../runtime-kit/runtime/runtime.js';
import type { Verdict } from '../checks/types.js';
import { runConformance, SetupError } from '../index.js';
import { judgeRun } from '../report/run-verdict.js';

function v(id: string, outcome: Verdict['outcome'], message?: string, level: Verdict['level'] = 'MUST'): Verdict {
  return { id, spec: '§x', level, kind: 'scenario', title: 't', outcome, durationMs: 1, message };
}
const all = (n: number) => ({ selected: n, total: n });

describe('judgeRun', () => {
  it('conformant only when every MUST check ran and passed', () => {
    const r = judgeRun([v('7.1/a', 'pass'), v('6.7/c', 'skipped', 'runs under --profile spec only'), v('8/s', 'skipped', 'needs a second principal (--token-b)', 'SHOULD')], all(3));
    expect(r).toMatchObject({ status: 'conformant', exitCode: 0, gaps: [] });
  });
  it('baselined MUST failures pass the gate but never read as conformant', () => {
    // A foreign runtime's known defects (e.g. the TS reference baseline) used to print "CONFORMANT".
    const r = judgeRun([v('7.1/a', 'pass'), v('7.4/b', 'expected-failure', 'cancelled job ended with job.result')], all(2));
    expect(r.status).toBe('non-conformant');
    expect(r.exitCode).toBe(0);
    expect(r.headline).toMatch(/^NON-CONFORMANT \(as baselined\): 1 known MUST-level failure, each in the baseline; nothing else failed$/);
  });
  it('--only: partial, exit 0, says to run without it', () => {
    const r = judgeRun([v('7.1/a', 'pass')], { only: '7.1/*', selected: 1, total: 90 });
    expect(r.status).toBe('partial');
    expect(r.exitCode).toBe(0);
    expect(r.gaps).toEqual([{ kind: 'selection', advice: 'run without --only (this run selected 1 of 90 checks)', checks: [] }]);
  });
  it('a MUST check skipped for a missing need: partial, exit 2, with what to add', () => {
    const r = judgeRun(
      [
        v('7.1/a', 'pass'),
        v('6.6/b', 'skipped', 'needs a second principal (--token-b)'),
        v('9.2/c', 'skipped', 'peer does not host conformance.tools (docs/conformance-agents.md)'),
        v('9.6/d', 'skipped', 'peer does not host conformance.spender, conformance.echo (docs/conformance-agents.md)'),
        v('6.3/w', 'skipped', 'resume_window_sec 600 s is too long for this check; run the peer with <= 5 s'),
        v('6.3/r', 'skipped', 'needs reconnects to the same runtime (not possible over --stdio)'),
      ],
      all(6),
    );
    expect(r.status).toBe('partial');
    expect(r.exitCode).toBe(2);
    expect(r.headline).toMatch(/^PARTIAL: .*5 MUST checks could not run; nothing else is certified$/);
    const advice = Object.fromEntries(r.gaps.map((g) => [g.kind, g]));
    expect(advice['second-principal'].advice).toMatch(/pass --token-b/);
    expect(advice.agents).toEqual({ kind: 'agents', advice: 'host the conformance agents (docs/conformance-agents.md): missing conformance.echo, conformance.spender, conformance.tools', checks: ['9.2/c', '9.6/d'] });
    expect(advice.setting.advice).toBe('run the peer with resume_window_sec <= 5 s');
    expect(advice.reconnect.advice).toMatch(/--target ws:/);
    expect(judgeRun([v('6.6/b', 'skipped', 'needs a second principal (--token-b)')], all(1), { allowPartial: true }).exitCode).toBe(0);
  });
  it('a MUST failure or a stale baseline entry is non-conformant (1), whatever else is missing', () => {
    expect(judgeRun([v('7.1/a', 'fail'), v('6.6/b', 'skipped', 'needs a second principal (--token-b)')], all(2))).toMatchObject({ status: 'non-conformant', exitCode: 1 });
    expect(judgeRun([v('7.1/a', 'unexpected-pass', undefined, 'SHOULD')], all(1)).exitCode).toBe(1);
    expect(judgeRun([v('7.1/a', 'warn', 'x', 'SHOULD')], all(1)).status).toBe('conformant');
  });
});

/** Runs the CLI without blocking this process (the runtime under test lives here). */
function arcp(args: string[], env: Record<string, string> = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['bin/arcp.mjs', 'conformance', ...args], { cwd: new URL('../..', import.meta.url), env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

describe('against a runtime that hosts no conformance agents, over a real WebSocket', () => {
  let runtime: ARCPRuntime;
  let url: string;
  let dir: string;
  beforeAll(async () => {
    // no registerConformanceAgents: most checks cannot run
    runtime = new ARCPRuntime({ tokens: { 'tok-a': 'alice', 'tok-b': 'bob' }, heartbeatIntervalSec: 2, resumeWindowSec: 2 });
    const server = await runtime.listen({ host: '127.0.0.1', port: 0, path: '/arcp' });
    url = `ws://127.0.0.1:${server.address()!.port}/arcp`;
    dir = await mkdtemp(join(tmpdir(), 'arcp-verdicts-'));
  });
  afterAll(async () => {
    await runtime.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('a full run is PARTIAL everywhere, certifies nothing, says to host the agents, and exits 2', { timeout: 150_000 }, async () => {
    // tokens from the environment (ARCP_TOKEN, no principal B)
    const r = await arcp(['--target', url, '--seed', '3', '--runs', '1', '--report-dir', dir], { ARCP_TOKEN: 'tok-a' });
    expect(r.status, r.stderr).toBe(2);
    expect(r.stdout).toMatch(/RESULT: PARTIAL: no MUST-level failure in what ran, but \d+ MUST checks could not run/);
    expect(r.stdout).toMatch(/- host the conformance agents \(docs\/conformance-agents\.md\): missing conformance\.\w+/);
    expect(r.stdout).toMatch(/- pass --token-b/);
    expect(r.stdout).toMatch(/certification: core partial/);
    expect(r.stdout).not.toMatch(/certified:/);
    const report = JSON.parse(await readFile(join(dir, 'report.json'), 'utf8'));
    expect(report.verdict.status).toBe('partial');
    expect(report.exitCode).toBe(2);
    expect(report.certification.core).toBe('partial');
    expect(Object.values(report.certification.features)).not.toContain('certified');
    const cert = JSON.parse(await readFile(join(dir, 'certification.json'), 'utf8'));
    expect(cert.verdict).toBe('partial');
    expect(cert.toComplete.join('\n')).toMatch(/host the conformance agents/);
    expect(JSON.parse(await readFile(join(dir, 'badges', 'core.json'), 'utf8')).message).toBe('partial');
    expect(JSON.parse(await readFile(join(dir, 'badges', 'verdict.json'), 'utf8')).message).toBe('partial');
    const html = await readFile(join(dir, 'report.html'), 'utf8');
    expect(html).toContain('PARTIAL');
    expect(html).toContain('host the conformance agents');
  });

  it('without agent_versions (no inventory), a peer hosting no agents gets skips, never failures', { timeout: 60_000 }, async () => {
    const bare = new ARCPRuntime({ tokens: { t: 'p' }, features: ['heartbeat', 'ack', 'list_jobs', 'subscribe'] });
    try {
      const server = await bare.listen({ host: '127.0.0.1', port: 0, path: '/arcp' });
      const r = await runConformance({ target: `ws://127.0.0.1:${server.address()!.port}/arcp`, token: 't', only: '5/**,7.1/**,7.2/**', seed: 2, runs: 1, output: 'silent' });
      expect(r.peer.features).not.toContain('agent_versions');
      expect(r.verdicts.filter((x) => x.outcome === 'fail').map((x) => `${x.id}: ${x.message}`)).toEqual([]);
      expect(r.verdicts.filter((x) => x.outcome === 'skipped').length).toBeGreaterThan(10);
      expect(r.verdict?.gaps.map((g) => g.kind)).toContain('agents');
      expect(r.exitCode).toBe(2);
    } finally {
      await bare.close();
    }
  });

  it('a token the peer refuses is a set-up error before any check runs (exit 2)', { timeout: 60_000 }, async () => {
    await expect(runConformance({ target: url, token: 'tok-a', tokenB: 'wrong-b', only: '7.1/**', output: 'silent' })).rejects.toThrow(SetupError);
    await expect(runConformance({ target: url, token: 'tok-a', tokenB: 'tok-a', only: '7.1/**', output: 'silent' })).rejects.toThrow(/same token/);
    const lines: string[] = [];
    await runConformance({ target: url, token: 'wrong-a', only: '7.1/**', write: (s) => lines.push(s), output: 'plain' }).catch((e: Error) => lines.push(`ERR ${e.message}`));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^ERR the peer refused principal A's token \(--token \/ ARCP_TOKEN\): UNAUTHENTICATED/);
    expect(lines[0]).not.toContain('wrong-a');
    const r = await arcp(['--target', url, '--token', 'tok-a', '--token-b', 'wrong-b', '--only', '7.1/**']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/the peer refused principal B's token \(--token-b \/ ARCP_TOKEN_B\)/);
    expect(r.stdout).not.toMatch(/^(PASS|FAIL)/m);
  });

  it('an unreachable peer is a set-up error (exit 2)', { timeout: 60_000 }, async () => {
    const r = await arcp(['--target', `ws://127.0.0.1:${await closedPort()}/arcp`, '--token', 'x', '--only', '7.1/**']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/cannot reach the peer/);
  });
});

describe('--role client', () => {
  it('an --only selection of client checks is PARTIAL, certifies nothing in full, exits 0', { timeout: 60_000 }, async () => {
    const { runClientConformance } = await import('../client-role/index.js');
    const r = await runClientConformance({ only: '6.4/client/pong-echoes-nonce', seed: 2, runs: 1, output: 'silent' });
    expect(r.verdicts.map((x) => x.outcome)).toEqual(['pass']);
    expect(r.verdict?.status).toBe('partial');
    expect(r.verdict?.gaps[0].advice).toMatch(/^run without --only \(this run selected 1 of \d+ checks\)$/);
    expect(r.exitCode).toBe(0);
    const { certifyRun } = await import('../report/certification.js');
    const cert = certifyRun(r);
    expect([cert.core, ...Object.values(cert.features)]).not.toContain('certified');
    expect([cert.core, ...Object.values(cert.features)]).toContain('partial');
  });
});
