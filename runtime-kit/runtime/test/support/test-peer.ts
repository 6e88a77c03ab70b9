// A raw-frame ARCP peer for runtime tests: sends any JSON (or garbage), records every frame it
// receives, and waits for messages by predicate. Deliberately independent of client/.
import { createMemoryTransportPair, type CloseInfo, type Transport } from '../../../transport/index.js';
import type { ARCPRuntime } from '../../runtime.js';

// Test-side view of a received envelope (loose on purpose: we assert on raw wire content).
export interface Msg {
  arcp: string;
  id: string;
  type: string;
  session_id?: string;
  job_id?: string;
  trace_id?: string;
  event_seq?: number;
  payload: any;
}

export const ALL_FEATURES = [
  'heartbeat',
  'ack',
  'list_jobs',
  'subscribe',
  'lease_expires_at',
  'cost.budget',
  'model.use',
  'provisioned_credentials',
  'progress',
  'result_chunk',
  'agent_versions',
];

let counter = 0;
export const msgId = (): string => `msg_test${++counter}`;

export class TestPeer {
  readonly received: Msg[] = [];
  readonly rawFrames: string[] = [];
  sessionId: string | undefined;
  resumeToken: string | undefined;
  readonly closed: Promise<CloseInfo>;
  private waiters: Array<() => void> = [];
  private cursor = 0;
  private isClosed = false;

  constructor(readonly transport: Transport) {
    let resolveClosed!: (info: CloseInfo) => void;
    this.closed = new Promise((r) => (resolveClosed = r));
    transport.start({
      message: (frame) => {
        this.rawFrames.push(frame);
        this.received.push(JSON.parse(frame) as Msg);
        this.wake();
      },
      error: () => {},
      close: (info) => {
        this.isClosed = true;
        resolveClosed(info);
        this.wake();
      },
    });
  }

  static connect(runtime: ARCPRuntime): TestPeer {
    const [client, server] = createMemoryTransportPair();
    runtime.accept(server);
    return new TestPeer(client);
  }

  get isOpen(): boolean {
    return !this.isClosed;
  }

  sendRaw(frame: string): void {
    this.transport.send(frame);
  }

  /** Sends an envelope; fills arcp/id/session_id unless given (pass `session_id: undefined` explicitly to omit). */
  send(type: string, payload: unknown, extra: Record<string, unknown> = {}): string {
    const id = (extra.id as string | undefined) ?? msgId();
    const env: Record<string, unknown> = { arcp: '1.1', id, type };
    if (!('session_id' in extra) && this.sessionId && type !== 'session.hello') env.session_id = this.sessionId;
    Object.assign(env, extra, { id });
    for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
    env.payload = payload;
    this.sendRaw(JSON.stringify(env));
    return id;
  }

  async hello(
    opts: { token?: string; features?: string[]; resume?: { session_id: string; resume_token: string; last_event_seq: number }; timeoutMs?: number } = {},
  ): Promise<Msg> {
    const payload: Record<string, unknown> = {
      client: { name: 'test-peer', version: '0.0.1' },
      auth: { scheme: 'bearer', token: opts.token ?? 't' },
      capabilities: { encodings: ['json'], features: opts.features ?? ALL_FEATURES },
    };
    if (opts.resume) payload.resume = opts.resume;
    this.send('session.hello', payload);
    const reply = await this.next((m) => m.type === 'session.welcome' || m.type === 'session.error', opts.timeoutMs);
    if (reply.type === 'session.welcome') {
      this.sessionId = reply.session_id;
      this.resumeToken = reply.payload.resume_token;
    }
    return reply;
  }

  /** Submits and returns the request id. */
  submit(agent: string, input: unknown = {}, extra: Record<string, unknown> = {}, envelope: Record<string, unknown> = {}): string {
    return this.send('job.submit', { agent, input, ...extra }, envelope);
  }

  async accepted(requestId: string): Promise<Msg> {
    return this.find((m) => (m.type === 'job.accepted' || m.type === 'job.error' || m.type === 'session.error') && m.payload?.request_id === requestId);
  }

  /** Resolves with the terminal job.result / job.error of a job. */
  terminal(jobId: string): Promise<Msg> {
    return this.find((m) => (m.type === 'job.result' || m.type === 'job.error') && m.job_id === jobId);
  }

  /** Next message after the cursor matching `pred` (advances the cursor past it). */
  async next(pred: (m: Msg) => boolean = () => true, timeoutMs = 5000): Promise<Msg> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      for (let i = this.cursor; i < this.received.length; i++) {
        if (pred(this.received[i]!)) {
          this.cursor = i + 1;
          return this.received[i]!;
        }
      }
      if (this.isClosed) throw new Error(`transport closed while waiting; received: ${this.summary()}`);
      await this.waitForFrame(deadline, timeoutMs);
    }
  }

  /** Any received message (from the start) matching `pred`; waits if none yet. */
  async find(pred: (m: Msg) => boolean, timeoutMs = 5000): Promise<Msg> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = this.received.find(pred);
      if (hit) return hit;
      if (this.isClosed) throw new Error(`transport closed while waiting; received: ${this.summary()}`);
      await this.waitForFrame(deadline, timeoutMs);
    }
  }

  /** Lets queued deliveries through (memory transport delivers on setImmediate turns). */
  async settle(turns = 5): Promise<void> {
    for (let i = 0; i < turns; i++) await new Promise((r) => setImmediate(r));
  }

  ofType(type: string): Msg[] {
    return this.received.filter((m) => m.type === type);
  }

  sequenced(): Msg[] {
    return this.received.filter((m) => m.event_seq !== undefined);
  }

  async close(): Promise<void> {
    await this.transport.close();
  }

  summary(): string {
    return this.received.map((m) => `${m.type}${m.event_seq !== undefined ? `#${m.event_seq}` : ''}${m.payload?.code ? `(${m.payload.code})` : ''}`).join(', ');
  }

  private waitForFrame(deadline: number, timeoutMs: number): Promise<void> {
    const left = deadline - Date.now();
    if (left <= 0) throw new Error(`no matching message within ${timeoutMs} ms; received: ${this.summary()}`);
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== done);
        resolve();
      }, left);
      const done = (): void => {
        clearTimeout(t);
        resolve();
      };
      this.waiters.push(done);
    });
  }

  private wake(): void {
    const ws = this.waiters;
    this.waiters = [];
    for (const w of ws) w();
  }
}
