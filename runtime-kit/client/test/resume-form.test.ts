// Invariant: the client resumes with either form of §6.3 — `session.hello.payload.resume`
// (default: what the TS, Go and Py runtimes accept, catalog §9 #1) or the spec's `session.resume`
// (option resumeForm) — sends it strict, and against our runtime both forms replay what was
// emitted while away and keep the job's handle working. (Against the TS runtime: test/interop.)
import { afterAll, describe, expect, it } from 'vitest';
import { validateMessage } from '../../../generated/validators.js';
import { ARCPRuntime } from '../../runtime/index.js';
import { createMemoryTransportPair } from '../../transport/memory.js';
import type { Transport } from '../../transport/types.js';
import { ARCPClient } from '../client.js';
import type { ResumeForm } from '../types.js';

const runtime = new ARCPRuntime({ tokens: { t: 'alice' } });
let release: () => void = () => undefined;
runtime.registerAgent('two-halves', async (_input, ctx) => {
  await ctx.log('info', 'before');
  await new Promise<void>((r) => (release = r));
  await ctx.log('info', 'while away');
  return 'done';
});
afterAll(() => runtime.close());

/** A memory transport into the runtime that records the first frame the client sends on it. */
function recordingTransport(): { transport: Transport; first: () => Record<string, any> } {
  const [c, s] = createMemoryTransportPair();
  runtime.accept(s);
  const sent: string[] = [];
  const send = c.send.bind(c);
  c.send = (frame: string) => {
    sent.push(frame);
    send(frame);
  };
  return { transport: c, first: () => JSON.parse(sent[0]!) };
}

const client = (resumeForm?: ResumeForm) =>
  new ARCPClient({ client: { name: 't', version: '1' }, token: 't', ...(resumeForm ? { resumeForm } : {}) });

describe.each([
  ['default (hello.resume)', undefined, 'session.hello'],
  ['session.resume', 'session.resume' as const, 'session.resume'],
])('resume with %s', (_name, form, wireType) => {
  it(`sends ${wireType} strict and replays what the job emitted while away`, async () => {
    const a = client(form);
    const one = recordingTransport();
    await a.connect(one.transport);
    const handle = await a.submit({ agent: 'two-halves' });
    for await (const ev of handle.events()) if (ev.kind === 'log' && ev.body.message === 'before') break;
    const { sessionId, resumeToken } = a;
    const last = a.latestEventSeq;
    await one.transport.close();
    await handle.done.catch(() => undefined);
    release(); // the job goes on emitting while no transport is attached

    const b = client(form);
    const two = recordingTransport();
    const info = await b.resume(two.transport, { sessionId: sessionId!, resumeToken: resumeToken!, lastEventSeq: last });
    const opening = two.first();
    expect(opening.type).toBe(wireType);
    expect(validateMessage('strict', opening).ok).toBe(true);
    if (wireType === 'session.resume') {
      expect(opening.payload).toMatchObject({ session_id: sessionId, resume_token: resumeToken, last_event_seq: last, auth: { scheme: 'bearer', token: 't' } });
    } else {
      expect(opening.payload.resume).toEqual({ session_id: sessionId, resume_token: resumeToken, last_event_seq: last });
    }
    expect(info.sessionId).toBe(sessionId);
    expect(b.resumeToken).not.toBe(resumeToken); // rotated on every welcome (§6.3)
    const adopted = b.job(handle.jobId);
    const messages: string[] = [];
    for await (const ev of adopted.events()) if (ev.kind === 'log') messages.push(ev.body.message);
    expect(messages).toContain('while away');
    expect((await adopted.done).result).toBe('done');
    await b.close();
  });
});
