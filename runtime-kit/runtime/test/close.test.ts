import { afterEach, describe, expect, it } from 'vitest';
import { ARCPRuntime } from '../runtime.js';
import { connected, gate, makeRuntime } from './support/runtime-fixture.js';
import { TestPeer } from './support/test-peer.js';

let runtime: ARCPRuntime;
afterEach(async () => runtime?.close());

function heldAgent(rt: ARCPRuntime) {
  const g = gate();
  rt.registerAgent('held', async (_i, ctx) => {
    await g.promise;
    ctx.log('info', 'finished while away');
    return 'kept running';
  });
  return g;
}

describe('close (§6.7) and jobs outliving their session', () => {
  for (const how of ['session.close', 'session.bye', 'transport drop'] as const) {
    it(`${how}: in-flight jobs keep running and the session stays resumable`, async () => {
      runtime = makeRuntime();
      const g = heldAgent(runtime);
      const peer = await connected(runtime);
      const jobId = (await peer.accepted(peer.submit('held'))).payload.job_id;
      await peer.find((m) => m.payload?.body?.phase === 'running');
      if (how === 'session.close') {
        peer.send('session.close', { reason: 'done for today' });
        const closed = await peer.next((m) => m.type === 'session.closed');
        expect(closed.payload).toEqual({ reason: 'done for today' });
        expect(closed.event_seq).toBeUndefined();
      } else if (how === 'session.bye') {
        peer.send('session.bye', {});
      } else {
        await peer.close();
      }
      await peer.closed;
      if (how === 'session.bye') expect(peer.received.filter((m) => m.type.startsWith('session.') && m.type !== 'session.welcome')).toEqual([]);
      g.open();
      await new Promise((r) => setTimeout(r, 10));
      const back = TestPeer.connect(runtime);
      const welcome = await back.hello({ resume: { session_id: peer.sessionId!, resume_token: peer.resumeToken!, last_event_seq: 1 } });
      expect(welcome.type).toBe('session.welcome');
      const terminal = await back.terminal(jobId);
      expect(terminal.type).toBe('job.result');
      expect(terminal.payload.result).toBe('kept running');
    });
  }

  it('session.close without a reason answers session.closed with an empty payload', async () => {
    runtime = makeRuntime();
    const peer = await connected(runtime);
    peer.send('session.close', {});
    expect((await peer.next((m) => m.type === 'session.closed')).payload).toEqual({});
    await peer.closed;
  });
});
