import { afterEach, describe, expect, it } from 'vitest';
import { ARCPRuntime } from '../runtime.js';
import { connected, makeRuntime } from './support/runtime-fixture.js';
import { ALL_FEATURES, TestPeer } from './support/test-peer.js';

let runtime: ARCPRuntime;
afterEach(async () => runtime?.close());

describe('handshake (§6.1-§6.2)', () => {
  it('welcomes with session_id in envelope and payload, a fresh rt_ token, window and inventory', async () => {
    runtime = makeRuntime({ heartbeatIntervalSec: 30, resumeWindowSec: 600 });
    runtime.registerAgent('multi', () => 1, { version: '1.0.0' });
    runtime.registerAgent('multi', () => 2, { version: '2.0.0', default: true });
    const peer = TestPeer.connect(runtime);
    const welcome = await peer.hello();
    expect(welcome.type).toBe('session.welcome');
    expect(welcome.session_id).toMatch(/^sess_/);
    expect(welcome.payload.session_id).toBe(welcome.session_id);
    expect(welcome.payload.resume_token).toMatch(/^rt_[0-9a-f]{64}$/);
    expect(welcome.payload.resume_window_sec).toBe(600);
    expect(welcome.payload.heartbeat_interval_sec).toBe(30);
    expect(welcome.payload.capabilities.agents).toContainEqual({ name: 'multi', versions: ['1.0.0', '2.0.0'], default: '2.0.0' });
    expect(welcome.payload.capabilities.agents).toContainEqual({ name: 'echo', versions: [] });
  });

  it('lists the intersection of hello and runtime features', async () => {
    runtime = makeRuntime();
    const peer = TestPeer.connect(runtime);
    const welcome = await peer.hello({ features: ['progress', 'ack', 'x-unknown', 'provisioned_credentials'] });
    // provisioned_credentials needs a provisioner this runtime lacks, so it is not advertised
    expect(welcome.payload.capabilities.features).toEqual(['ack', 'progress']);
    expect(welcome.payload.heartbeat_interval_sec).toBeUndefined();
  });

  it('does not advertise features it cannot honour', async () => {
    runtime = makeRuntime();
    const peer = TestPeer.connect(runtime);
    const welcome = await peer.hello({ features: ALL_FEATURES });
    const features: string[] = welcome.payload.capabilities.features;
    expect(features).toEqual(expect.arrayContaining(['heartbeat', 'ack', 'progress', 'result_chunk', 'agent_versions']));
    expect(features).not.toContain('provisioned_credentials');
    // a runtime configured with a narrower list advertises only that
    await runtime.close();
    runtime = makeRuntime({ features: ['ack', 'heartbeat'] });
    const narrow = TestPeer.connect(runtime);
    expect([...(await narrow.hello({ features: ALL_FEATURES })).payload.capabilities.features].sort()).toEqual(['ack', 'heartbeat']);
  });

  it('refuses a bad token with UNAUTHENTICATED on a minted session_id, then closes', async () => {
    runtime = makeRuntime();
    const peer = TestPeer.connect(runtime);
    const reply = await peer.hello({ token: 'wrong' });
    expect(reply.type).toBe('session.error');
    expect(reply.payload.code).toBe('UNAUTHENTICATED');
    expect(reply.session_id).toMatch(/^sess_/);
    expect(reply.payload.request_id).toMatch(/^msg_test/);
    await peer.closed;
    expect(peer.isOpen).toBe(false);
  });

  it('rejects a second hello on an established session, and the session goes on', async () => {
    runtime = makeRuntime();
    const peer = await connected(runtime);
    const id = peer.send('session.hello', { client: { name: 'x', version: '1' }, auth: { scheme: 'bearer', token: 't' } });
    const err = await peer.next((m) => m.type === 'session.error');
    expect(err.payload).toMatchObject({ code: 'INVALID_REQUEST', request_id: id });
    const req = peer.submit('echo', { a: 1 });
    expect((await peer.accepted(req)).type).toBe('job.accepted');
  });

  it('supports an asynchronous authenticator', async () => {
    runtime = new ARCPRuntime({
      validateOutbound: true,
      authenticator: { authenticate: async (c) => (await new Promise((r) => setTimeout(r, 5)), c.token === 'async-ok' ? { principal: 'carol' } : undefined) },
    });
    runtime.registerAgent('echo', (i) => i);
    const ok = TestPeer.connect(runtime);
    expect((await ok.hello({ token: 'async-ok' })).type).toBe('session.welcome');
    expect((await ok.accepted(ok.submit('echo', 1))).type).toBe('job.accepted');
    const bad = TestPeer.connect(runtime);
    expect((await bad.hello({ token: 'nope' })).payload.code).toBe('UNAUTHENTICATED');
    await bad.closed;
  });
});
