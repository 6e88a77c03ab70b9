/**
 * A scripted runtime for client tests: it sits on the far end of a memory transport pair, records
 * every frame the client sends, and sends whatever a test tells it to — including the lenient
 * variants real peers emit (catalog §9), which our strict encoder would refuse to produce.
 */
import { createMemoryTransportPair } from '../../../transport/memory.js';
import type { Transport } from '../../../transport/types.js';

export type Frame = Record<string, any>;

let counter = 0;
export const msgId = (): string => `msg_FAKE${String(++counter).padStart(22, '0')}`;

export class FakePeer {
  readonly clientSide: Transport;
  readonly received: Frame[] = [];
  sessionId = 'sess_FAKE0000000000000000000001';
  seq = 0;
  closed = false;
  answerClose = true;
  private waiters: Array<{ match: (f: Frame) => boolean; resolve: (f: Frame) => void }> = [];
  private cursor = 0;
  private readonly server: Transport;

  constructor() {
    const [client, server] = createMemoryTransportPair();
    this.clientSide = client;
    this.server = server;
    server.start({
      message: (frame) => this.onFrame(frame),
      close: () => {
        this.closed = true;
      },
      error: () => undefined,
    });
  }

  private onFrame(frame: string): void {
    const f = JSON.parse(frame) as Frame;
    this.received.push(f);
    // Like our runtime: acknowledge session.close (catalog §9 #2) unless a test turns it off.
    if (f.type === 'session.close' && this.answerClose) this.send('session.closed', { reason: f.payload.reason });
    const i = this.waiters.findIndex((w) => w.match(f));
    if (i >= 0) {
      const [w] = this.waiters.splice(i, 1);
      this.cursor = this.received.length;
      w!.resolve(f);
    }
  }

  /** Waits for the next frame of `type` not yet consumed by an earlier `next()`. */
  next(type: string): Promise<Frame> {
    for (let i = this.cursor; i < this.received.length; i++) {
      if (this.received[i]!.type === type) {
        this.cursor = i + 1;
        return Promise.resolve(this.received[i]!);
      }
    }
    return new Promise((resolve) => this.waiters.push({ match: (f) => f.type === type, resolve }));
  }

  /** All frames of one type sent so far. */
  sent(type: string): Frame[] {
    return this.received.filter((f) => f.type === type);
  }

  sendRaw(text: string): void {
    this.server.send(text);
  }

  send(type: string, payload: unknown, env: Frame = {}): void {
    this.server.send(JSON.stringify({ arcp: '1.1', id: msgId(), type, session_id: this.sessionId, ...env, payload }));
  }

  /** Sends a sequenced envelope with the next seq (or an explicit one). */
  sendSeq(type: string, jobId: string, payload: unknown, env: Frame = {}): number {
    const seq = env.event_seq ?? ++this.seq;
    if (env.event_seq !== undefined) this.seq = Math.max(this.seq, seq);
    this.send(type, payload, { job_id: jobId, ...env, event_seq: seq });
    return seq;
  }

  event(jobId: string, kind: string, body: unknown, env: Frame = {}): number {
    return this.sendSeq('job.event', jobId, { kind, ts: new Date().toISOString(), body }, env);
  }

  /** Answers the pending hello with a welcome; `payload` overrides merge into the default. */
  async welcome(payload: Frame = {}): Promise<Frame> {
    const hello = await this.next('session.hello');
    this.send('session.welcome', {
      runtime: { name: 'fake', version: '0.0.1' },
      resume_token: `rt_${'ab'.repeat(32)}`,
      resume_window_sec: 60,
      heartbeat_interval_sec: 30,
      capabilities: { encodings: ['json'], features: hello.payload.capabilities.features, agents: [{ name: 'echo', versions: ['1.0.0'], default: '1.0.0' }] },
      ...payload,
    });
    return hello;
  }

  /** Answers the next job.submit with job.accepted; returns [submit frame, job id]. */
  async accept(jobId: string, payload: Frame = {}, env: Frame = {}): Promise<Frame> {
    const submit = await this.next('job.submit');
    this.send('job.accepted', { job_id: jobId, lease: submit.payload.lease_request ?? {}, accepted_at: new Date().toISOString(), agent: 'echo@1.0.0', request_id: submit.id, ...payload }, { job_id: jobId, trace_id: submit.trace_id, ...env });
    return submit;
  }

  close(): Promise<void> {
    return this.server.close('fake peer closed');
  }
}

/** Lets the memory transport deliver everything in flight (it delivers on setImmediate). */
export async function settle(rounds = 3): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((r) => setImmediate(r));
}
