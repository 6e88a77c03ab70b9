// The client role over stdio: a client library under test spawns `arcp conformance-stdio-relay
// URL` as its runtime child, and this process bridges the child's stdin/stdout (NDJSON) to the
// harness's scripted runtime over loopback WebSocket, one frame per line. The scripted runtime
// stays the one place that scripts the runtime's side; dropping its WebSocket ends this process,
// which is what a stdio client sees when its runtime dies (§4: stdio transport).
import { WebSocket } from 'ws';
import { LineSplitter } from '../../runtime-kit/transport/line-splitter.js';

/** Frames are capped where the scripted runtime caps them (its ws maxPayload). */
const MAX_LINE_BYTES = 64 * 1024 * 1024;

export function runStdioRelay(url: string, io: { stdin: NodeJS.ReadableStream; stdout: NodeJS.WritableStream } = process): Promise<void> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { maxPayload: MAX_LINE_BYTES });
    const early: string[] = [];
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      io.stdin.removeAllListeners('data');
      if (typeof (io.stdin as { pause?: () => void }).pause === 'function') (io.stdin as { pause: () => void }).pause();
      resolve();
    };
    const splitter = new LineSplitter(MAX_LINE_BYTES, {
      line: (text) => (ws.readyState === WebSocket.OPEN ? ws.send(text) : early.push(text)),
      // A line the runtime could never take: forward it so the harness sees what the client sent.
      oversized: (bytes) => ws.readyState === WebSocket.OPEN && ws.send(`<oversized line of ${bytes} bytes>`),
    });
    ws.on('open', () => {
      for (const line of early.splice(0)) ws.send(line);
    });
    ws.on('message', (data, isBinary) => {
      // A binary WebSocket frame has no stdio form: its bytes go out as one (garbage) line.
      const bytes = isBinary ? Buffer.from(data as Buffer).filter((b) => b !== 0x0a) : Buffer.from(String(data));
      io.stdout.write(Buffer.concat([bytes, Buffer.from('\n')]));
    });
    ws.on('close', () => {
      io.stdout.end?.();
      finish();
    });
    ws.on('error', () => finish());
    io.stdin.on('data', (chunk: Buffer) => splitter.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk)));
    io.stdin.on('end', () => {
      ws.close(1000, 'client closed stdio');
      finish();
    });
  });
}
