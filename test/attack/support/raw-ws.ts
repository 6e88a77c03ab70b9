// A raw WebSocket peer for the attack suite, on `ws` directly: sends any text (hostile frames
// included), records what comes back, can stop reading (slow reader). Independent of the
// project's client and of the runtime's own test peer, as an outside attacker would be.
import WebSocket from 'ws';

export interface Frame {
  type?: string;
  id?: string;
  session_id?: string;
  job_id?: string;
  event_seq?: number;
  payload?: any;
  [k: string]: unknown;
}

let counter = 0;
export const rid = (): string => `msg_atk${process.pid}x${++counter}`;

export class RawWs {
  readonly received: Frame[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  private waiters = new Set<() => void>();
  private isClosed = false;
  /** Answer the runtime's session.ping (default); a test of heartbeat loss turns it off. */
  answerPings = true;

  private constructor(readonly socket: WebSocket) {
    this.closed = new Promise((resolve) => {
      socket.on('close', (code, reason) => {
        this.isClosed = true;
        resolve({ code, reason: reason.toString('utf8') });
        this.wake();
      });
    });
    socket.on('error', () => {});
    socket.on('message', (data) => {
      let frame: Frame;
      try {
        frame = JSON.parse(data.toString('utf8')) as Frame;
      } catch {
        frame = { type: '<unparsable>' };
      }
      this.received.push(frame);
      // A live client answers the runtime's heartbeat (§6.4); otherwise a long wait ends in HEARTBEAT_LOST.
      if (frame.type === 'session.ping' && this.answerPings) {
        this.send('session.pong', { ping_nonce: frame.payload?.nonce, received_at: new Date().toISOString() }, { session_id: frame.session_id });
      }
      this.wake();
    });
  }

  /** `headers` are added to the upgrade request (X-Forwarded-For, a spoofed Host ...). */
  static open(url: string, headers: Record<string, string> = {}): Promise<RawWs> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url, { perMessageDeflate: false, maxPayload: 64 * 1024 * 1024, headers });
      const peer = new RawWs(socket);
      socket.once('open', () => resolve(peer));
      socket.once('error', reject);
      socket.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: HTTP ${res.statusCode}`)));
    });
  }

  get open(): boolean {
    return !this.isClosed;
  }

  sendText(text: string): void {
    if (this.socket.readyState === WebSocket.OPEN) this.socket.send(text);
  }

  send(type: string, payload: unknown, extra: Record<string, unknown> = {}): string {
    const id = rid();
    this.sendText(JSON.stringify({ arcp: '1.1', id, type, ...extra, payload }));
    return id;
  }

  hello(token: string, more: Record<string, unknown> = {}): string {
    return this.send('session.hello', {
      client: { name: 'attack', version: '0.0.0' },
      auth: { scheme: 'bearer', token },
      capabilities: { encodings: ['json'], features: ['ack', 'heartbeat', 'subscribe', 'list_jobs', 'lease_expires_at', 'cost.budget'] },
      ...more,
    });
  }

  /** Resolves with the first received frame (from the start) matching `pred`. */
  async find(pred: (f: Frame) => boolean, timeoutMs = 5000): Promise<Frame> {
    const deadline = Date.now() + timeoutMs;
    // Scan each frame once: waking on every frame and rescanning from 0 would be quadratic in a stream.
    let from = 0;
    for (;;) {
      for (; from < this.received.length; from++) if (pred(this.received[from]!)) return this.received[from]!;
      if (this.isClosed) throw new Error(`closed before a matching frame; ${this.received.length} frames, last: ${JSON.stringify(this.received.slice(-3).map((f) => f.type))}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timeout; got ${JSON.stringify(this.received.slice(-5))}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(done, left);
        function done(): void {
          clearTimeout(t);
          resolve();
        }
        this.waiters.add(done);
      });
    }
  }

  async welcome(token: string): Promise<Frame> {
    const id = this.hello(token);
    const f = await this.find((m) => m.type === 'session.welcome' || (m.type === 'session.error' && m.payload?.request_id === id));
    if (f.type !== 'session.welcome') throw new Error(`handshake refused: ${JSON.stringify(f.payload)}`);
    return f;
  }

  /** Stops reading from the socket (the runtime's writes back up). */
  stopReading(): void {
    (this.socket as unknown as { _socket: { pause(): void } })._socket.pause();
  }

  resumeReading(): void {
    (this.socket as unknown as { _socket: { resume(): void } })._socket.resume();
  }

  terminate(): void {
    this.socket.terminate();
  }

  private wake(): void {
    const ws = [...this.waiters];
    this.waiters.clear();
    for (const w of ws) w();
  }
}

/** Closes everything given, ignoring errors (afterEach). */
export async function closeAll(peers: RawWs[]): Promise<void> {
  for (const p of peers.splice(0)) p.terminate();
}
