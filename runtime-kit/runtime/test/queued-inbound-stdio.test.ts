// Over stdio too, a bound session that sends session.resume again to an async authenticator
// (a resume flip) and then keeps sending: the runtime stops reading its input while the frames
// wait, instead of queueing all of them, and answers every one once the resume is answered.
// The ws case is test/attack/queued-inbound.attack.test.ts.
import { PassThrough } from 'node:stream';
import { expect, it } from 'vitest';
import { ARCPRuntime } from '../runtime.js';
import { serveStdioTransport } from '../../transport/index.js';

async function until(cond: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
}

it('stdio: input is paused while frames wait behind a pending resume, and every ping is answered after it', async () => {
  let gate: Promise<void> | undefined;
  let open = (): void => {};
  const runtime = new ARCPRuntime({
    authenticator: {
      authenticate: async (c) => {
        if (gate) await gate;
        return c.token === 't' ? { principal: 'p' } : undefined;
      },
    },
  });
  const input = new PassThrough();
  const output = new PassThrough();
  const got: Array<{ type: string; payload?: any; session_id?: string }> = [];
  let rest = '';
  output.on('data', (chunk: Buffer) => {
    const lines = (rest + chunk.toString('utf8')).split('\n');
    rest = lines.pop()!;
    for (const line of lines) if (line) got.push(JSON.parse(line));
  });
  void runtime.accept(serveStdioTransport({ input, output }));
  let n = 0;
  const send = (type: string, payload: unknown, extra: Record<string, unknown> = {}): void =>
    void input.write(JSON.stringify({ arcp: '1.1', id: `msg_stdio${++n}`, type, ...extra, payload }) + '\n');
  try {
    send('session.hello', { client: { name: 'stdio', version: '0' }, auth: { scheme: 'bearer', token: 't' }, capabilities: { encodings: ['json'] } });
    await until(() => got.some((f) => f.type === 'session.welcome'), 5000);
    const w = got.find((f) => f.type === 'session.welcome')!;
    gate = new Promise<void>((resolve) => (open = resolve));
    send('session.resume', { session_id: w.payload.session_id, resume_token: w.payload.resume_token, last_event_seq: 0, auth: { scheme: 'bearer', token: 't' } });
    const PINGS = 200;
    for (let i = 0; i < PINGS; i++) send('session.ping', { nonce: `${i}-${'x'.repeat(15 * 1024)}`, sent_at: '2026-01-01T00:00:00Z' }, { session_id: w.payload.session_id });
    // Before the fix the input kept flowing and every frame was queued in the runtime.
    await until(() => input.isPaused(), 5000);
    expect(input.isPaused()).toBe(true);
    gate = undefined;
    open();
    await until(() => got.filter((f) => f.type === 'session.pong').length === PINGS, 10_000);
    expect(got.filter((f) => f.type === 'session.pong').length).toBe(PINGS);
    expect(got.filter((f) => f.type === 'session.error')).toEqual([]);
    expect(input.isPaused()).toBe(false);
  } finally {
    open();
    await runtime.close();
  }
});
