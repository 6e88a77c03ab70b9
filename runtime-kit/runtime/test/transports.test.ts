// Smoke tests over real transports: ws (listen and attach), stdio (a spawned `arcp serve --stdio`
// child) and the `arcp serve` WebSocket mode with a clean SIGTERM shutdown.
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { registerConformanceAgents } from '../../agents/conformance.js';
import { connectWebSocket, spawnStdioTransport } from '../../transport/index.js';
import { ARCPRuntime } from '../runtime.js';
import { makeRuntime } from './support/runtime-fixture.js';
import { TestPeer } from './support/test-peer.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const CLI = resolve(ROOT, 'bin/arcp.mjs');

let runtime: ARCPRuntime | undefined;
afterEach(async () => {
  await runtime?.close();
  runtime = undefined;
});

// A spawned CLI compiles TypeScript on start-up: on a loaded 2-core machine the first frame can take a while.
async function exercise(peer: TestPeer, token = 't'): Promise<void> {
  const welcome = await peer.hello({ token, timeoutMs: 30_000 });
  expect(welcome.type).toBe('session.welcome');
  expect(welcome.payload.capabilities.agents).toContainEqual({ name: 'conformance.versioned', versions: ['1.0.0', '2.0.0'], default: '2.0.0' });
  const chatty = (await peer.accepted(peer.submit('conformance.chatty', { n: 3, message: 'hi' }))).payload.job_id;
  expect((await peer.terminal(chatty)).payload.result).toEqual({ count: 3 });
  const logs = peer.ofType('job.event').filter((m) => m.payload.kind === 'log').map((m) => m.payload.body.message);
  expect(logs).toEqual(['hi 1', 'hi 2', 'hi 3']);
  const v = (await peer.accepted(peer.submit('conformance.versioned'))).payload.job_id;
  expect((await peer.terminal(v)).payload.result).toEqual({ version: '2.0.0' });
  const failer = (await peer.accepted(peer.submit('conformance.failer', { code: 'BUDGET_EXHAUSTED', message: 'spent' }))).payload.job_id;
  expect((await peer.terminal(failer)).payload).toMatchObject({ code: 'BUDGET_EXHAUSTED', message: 'spent', retryable: false, final_status: 'error' });
  const seqs = peer.sequenced().map((m) => m.event_seq);
  expect(seqs).toEqual(seqs.map((_, i) => i + 1));
}

describe('transports', () => {
  it('serves over a standalone WebSocket server', async () => {
    runtime = registerConformanceAgents(makeRuntime());
    const server = await runtime.listen({ host: '127.0.0.1', port: 0 });
    const peer = new TestPeer(await connectWebSocket(server.url!));
    await exercise(peer);
    await peer.close();
  });

  it('serves attached to an existing http.Server at a path', async () => {
    runtime = registerConformanceAgents(makeRuntime());
    const http = createServer((_req, res) => res.end('plain http still works'));
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
    try {
      runtime.attach(http, { path: '/custom' });
      const { port } = http.address() as AddressInfo;
      const peer = new TestPeer(await connectWebSocket(`ws://127.0.0.1:${port}/custom`));
      await exercise(peer);
      await peer.close();
    } finally {
      await runtime.close();
      runtime = undefined;
      await new Promise((r) => http.close(r));
    }
  });

  it('serves a spawned `arcp serve --stdio --conformance-agents --token t=alice` child', async () => {
    const transport = spawnStdioTransport(process.execPath, [CLI, 'serve', '--stdio', '--conformance-agents', '--token', 't=alice'], {
      cwd: ROOT,
      stderr: 'capture',
    });
    const peer = new TestPeer(transport);
    try {
      await exercise(peer);
      expect(peer.rawFrames.every((f) => f.startsWith('{'))).toBe(true); // stdout carries only frames
    } finally {
      await peer.close();
    }
    await peer.closed;
    expect(transport.stderrText).toMatch(/serving one session on stdio/);
  }, 60_000);

  it('`arcp serve` prints where it listens and shuts down cleanly on SIGTERM', async () => {
    const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--conformance-agents', '--token', 't=alice'], { cwd: ROOT });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    try {
      for (let i = 0; i < 900 && !/listening on (ws:\/\/\S+)/.test(out); i++) await new Promise((r) => setTimeout(r, 50));
      const url = /listening on (ws:\/\/\S+)/.exec(out)?.[1];
      expect(url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/arcp$/);
      const peer = new TestPeer(await connectWebSocket(url!));
      await exercise(peer);
      child.kill('SIGTERM');
      await peer.closed;
      expect(await exited).toBe(0);
    } finally {
      child.kill('SIGKILL');
    }
  }, 60_000);

  it('`arcp serve` has no fault switch: faults live in test code (conformance/test/fault-mutants.ts)', () => {
    const r = spawnSync(process.execPath, [CLI, 'serve', '--stdio', '--fault', 'double-terminal'], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/unknown option '--fault'/);
  }, 60_000);
});
