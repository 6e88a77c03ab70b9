// The session object follows the generated SESSION_MACHINE through its whole life.
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../protocol/index.js';
import { ARCPRuntime } from '../runtime.js';
import { connected, makeRuntime } from './support/runtime-fixture.js';
import { TestPeer } from './support/test-peer.js';

let runtime: ARCPRuntime;
afterEach(async () => runtime?.close());

describe('session state machine (§6, SESSION_MACHINE)', () => {
  it('accepted -> detached (drop) -> accepted (resume) -> closing -> detached (close) -> terminated (window)', async () => {
    const clock = new ManualClock();
    runtime = makeRuntime({ clock, resumeWindowSec: 10 });
    const transitions: string[] = [];
    const peer = await connected(runtime, { features: ['ack'] });
    const session = runtime.sessions.get(peer.sessionId!)!;
    session.machine.onTransition((from, event, to) => transitions.push(`${from} -${event}-> ${to}`));
    expect(session.machine.state).toBe('accepted');
    await peer.close();
    await peer.settle();
    expect(session.machine.state).toBe('detached');
    const back = TestPeer.connect(runtime);
    await back.hello({ features: ['ack'], resume: { session_id: peer.sessionId!, resume_token: peer.resumeToken!, last_event_seq: 0 } });
    expect(session.machine.state).toBe('accepted');
    back.send('session.close', {});
    await back.closed;
    expect(session.machine.state).toBe('detached');
    clock.advance(11_000);
    runtime.sessions.sweep(clock.monotonic());
    expect(session.machine.state).toBe('terminated');
    expect(runtime.sessions.get(peer.sessionId!)).toBeUndefined();
    expect(transitions).toEqual([
      'accepted -transport_closed-> detached',
      'detached -resumed-> accepted',
      'accepted -close_requested-> closing',
      'closing -close_completed-> detached',
      'detached -window_elapsed-> terminated',
    ]);
  });

  it('heartbeat loss and bye both leave the session detached (resumable)', async () => {
    const clock = new ManualClock();
    runtime = makeRuntime({ clock, heartbeatIntervalSec: 1 });
    const a = await connected(runtime);
    clock.advance(2000);
    await a.closed;
    expect(runtime.sessions.get(a.sessionId!)!.machine.state).toBe('detached');
    const b = await connected(runtime, { features: [] });
    b.send('session.bye', {});
    await b.closed;
    await b.settle();
    expect(runtime.sessions.get(b.sessionId!)!.machine.state).toBe('detached');
  });
});
