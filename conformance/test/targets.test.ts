// The harness reaches peers it does not own: arcp-kit's runtime served over a real WebSocket
// (--target) and spawned as a child speaking stdio (--stdio). Both must certify like in-process;
// over stdio the reconnecting checks are skipped with the reason.
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

  it('--stdio: one child per connection; reconnecting checks are skipped with the reason', async () => {
    const r = await runConformance({
      stdio: 'node bin/arcp.mjs serve --stdio --conformance-agents --token ta=pa',
      token: 'ta',
      only: '7.1/submit/accepted-then-result,6.3/resume/token-rotates',
      seed: 8,
      output: 'silent',
    });
    const byId = Object.fromEntries(r.verdicts.map((v) => [v.id, v]));
    expect(byId['7.1/submit/accepted-then-result'].outcome).toBe('pass');
    expect(byId['6.3/resume/token-rotates'].outcome).toBe('skipped');
    expect(byId['6.3/resume/token-rotates'].message).toMatch(/stdio/);
  });
});
