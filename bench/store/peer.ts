// The bench's ARCP client: a raw WebSocket peer that says hello, submits the flood agent, acks
// every 256 events like a real client and resolves at the job's terminal. Waits reject when the
// socket closes or after a timeout, so a dead node fails the bench (and its cleanup runs)
// instead of hanging it.
import WebSocket from 'ws';

export const FLOOD_AGENT = 'bench.flood';
const WAIT_MS = 180_000;

type Resume = { session_id: string; resume_token: string; last_event_seq: number };

export class Peer {
  private handlers: { each: (m: any) => void; fail: (e: Error) => void }[] = [];
  sessionId = '';
  token = '';
  private n = 0;
  private closed = false;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (d) => {
      const m = JSON.parse(String(d));
      for (const h of [...this.handlers]) h.each(m);
    });
    ws.on('close', (code, reason) => {
      this.closed = true;
      for (const h of [...this.handlers]) h.fail(new Error(`connection closed while waiting (${code} ${String(reason)})`));
    });
    ws.on('error', () => undefined);
  }

  static async open(url: string): Promise<Peer> {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    await new Promise((r, j) => ws.once('open', r).once('error', j));
    return new Peer(ws);
  }

  send(type: string, payload: unknown): void {
    const id = `msg_bench${++this.n}`;
    this.ws.send(JSON.stringify({ arcp: '1.1', id, type, ...(this.sessionId ? { session_id: this.sessionId } : {}), payload }));
  }

  /** Resolves with the first message matching `pred`; `each` sees every message until then. */
  until(pred: (m: any) => boolean, each?: (m: any) => void, timeoutMs = WAIT_MS): Promise<any> {
    if (this.closed) return Promise.reject(new Error('connection closed'));
    return new Promise((resolve, reject) => {
      const done = (): void => {
        clearTimeout(timer);
        this.handlers = this.handlers.filter((x) => x !== h);
      };
      const h = {
        each: (m: any): void => {
          each?.(m);
          if (!pred(m)) return;
          done();
          resolve(m);
        },
        fail: (e: Error): void => {
          done();
          reject(e);
        },
      };
      const timer = setTimeout(() => h.fail(new Error(`no matching message within ${timeoutMs} ms`)), timeoutMs);
      this.handlers.push(h);
    });
  }

  async hello(resume?: Resume): Promise<void> {
    const p = this.until((m) => m.type === 'session.welcome' || m.type === 'session.error');
    this.send('session.hello', {
      client: { name: 'bench', version: '1' },
      auth: { scheme: 'bearer', token: 't' },
      capabilities: { encodings: ['json'], features: ['ack'] },
      ...(resume ? { resume } : {}),
    });
    const w = await p;
    if (w.type !== 'session.welcome') throw new Error(`hello refused: ${JSON.stringify(w.payload)}`);
    this.sessionId = w.session_id;
    this.token = w.payload.resume_token;
  }

  /** Submits a flood of `n` log events; resolves at its terminal with the time it took. */
  async flood(n: number): Promise<{ ms: number; lastSeq: number; logs: number }> {
    let logs = 0;
    let lastSeq = 0;
    const t0 = performance.now();
    const done = this.until(
      (m) => m.type === 'job.result' || m.type === 'job.error',
      (m) => {
        if (m.event_seq !== undefined) lastSeq = m.event_seq;
        if (m.payload?.kind === 'log' && ++logs % 256 === 0) this.send('session.ack', { last_processed_seq: lastSeq });
      },
    );
    this.send('job.submit', { agent: FLOOD_AGENT, input: { n } });
    const end = await done;
    if (end.type !== 'job.result' || logs !== n) throw new Error(`flood delivered ${logs}/${n}: ${JSON.stringify(end.payload)}`);
    return { ms: performance.now() - t0, lastSeq, logs };
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((r) => {
      this.ws.once('close', () => r());
      this.ws.terminate();
    });
  }
}

export const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
