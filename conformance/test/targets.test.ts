// The harness reaches peers it does not own: arcp-kit's runtime served over a real WebSocket
// (--target) and spawned as a child speaking stdio (--stdio). Both must certify like in-process;
// over stdio only checks that reconnect to the same runtime are skipped, with the reason.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerConformanceAgents } from '../../runtime-kit/agents/index.js';
import { ARCPRuntime } from '../../runtime-kit/runtime/runtime.js';
import { runConformance } from '../index.js';

let runtime: ARCPRuntime;
let url: string;

beforeAll(async () => {
  // a 2 s resume window lets the window-expiry timing check run (it waits twice the window)
  runtime = new ARCPRuntime({ tokens: { 'tok-a': 'alice', 'tok-b': 'bob' }, cancelGraceMs: 2000, heartbeatIntervalSec: 2, resumeWindowSec: 2 });
  registerConformanceAgents(runtime);
  const server = await runtime.listen({ host: '127.0.0.1', port: 0, path: '/arcp' });
  url = `ws://127.0.0.1:${server.address()!.port}/arcp`;
});

afterAll(async () => {
  await runtime.close();
});

describe('targets', () => {
  it('--target ws://: sessions, resume and two principals over a real WebSocket', async () => {
    const r = await runConformance({ target: url, token: 'tok-a', tokenB: 'tok-b', only: '6.1/**,6.3/resume/*,6.6/**,7.**,8.3/seq/*', seed: 8, runs: 3, output: 'silent' });
    expect(r.peer.describe).toBe(url);
    const bad = r.verdicts.filter((v) => v.outcome === 'fail' || v.outcome === 'errored');
    expect(bad.map((v) => `${v.id}: ${v.message}`)).toEqual([]);
    expect(r.verdicts.filter((v) => v.outcome === 'pass').length).toBeGreaterThan(15);
    expect(r.verdicts.find((v) => v.id === '6.3/resume/window-expired')?.outcome).toBe('pass');
    expect(r.exitCode).toBe(0);
  });

  it('a peer offering only heartbeat: gated checks are not-applicable, never failed; the rest still runs', async () => {
    const narrow = new ARCPRuntime({ tokens: { t: 'p' }, features: ['heartbeat'], heartbeatIntervalSec: 2 });
    registerConformanceAgents(narrow);
    try {
      const server = await narrow.listen({ host: '127.0.0.1', port: 0, path: '/arcp' });
      const r = await runConformance({ target: `ws://127.0.0.1:${server.address()!.port}/arcp`, token: 't', only: '6.3/resume/replay*,7.1/**,8.4/**,9.6/budget/*', seed: 3, runs: 3, output: 'silent' });
      expect(r.peer.features).toEqual(['heartbeat']);
      const by = (id: string) => r.verdicts.find((v) => v.id === id)?.outcome;
      expect(by('8.4/chunks/utf8-assembly')).toBe('not-applicable');
      expect(by('9.6/budget/exact-decimal')).toBe('not-applicable');
      expect(by('6.3/resume/replays-missed-events')).toBe('pass');
      expect(by('7.1/submit/accepted-then-result')).toBe('pass');
      expect(r.exitCode).toBe(0);
    } finally {
      await narrow.close();
    }
  });

  // every connection spawns `arcp serve --stdio` through tsx: slow to start on a loaded machine
  it('--stdio: one child per connection; reconnecting checks are skipped with the reason', { timeout: 120_000 }, async () => {
    const r = await runConformance({
      stdio: 'node bin/arcp.mjs serve --stdio --conformance-agents --token ta=pa',
      token: 'ta',
      only: '7.1/submit/accepted-then-result,6.3/resume/token-rotates,8.3/seq/random-concurrent-jobs',
      seed: 8,
      runs: 2,
      output: 'silent',
    });
    const byId = Object.fromEntries(r.verdicts.map((v) => [v.id, v]));
    expect(byId['7.1/submit/accepted-then-result'].outcome).toBe('pass');
    // a property whose every case needs one connection runs over stdio (a fresh child per case)
    expect(byId['8.3/seq/random-concurrent-jobs'].outcome).toBe('pass');
    expect(byId['6.3/resume/token-rotates'].outcome).toBe('skipped');
    expect(byId['6.3/resume/token-rotates'].message).toMatch(/stdio/);
  });
});
