// The harness as a runtime: a loopback WebSocket server whose every frame is scripted by a check.
// It never interprets what the client sends beyond JSON parsing; a check reads the client's frames
// from a queue and decides what a good, buggy or hostile runtime would answer. Raw `ws` (not
// runtime-kit's transport) so it can send what no correct runtime would: oversized frames, bad
// JSON, binary frames, an abrupt TCP reset.
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { HarnessError, Violation } from '../checks/outcomes.js';
import type { Recorder } from '../driver/recorder.js';

export type Frame = Record<string, unknown> & { type?: unknown; payload?: unknown };

interface Waiter {
  pred: (f: Frame) => boolean;
  resolve: (f: Frame) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

/** One client connection to the scripted runtime (labelled C1, C2, ... in traces). */
export class RuntimeConn {
  /** Every frame the client sent on this connection, in order (parsed; unparsable ones as `{}` + raw). */
  readonly frames: Frame[] = [];
  private cursor = 0;
  private waiters: Waiter[] = [];
  private closedInfo: { code: number; reason: string } | undefined;
  private readonly closeWaiters: (() => void)[] = [];

  constructor(
    readonly label: string,
    private readonly ws: WebSocket,
    private readonly recorder: Recorder,
    private readonly timeoutMs: number,
    onFrame?: (label: string, frame: Frame) => void,
  ) {
    ws.on('message', (data, isBinary) => {
      const text = isBinary ? `<binary ${(data as Buffer).length} bytes>` : String(data);
      let frame: Frame;
      try {
        const parsed = JSON.parse(text) as unknown;
        frame = parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Frame) : { __raw: text };
      } catch {
        frame = { __raw: text };
      }
      recorder.sent(label, text, frame); // "sent" = by the client under test
      this.frames.push(frame);
      onFrame?.(label, frame);
      this.drain();
    });
    ws.on('close', (code, reason) => {
      this.closedInfo = { code, reason: String(reason) };
      recorder.note(label, `client transport closed (${code}${String(reason) ? ` ${String(reason)}` : ''})`);
      for (const w of this.waiters) {
        clearTimeout(w.timer);
        w.reject(new Violation(`the client closed the transport while the runtime waited for a frame`));
      }
      this.waiters = [];
      for (const fn of this.closeWaiters.splice(0)) fn();
    });
    ws.on('error', () => undefined);
  }

  get isClosed(): boolean {
    return this.closedInfo !== undefined || this.ws.readyState > 1;
  }

  /** Sends a frame (object -> JSON, string -> as is). Silently ignored once closed. */
  send(frame: Frame | string): void {
    const text = typeof frame === 'string' ? frame : JSON.stringify(frame);
    if (this.isClosed) {
      this.recorder.note(this.label, `(not sent, transport closed) ${text.slice(0, 200)}`);
      return;
    }
    this.recorder.received(this.label, text, typeof frame === 'string' ? undefined : frame);
    this.ws.send(text);
  }

  sendBinary(bytes: Buffer): void {
    if (this.isClosed) return;
    this.recorder.note(this.label, `runtime sends a binary frame of ${bytes.length} bytes`);
    this.ws.send(bytes, { binary: true });
  }

