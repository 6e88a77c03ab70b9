// Issue 13: an agent input that asks for a huge output must end in a typed error, not take the
// process down. A real `arcp serve` child with a small heap, so a memory blow-up is a crash the
// test sees (the socket closes) rather than a slow machine.
import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { closeAll, RawWs } from './support/raw-ws.js';

const ARCP = new URL('../../bin/arcp.mjs', import.meta.url).pathname;
const HEAP_MB = 192;

let child: ChildProcess | undefined;
const peers: RawWs[] = [];
afterEach(async () => {
  await closeAll(peers);
  if (child && child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((r) => child!.once('exit', r));
    child.kill('SIGKILL');
    await exited;
  }
  child = undefined;
});

async function serveWithSmallHeap(): Promise<string> {
  child = spawn(process.execPath, [`--max-old-space-size=${HEAP_MB}`, ARCP, 'serve', '--host', '127.0.0.1', '--port', '0', '--token', 't-alice=alice', '--conformance-agents'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr!.on('data', (d) => (err += String(d)));
  return new Promise<string>((resolve, reject) => {
    child!.stdout!.on('data', (d) => {
      out += String(d);
      const m = /listening on (ws:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child!.once('exit', (code) => reject(new Error(`arcp serve exited (${code}) before listening: ${err.slice(-500)}`)));
  });
}

describe('agent inputs that ask for huge outputs', () => {
  it('conformance.streamer with one 16 MiB utf8 chunk ends in a typed chunk-cap error; the process (192 MiB heap) keeps answering', async () => {
    const url = await serveWithSmallHeap();
    const p = await RawWs.open(url);
    peers.push(p);
    const hello = p.hello('t-alice', { capabilities: { encodings: ['json'], features: ['result_chunk'] } });
    const w = await p.find((f) => f.type === 'session.welcome' || f.payload?.request_id === hello);
    expect(w.payload.capabilities.features).toContain('result_chunk');
    const sid = w.payload.session_id as string;
    const submit = p.send('job.submit', { agent: 'conformance.streamer', input: { chunks: 1, chunk_size: 16 * 1024 * 1024, encoding: 'utf8' } }, { session_id: sid });
    const accepted = await p.find((f) => f.payload?.request_id === submit, 30_000);
    expect(accepted.type).toBe('job.accepted');
    // Before the fix the chunk was built one character at a time (a rope ~30x its size): the
    // child died of "JavaScript heap out of memory" and this wait saw the socket close.
    const end = await p.find((f) => f.type === 'job.error' || f.type === 'job.result', 60_000);
    expect(end.type).toBe('job.error');
    expect(end.payload.message).toMatch(/chunk cap/);
    const ping = p.send('session.ping', { nonce: 'after-stream', sent_at: new Date().toISOString() }, { session_id: sid });
    const pong = await p.find((f) => f.type === 'session.pong' && f.payload?.ping_nonce === 'after-stream', 10_000);
    expect(pong.payload.ping_nonce).toBe('after-stream');
    expect(ping).toBeTruthy();
    expect(child!.exitCode).toBeNull();
  }, 180_000);
});
