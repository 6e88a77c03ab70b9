// A raw-frame ARCP peer over a real WebSocket for the store tests: keeps every frame verbatim
// (exact-replay checks compare bytes) and waits for messages by predicate.
import WebSocket from 'ws';

export interface Msg {
  type: string;
  id: string;
  session_id?: string;
  job_id?: string;
  event_seq?: number;
  payload: any;
}

let counter = 0;

export class WsPeer {
  readonly frames: string[] = [];
  readonly msgs: Msg[] = [];
  sessionId: string | undefined;
  resumeToken: string | undefined;
  private waiters: (() => void)[] = [];
  closed = false;

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const frame = String(data);
      this.frames.push(frame);
      this.msgs.push(JSON.parse(frame) as Msg);
      this.wake();
    });
    ws.on('close', () => {
      this.closed = true;
      this.wake();
    });
    ws.on('error', () => undefined);
  }

  static async open(url: string): Promise<WsPeer> {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    await new Promise<void>((resolve, reject) => ws.once('open', () => resolve()).once('error', reject));
    return new WsPeer(ws);
  }

  send(type: string, payload: unknown, extra: Record<string, unknown> = {}): string {
    const id = `msg_store${++counter}_${process.pid}`;
    const env: Record<string, unknown> = { arcp: '1.1', id, type, ...(this.sessionId && type !== 'session.hello' ? { session_id: this.sessionId } : {}), ...extra, payload };
    this.ws.send(JSON.stringify(env));
    return id;
  }

  async hello(opts: { token?: string; features?: string[]; resume?: { session_id: string; resume_token: string; last_event_seq: number } } = {}): Promise<Msg> {
    const payload: Record<string, unknown> = {
      client: { name: 'store-test', version: '1' },
      auth: { scheme: 'bearer', token: opts.token ?? 't' },
      capabilities: { encodings: ['json'], features: opts.features ?? ['ack', 'list_jobs', 'subscribe', 'progress'] },
      ...(opts.resume ? { resume: opts.resume } : {}),
    };
    this.send('session.hello', payload);
    const reply = await this.find((m) => m.type === 'session.welcome' || m.type === 'session.error');
    if (reply.type === 'session.welcome') {
      this.sessionId = reply.session_id;
      this.resumeToken = reply.payload.resume_token;
    }
    return reply;
  }

  submit(agent: string, input: unknown = {}, extra: Record<string, unknown> = {}): string {
    return this.send('job.submit', { agent, input, ...extra });
  }

  accepted(requestId: string): Promise<Msg> {
    return this.find((m) => (m.type === 'job.accepted' || m.type === 'job.error' || m.type === 'session.error') && m.payload?.request_id === requestId);
  }

  terminal(jobId: string, timeoutMs?: number): Promise<Msg> {
    return this.find((m) => (m.type === 'job.result' || m.type === 'job.error') && m.job_id === jobId, timeoutMs);
  }

  sequenced(): Msg[] {
    return this.msgs.filter((m) => m.event_seq !== undefined);
  }

  async find(pred: (m: Msg) => boolean, timeoutMs = 20_000): Promise<Msg> {
    const deadline = Date.now() + timeoutMs;
    for (let from = 0; ; ) {
      for (; from < this.msgs.length; from++) if (pred(this.msgs[from]!)) return this.msgs[from]!;
      if (this.closed) throw new Error(`closed before the awaited message; last: ${JSON.stringify(this.msgs.slice(-3))}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out; last: ${JSON.stringify(this.msgs.slice(-3)).slice(0, 600)}`);
      await new Promise<void>((r) => {
        const t = setTimeout(r, left);
        this.waiters.push(() => {
          clearTimeout(t);
          r();
        });
      });
    }
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((r) => {
      this.ws.once('close', () => r());
      this.ws.terminate();
    });
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }
}