  /** Next client frame (after those already taken) matching `pred`; earlier non-matching ones are skipped over, not consumed. */
  next(pred: (f: Frame) => boolean, what: string, timeoutMs = this.timeoutMs): Promise<Frame> {
    for (let i = this.cursor; i < this.frames.length; i++) {
      if (pred(this.frames[i])) {
        const f = this.frames[i];
        this.frames.splice(i, 1);
        this.frames.splice(this.cursor, 0, f);
        this.cursor += 1;
        return Promise.resolve(f);
      }
    }
    if (this.isClosed) return Promise.reject(new Violation(`expected ${what} from the client, but it closed the transport`));
    return new Promise<Frame>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w.timer !== timer);
        reject(new Violation(`the client did not send ${what} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.push({ pred, resolve, reject, timer });
    });
  }

  /** Next client frame of `type`. */
  nextType(type: string | readonly string[], timeoutMs?: number): Promise<Frame> {
    const types = typeof type === 'string' ? [type] : type;
    return this.next((f) => types.includes(String(f.type)), types.join(' or '), timeoutMs);
  }

  /** All frames of `type` the client sent so far on this connection. */
  sentOfType(type: string): Frame[] {
    return this.frames.filter((f) => f.type === type);
  }

  /** Resolves when the client closes the transport (or after `ms`: false). */
  closed(ms: number): Promise<boolean> {
    if (this.isClosed) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), ms);
      this.closeWaiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  /** Abrupt drop (TCP reset, no close frame): what a crashed runtime or a broken network does. */
  drop(why = 'runtime drops the transport'): void {
    this.recorder.note(this.label, why);
    this.ws.terminate();
  }

  /** Orderly WebSocket close from the runtime side. */
  close(code = 1000, reason = 'runtime closes'): void {
    this.recorder.note(this.label, `runtime closes the transport (${code})`);
    this.ws.close(code, reason);
  }

  private drain(): void {
    for (const w of [...this.waiters]) {
      const i = this.frames.findIndex((f, idx) => idx >= this.cursor && w.pred(f));
      if (i < 0) continue;
      const f = this.frames[i];
      this.frames.splice(i, 1);
      this.frames.splice(this.cursor, 0, f);
      this.cursor += 1;
      clearTimeout(w.timer);
      this.waiters = this.waiters.filter((x) => x !== w);
      w.resolve(f);
    }
  }
}

/** The loopback server: every accepted connection becomes a RuntimeConn handed out in order. */
export class ScriptedRuntime {
  private readonly wss: WebSocketServer;
  private readonly conns: RuntimeConn[] = [];
  private taken = 0;
  private waiting: ((c: RuntimeConn) => void)[] = [];
  private count = 0;

  private constructor(
    wss: WebSocketServer,
    private readonly recorder: () => Recorder,
    private readonly timeoutMs: number,
    private readonly onFrame?: (label: string, frame: Frame) => void,
  ) {
    this.wss = wss;
    wss.on('connection', (ws) => {
      this.count += 1;
      const conn = new RuntimeConn(`C${this.count}`, ws, this.recorder(), this.timeoutMs, this.onFrame);
      this.recorder().note(conn.label, 'client connected');
      const w = this.waiting.shift();
      if (w) {
        this.taken += 1;
        this.conns.push(conn);
        w(conn);
      } else this.conns.push(conn);
    });
  }

  static async start(recorder: () => Recorder, timeoutMs: number, onFrame?: (label: string, frame: Frame) => void, maxPayload = 64 * 1024 * 1024): Promise<ScriptedRuntime> {
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, path: '/arcp', maxPayload });
    await new Promise<void>((resolve, reject) => {
      wss.once('listening', resolve);
      wss.once('error', reject);
    });
    return new ScriptedRuntime(wss, recorder, timeoutMs, onFrame);
  }

  get url(): string {
    const a = this.wss.address() as AddressInfo;
    return `ws://127.0.0.1:${a.port}/arcp`;
  }

  /** How many connections the client opened so far. */
  get connections(): number {
    return this.count;
  }

  /** The next connection the client opens (already-open ones first). */
  /**
   * Added to every wait for a new connection: over stdio the client first spawns the relay
   * process, whose start-up is not the client's latency.
   */
  acceptAllowanceMs = 0;

  accept(waitMs = this.timeoutMs, what = 'a connection'): Promise<RuntimeConn> {
    if (this.taken < this.conns.length) return Promise.resolve(this.conns[this.taken++]);
    const timeoutMs = waitMs + this.acceptAllowanceMs;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting = this.waiting.filter((w) => w !== done);
        reject(new Violation(`the client did not open ${what} within ${timeoutMs} ms`));
      }, timeoutMs);
      const done = (c: RuntimeConn): void => {
        clearTimeout(timer);
        resolve(c);
      };
      this.waiting.push(done);
    });
  }

  async close(): Promise<void> {
    for (const c of this.conns) if (!c.isClosed) c.drop('check done');
    for (const ws of this.wss.clients) ws.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }
}

export function harnessBug(message: string): never {
  throw new HarnessError(message);
}
