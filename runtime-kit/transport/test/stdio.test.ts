import { fileURLToPath } from 'node:url';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { isKitError } from '../../errors/kit-error.js';
import { serveStdioTransport, spawnStdioTransport, type StdioChildTransport } from '../stdio.js';
import { collect } from './collector.js';

const ECHO_CHILD = fileURLToPath(new URL('./fixtures/echo-child.mjs', import.meta.url));
const children: StdioChildTransport[] = [];
afterEach(async () => {
  for (const c of children.splice(0)) {
    c.child.kill('SIGKILL');
    await c.close();
  }
});

function spawnEcho(opts: Parameters<typeof spawnStdioTransport>[2] = {}): StdioChildTransport {
  const t = spawnStdioTransport(process.execPath, [ECHO_CHILD], opts);
  children.push(t);
  return t;
}

describe('spawnStdioTransport', () => {
  it('round-trips NDJSON frames with a child process, in order', async () => {
    const t = spawnEcho();
    const got = collect(t);
    for (let i = 0; i < 100; i++) t.send(JSON.stringify({ i }));
    const frames = await got.frameCount(100);
    expect(frames.map((f) => JSON.parse(f).i)).toEqual([...Array(100).keys()]);
    expect(t.kind).toBe('stdio');
  });

  it('keeps a frame that contains raw newlines intact as one line', async () => {
    const t = spawnEcho();
    const got = collect(t);
    t.send('{\n  "pretty": true\n}');
    const [frame] = await got.frameCount(1);
    expect(JSON.parse(frame!)).toEqual({ pretty: true });
  });

  it('buffers partial lines that the child writes in pieces', async () => {
    const t = spawnEcho();
    const got = collect(t);
    const frame = JSON.stringify({ split: 'a'.repeat(300) });
    t.send(JSON.stringify({ cmd: 'split', frame }));
    expect(await got.frameCount(1)).toEqual([frame]);
  });

  it('reports an oversized line and keeps working', async () => {
    const t = spawnEcho({ maxFrameBytes: 1000 });
    const got = collect(t);
    t.send(JSON.stringify({ cmd: 'big', bytes: 5000 }));
    t.send('{"after":true}');
    const [err] = await got.errorCount(1);
    expect(isKitError(err, 'ARCP_KIT_FRAME_TOO_LARGE')).toBe(true);
    expect(await got.frameCount(1)).toEqual(['{"after":true}']);
  });

  it('captures stderr when asked', async () => {
    const t = spawnEcho({ stderr: 'capture' });
    const got = collect(t);
    t.send(JSON.stringify({ cmd: 'stderr', text: 'diagnostic line\n' }));
    await got.frameCount(1);
    expect(t.stderrText).toBe('diagnostic line\n');
  });

  it('child exit closes the transport with the exit code, after its last frame', async () => {
    const t = spawnEcho();
    const got = collect(t);
    t.send(JSON.stringify({ cmd: 'exit', code: 3 }));
    const info = await got.closed;
    expect(info.code).toBe(3);
    expect(got.frames).toEqual(['{"bye":true}']);
    expect(t.isOpen).toBe(false);
    expect(() => t.send('{}')).toThrowError(/closed/);
  });

  it('close() ends the child stdin and waits for it to exit', async () => {
    const t = spawnEcho();
    const got = collect(t);
    await t.close();
    expect((await got.closed).code).toBe(0);
    expect(t.child.exitCode).toBe(0);
  });

  it('close() escalates to SIGTERM when the child ignores stdin EOF', async () => {
    const t = spawnStdioTransport(process.execPath, ['-e', 'process.stdin.resume(); process.stdin.on("end", () => {}); setInterval(() => {}, 1000);'], {
      killAfterMs: 50,
    });
    children.push(t);
    const got = collect(t);
    await t.close();
    const info = await got.closed;
    expect(info.reason).toBe('child exited on SIGTERM');
    expect(t.child.signalCode).toBe('SIGTERM');
  });

  it('a command that cannot be spawned closes with ARCP_KIT_CONNECT_FAILED', async () => {
    const t = spawnStdioTransport('/nonexistent/arcp-child-binary', []);
    const got = collect(t);
    const info = await got.closed;
    expect(isKitError(info.error, 'ARCP_KIT_CONNECT_FAILED')).toBe(true);
  });
});

describe('serveStdioTransport over given streams', () => {
  function pair() {
    const input = new PassThrough();
    const output = new PassThrough();
    const t = serveStdioTransport({ input, output, maxFrameBytes: 64 });
    return { input, output, t };
  }

  it('buffers partial lines across chunks, ignores blank lines, writes NDJSON', async () => {
    const { input, output, t } = pair();
    const got = collect(t);
    input.write('{"a":');
    input.write('1}\n\n   \n{"b"');
    input.write(':2}\r\n');
    expect(await got.frameCount(2)).toEqual(['{"a":1}', '{"b":2}']);
    t.send('{"out":1}');
    t.send('{"out":2}');
    expect(output.read()?.toString()).toBe('{"out":1}\n{"out":2}\n');
  });

  it('buffers writes the reader has not consumed and loses none', async () => {
    const input = new PassThrough();
    const output = new PassThrough({ highWaterMark: 16 });
    const t = serveStdioTransport({ input, output });
    collect(t);
    for (let i = 0; i < 100; i++) t.send(JSON.stringify({ i }));
    expect(t.bufferedAmount).toBeGreaterThan(16);
    let text = '';
    for await (const chunk of output) {
      text += chunk.toString();
      if (text.split('\n').length > 100) break;
    }
    expect(text.trim().split('\n').map((l) => JSON.parse(l).i)).toEqual([...Array(100).keys()]);
  });

  it('reports an oversized line and keeps reading', async () => {
    const { input, t } = pair();
    const got = collect(t);
    input.write(JSON.stringify({ pad: 'z'.repeat(100) }) + '\n{"ok":1}\n');
    const [err] = await got.errorCount(1);
    expect(err!.code).toBe('ARCP_KIT_FRAME_TOO_LARGE');
    expect(await got.frameCount(1)).toEqual(['{"ok":1}']);
  });

  it('input EOF closes the transport after delivering a final unterminated line', async () => {
    const { input, t } = pair();
    const got = collect(t);
    input.end('{"tail":true}');
    expect((await got.closed).reason).toBe('input ended');
    expect(got.frames).toEqual(['{"tail":true}']);
    expect(t.isOpen).toBe(false);
  });

  it('close() ends the output stream and later sends throw', async () => {
    const { output, t } = pair();
    const got = collect(t);
    const ended = new Promise((r) => output.once('finish', r));
    await t.close('bye');
    await ended;
    expect((await got.closed).reason).toBe('bye');
    expect(() => t.send('{}')).toThrowError(/closed/);
  });
});
