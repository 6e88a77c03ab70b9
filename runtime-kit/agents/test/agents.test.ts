// The conformance agents exactly per design/conformance-agents.md, and the demo agents.
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../protocol/index.js';
import { ARCPRuntime } from '../../runtime/runtime.js';
import { connected } from '../../runtime/test/support/runtime-fixture.js';
import type { TestPeer } from '../../runtime/test/support/test-peer.js';
import { registerConformanceAgents } from '../conformance.js';
import { registerDemoAgents } from '../demo.js';

let runtime: ARCPRuntime;
afterEach(async () => runtime?.close());

function host(clock?: ManualClock): ARCPRuntime {
  const rt = new ARCPRuntime({ tokens: { t: 'alice' }, validateOutbound: true, ...(clock ? { clock } : {}) });
  registerConformanceAgents(rt);
  registerDemoAgents(rt);
  return rt;
}

async function run(peer: TestPeer, agent: string, input: unknown) {
  const accepted = await peer.accepted(peer.submit(agent, input));
  expect(accepted.type).toBe('job.accepted');
  const terminal = await peer.terminal(accepted.payload.job_id);
  const events = peer.ofType('job.event').filter((m) => m.job_id === accepted.payload.job_id && m.payload.body.phase !== 'running');
  return { accepted, terminal, events };
}

describe('conformance agents', () => {
  it('conformance.echo returns the input inline', async () => {
    runtime = host();
    const peer = await connected(runtime);
    for (const input of [{ a: [1, 'x'] }, 'text', 42, null]) {
      expect((await run(peer, 'conformance.echo', input)).terminal.payload.result).toEqual(input);
    }
  });

  it('conformance.chatty emits n info logs "<message or event> <i>" and returns {count}', async () => {
    runtime = host();
    const peer = await connected(runtime);
    const plain = await run(peer, 'conformance.chatty', { n: 3, ignored: true });
    expect(plain.events.map((e) => e.payload.body)).toEqual([1, 2, 3].map((i) => ({ level: 'info', message: `event ${i}` })));
    expect(plain.terminal.payload.result).toEqual({ count: 3 });
    const custom = await run(peer, 'conformance.chatty', { n: 2, message: 'hey' });
    expect(custom.events.map((e) => e.payload.body.message)).toEqual(['hey 1', 'hey 2']);
    const bad = await run(peer, 'conformance.chatty', { n: -1 });
    expect(bad.terminal.payload.code).toBe('INVALID_REQUEST');
  });

  it('conformance.slow waits interval_ms before each progress i/steps and stops promptly on cancel', async () => {
    const clock = new ManualClock();
    runtime = host(clock);
    const peer = await connected(runtime);
    const jobId = (await peer.accepted(peer.submit('conformance.slow', { steps: 3, interval_ms: 100 }))).payload.job_id;
    await peer.find((m) => m.payload?.body?.phase === 'running');
    const progress = () => peer.ofType('job.event').filter((m) => m.payload.kind === 'progress').map((m) => m.payload.body);
    await clock.advanceAsync(99);
    expect(progress()).toEqual([]);
    await clock.advanceAsync(1);
    await peer.find((m) => m.payload.kind === 'progress');
    expect(progress()).toEqual([{ current: 1, total: 3 }]);
    await clock.advanceAsync(200);
    expect((await peer.terminal(jobId)).payload.result).toEqual({ steps: 3 });
    expect(progress()).toEqual([1, 2, 3].map((current) => ({ current, total: 3 })));
    // cancel mid-wait: ends CANCELLED without advancing the clock (no grace period needed)
    const slowId = (await peer.accepted(peer.submit('conformance.slow', { steps: 5, interval_ms: 1000 }))).payload.job_id;
    peer.send('job.cancel', {}, { job_id: slowId });
    expect((await peer.terminal(slowId)).payload).toMatchObject({ code: 'CANCELLED', final_status: 'cancelled' });
  });

  it('conformance.failer ends in job.error with that code and message (retryable honoured unless pinned)', async () => {
    runtime = host();
    const peer = await connected(runtime);
    const a = await run(peer, 'conformance.failer', { code: 'PERMISSION_DENIED', message: 'nope', retryable: true });
    expect(a.terminal.payload).toMatchObject({ final_status: 'error', code: 'PERMISSION_DENIED', message: 'nope', retryable: true });
    const b = await run(peer, 'conformance.failer', { code: 'LEASE_EXPIRED', message: 'late', retryable: true });
    expect(b.terminal.payload).toMatchObject({ code: 'LEASE_EXPIRED', retryable: false }); // §12 pin
    const c = await run(peer, 'conformance.failer', { code: 'TIMEOUT', message: 'slow' });
    expect(c.terminal.payload).toMatchObject({ code: 'TIMEOUT', final_status: 'timed_out' });
    const d = await run(peer, 'conformance.failer', { code: 'NOT_A_CODE', message: 'x' });
    expect(d.terminal.payload.code).toBe('INVALID_REQUEST');
  });

  it('conformance.versioned is registered at 1.0.0 and 2.0.0, default 2.0.0', async () => {
    runtime = host();
    const peer = await connected(runtime);
    expect((await run(peer, 'conformance.versioned', {})).terminal.payload.result).toEqual({ version: '2.0.0' });
    const v1 = await run(peer, 'conformance.versioned@1.0.0', {});
    expect(v1.accepted.payload.agent).toBe('conformance.versioned@1.0.0');
    expect(v1.terminal.payload.result).toEqual({ version: '1.0.0' });
  });

  it('conformance.versioned {delay_ms} stays running that long, then returns its own version', async () => {
    const clock = new ManualClock();
    runtime = host(clock);
    const peer = await connected(runtime);
    const jobId = (await peer.accepted(peer.submit('conformance.versioned@1.0.0', { delay_ms: 500 }))).payload.job_id;
    await peer.find((m) => m.payload?.body?.phase === 'running');
    await clock.advanceAsync(499);
    expect(peer.ofType('job.result').filter((m) => m.job_id === jobId)).toEqual([]);
    await clock.advanceAsync(1);
    expect((await peer.terminal(jobId)).payload.result).toEqual({ version: '1.0.0' });
    const bad = await run(peer, 'conformance.versioned', { delay_ms: -1 });
    expect(bad.terminal.payload.code).toBe('INVALID_REQUEST');
  });
});

describe('demo agents', () => {
  it('demo.echo logs and echoes; demo.countdown counts down with progress', async () => {
    const clock = new ManualClock();
    runtime = host(clock);
    const peer = await connected(runtime);
    const echo = await run(peer, 'demo.echo', { x: 1 });
    expect(echo.terminal.payload.result).toEqual({ x: 1 });
    expect(echo.events[0]!.payload.kind).toBe('log');
    const jobId = (await peer.accepted(peer.submit('demo.countdown', { from: 2, interval_ms: 10 }))).payload.job_id;
    await clock.advanceAsync(50);
    expect((await peer.terminal(jobId)).payload.result).toEqual({ message: 'liftoff' });
    const progress = peer.ofType('job.event').filter((m) => m.job_id === jobId && m.payload.kind === 'progress');
    expect(progress.map((m) => m.payload.body.current)).toEqual([1, 2]);
  });
});
