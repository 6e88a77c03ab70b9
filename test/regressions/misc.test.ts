// Cancel, idempotency, envelope-id dedupe, heartbeat and feature-honesty regressions (ecosystem.md
// §1.4 "Cancel", "Idempotency", audit issues; catalog §6.9, §6.10, §9 #2/#30, §10 #3/#17).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { connectWebSocket, JwtAuthenticator, ManualClock, ReferenceProvisioner, WebSocketServerTransport, type CredentialProvisioner } from '../../runtime-kit/index.js';
import { InboundIdWindow } from '../../runtime-kit/runtime/inbound-ids.js';
import { connect, drivenAgent, makeRuntime, resumeOf, submitAccepted, TestPeer } from './support.js';

/** A provisioner whose issue() waits until the test releases it (credential issuance pending). */
function gatedProvisioner(): { provisioner: CredentialProvisioner; release(): void; issued: () => number } {
  const inner = new ReferenceProvisioner();
  let open!: () => void;
  const gate = new Promise<void>((r) => (open = r));
  let issued = 0;
  return {
    provisioner: {
      async issue(job, scope) {
        issued++;
        await gate;
        return inner.issue(job, scope);
      },
      rotate: (c) => inner.rotate(c),
      revoke: (id) => inner.revoke(id),
    },
    release: () => open(),
    issued: () => issued,
  };
}

/** Lets the runtime's promise chains and file I/O (the revocation ledger) run until `cond` holds. */
async function until(peer: TestPeer, cond: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !cond(); i++) {
    await peer.settle(1);
    if (!cond()) await new Promise((r) => setTimeout(r, 5));
  }
  expect(cond()).toBe(true);
}

const ledgerPath = (): string => join(mkdtempSync(join(tmpdir(), 'arcp-regress-')), 'ledger.json');

describe('cancel regressions', () => {
  it('kotlin-sdk #78 / rust-sdk #53: another session cannot cancel a job (same principal: PERMISSION_DENIED; other principal: JOB_NOT_FOUND)', async () => {
    const runtime = makeRuntime();
    const agent = drivenAgent(runtime);
    const owner = await connect(runtime, 't');
    const sibling = await connect(runtime, 't2');
    const stranger = await connect(runtime, 'u');
    const jobId = (await submitAccepted(owner, 'driven')).job_id!;
    const d = await agent.ctxOf(jobId);
    sibling.send('job.cancel', { reason: 'x' }, { job_id: jobId });
    stranger.send('job.cancel', { reason: 'x' }, { job_id: jobId });
    expect((await sibling.find((m) => m.type === 'session.error')).payload).toMatchObject({ code: 'PERMISSION_DENIED', job_id: jobId });
    expect((await stranger.find((m) => m.type === 'session.error')).payload).toMatchObject({ code: 'JOB_NOT_FOUND', job_id: jobId });
    expect(d.ctx.signal.aborted).toBe(false);
    d.finish('still here');
    expect((await owner.terminal(jobId)).payload.final_status).toBe('success');
  });

  it('ecosystem §1.5 "subscribers cannot cancel" (§7.6): a subscription confers no cancel authority', async () => {
    const runtime = makeRuntime();
    const agent = drivenAgent(runtime);
    const owner = await connect(runtime, 't');
    const watcher = await connect(runtime, 't2');
    const jobId = (await submitAccepted(owner, 'driven')).job_id!;
    const d = await agent.ctxOf(jobId);
    watcher.send('job.subscribe', { job_id: jobId });
    await watcher.find((m) => m.type === 'job.subscribed');
    watcher.send('job.cancel', { reason: 'x' }, { job_id: jobId });
    expect((await watcher.find((m) => m.type === 'session.error')).payload.code).toBe('PERMISSION_DENIED');
    expect(d.ctx.signal.aborted).toBe(false);
    d.finish('ok');
    expect((await owner.terminal(jobId)).payload.final_status).toBe('success');
  });

  it('ts-sdk #147 / go-sdk #133-#140: cancel is acknowledged with job.cancelled {job_id, reason}, then job.error CANCELLED; a repeat or late cancel is a silent no-op', async () => {
    const runtime = makeRuntime();
    drivenAgent(runtime);
    const peer = await connect(runtime);
    const jobId = (await submitAccepted(peer, 'driven')).job_id!;
    peer.send('job.cancel', { reason: 'user pressed stop' }, { job_id: jobId });
    peer.send('job.cancel', { reason: 'again' }, { job_id: jobId });
    const ack = await peer.find((m) => m.type === 'job.cancelled');
    expect(ack.job_id).toBe(jobId);
    expect(ack.payload).toMatchObject({ job_id: jobId, reason: 'user pressed stop' });
    expect(ack.event_seq).toBeUndefined();
    const terminal = await peer.terminal(jobId);
    expect(terminal.payload).toMatchObject({ final_status: 'cancelled', code: 'CANCELLED' });
    peer.send('job.cancel', { reason: 'late' }, { job_id: jobId });
    peer.send('session.ping', { nonce: 'after', sent_at: new Date().toISOString() });
    await peer.find((m) => m.type === 'session.pong');
    expect(peer.ofType('job.cancelled')).toHaveLength(1);
    expect(peer.ofType('session.error')).toHaveLength(0);
    expect(peer.received.filter((m) => m.job_id === jobId && (m.type === 'job.error' || m.type === 'job.result'))).toHaveLength(1);
  });
});

describe('cancel and timeout endings', () => {
  it('catalog §10 #18 (TS may emit job.result): an agent that ignores the signal and returns normally after cancel still ends CANCELLED', async () => {
    const runtime = makeRuntime();
    let release!: () => void;
    runtime.registerAgent('stubborn', () => new Promise((r) => (release = () => r('finished anyway'))));
    const peer = await connect(runtime);
    const jobId = (await submitAccepted(peer, 'stubborn')).job_id!;
    peer.send('job.cancel', { reason: 'stop' }, { job_id: jobId });
    await peer.find((m) => m.type === 'job.cancelled');
    release();
    const terminal = await peer.terminal(jobId);
    expect(terminal.type).toBe('job.error');
    expect(terminal.payload.code).toBe('CANCELLED');
  });

  it('§7.4: an agent that never returns after cancel is ended CANCELLED once the grace period passes', async () => {
    const clock = new ManualClock();
    const runtime = makeRuntime({ clock, cancelGraceMs: 5_000 });
    runtime.registerAgent('hang', () => new Promise(() => undefined));
    const peer = await connect(runtime);
    const jobId = (await submitAccepted(peer, 'hang')).job_id!;
    peer.send('job.cancel', {}, { job_id: jobId });
    await peer.find((m) => m.type === 'job.cancelled');
    await clock.advanceAsync(5_000);
    const terminal = await peer.terminal(jobId);
    expect(terminal.payload).toMatchObject({ final_status: 'cancelled', code: 'CANCELLED' });
  });

  it('§7.3: max_runtime_sec ends a job timed_out with TIMEOUT', async () => {
    const clock = new ManualClock();
    const runtime = makeRuntime({ clock });
    runtime.registerAgent('hang', () => new Promise(() => undefined));
    const peer = await connect(runtime);
    const jobId = (await submitAccepted(peer, 'hang', {}, { max_runtime_sec: 2 })).job_id!;
    await clock.advanceAsync(2_000);
    const terminal = await peer.terminal(jobId);
    expect(terminal.payload).toMatchObject({ final_status: 'timed_out', code: 'TIMEOUT' });
  });
});

describe('idempotency regressions', () => {
  it('go-sdk #135 / rust-sdk issue_59: an identical retry replays the original job.accepted and starts nothing new', async () => {
    const runtime = makeRuntime();
    let runs = 0;
    runtime.registerAgent('count', () => new Promise(() => void runs++));
    const a = await connect(runtime, 't');
    const b = await connect(runtime, 't2'); // same principal, another session
    const submit = { lease_request: { 'fs.read': ['/data/**'] }, idempotency_key: 'k-135' };
    const first = await submitAccepted(a, 'count', { q: 1 }, submit);
    const again = await submitAccepted(b, 'count', { q: 1 }, submit);
    const { request_id: r1, ...p1 } = first.payload;
    const { request_id: r2, ...p2 } = again.payload;
    expect(p2).toEqual(p1);
    expect(r2).not.toBe(r1);
    await b.settle();
    expect(runs).toBe(1);
  });

  it('swift-sdk #72: the same key with different parameters is DUPLICATE_KEY (details.existing_job_id), scoped by principal', async () => {
    const runtime = makeRuntime();
    runtime.registerAgent('echo', (input) => input);
    const a = await connect(runtime, 't');
    const first = await submitAccepted(a, 'echo', { q: 1 }, { idempotency_key: 'k-72' });
    const conflict = await a.accepted(a.submit('echo', { q: 2 }, { idempotency_key: 'k-72' }));
    expect(conflict.type).toBe('job.error');
    expect(conflict.payload).toMatchObject({ code: 'DUPLICATE_KEY', details: { existing_job_id: first.job_id } });
    expect(conflict.job_id).not.toBe(first.job_id);
    const bob = await connect(runtime, 'u');
    const own = await submitAccepted(bob, 'echo', { q: 2 }, { idempotency_key: 'k-72' });
    expect(own.job_id).not.toBe(first.job_id);
  });

  it('python-sdk §7.2 (catalog §9 #30): a retry of a finished job replays job.accepted and its terminal', async () => {
    const runtime = makeRuntime();
    runtime.registerAgent('echo', (input) => input);
    const a = await connect(runtime);
    const first = await submitAccepted(a, 'echo', { q: 1 }, { idempotency_key: 'k-py' });
    await a.terminal(first.job_id!);
    const b = await connect(runtime, 't2');
    const again = await submitAccepted(b, 'echo', { q: 1 }, { idempotency_key: 'k-py' });
    expect(again.job_id).toBe(first.job_id);
    const terminal = await b.terminal(first.job_id!);
    expect(terminal.payload).toMatchObject({ final_status: 'success', result: { q: 1 } });
  });

  it('spec v1.0 §7.2 "a running job MUST resume streaming" (catalog §6.10: TS sends nothing more): a retry from another session of a still-running job receives its later events and terminal', async () => {
    const runtime = makeRuntime();
    const agent = drivenAgent(runtime);
    const a = await connect(runtime, 't');
    const first = await submitAccepted(a, 'driven', {}, { idempotency_key: 'k-running' });
    const d = await agent.ctxOf(first.job_id!);
    const b = await connect(runtime, 't2');
    const retry = await submitAccepted(b, 'driven', {}, { idempotency_key: 'k-running' });
    expect(retry.job_id).toBe(first.job_id);
    d.ctx.log('info', 'after-retry');
    d.finish('done');
    const terminal = await b.terminal(first.job_id!);
    expect(terminal.payload).toMatchObject({ final_status: 'success', result: 'done' });
    expect(b.ofType('job.event').filter((m) => m.payload.kind === 'log').map((m) => m.payload.body.message)).toEqual(['after-retry']);
    // The owner still gets everything exactly once.
    expect(a.received.filter((m) => m.type === 'job.result')).toHaveLength(1);
  });

  it('catalog §10 #17: an idempotency key lives for its TTL; after it the same key starts a new job', async () => {
    const clock = new ManualClock();
    const runtime = makeRuntime({ clock, idempotencyTtlMs: 60_000 });
    runtime.registerAgent('echo', (input) => input);
    const peer = await connect(runtime);
    const first = await submitAccepted(peer, 'echo', { q: 1 }, { idempotency_key: 'ttl' });
    clock.advance(59_999);
    expect((await submitAccepted(peer, 'echo', { q: 1 }, { idempotency_key: 'ttl' })).job_id).toBe(first.job_id);
    clock.advance(1);
    expect((await submitAccepted(peer, 'echo', { q: 1 }, { idempotency_key: 'ttl' })).job_id).not.toBe(first.job_id);
  });

  it('known gap (b): a retry arriving while the first submit is still being accepted (credential issuance pending) does not create a second job', async () => {
    const gated = gatedProvisioner();
    const runtime = makeRuntime({ credentialProvisioner: gated.provisioner, revocationLedgerPath: ledgerPath() });
    const agent = drivenAgent(runtime);
    const a = await connect(runtime, 't');
    const b = await connect(runtime, 't2');
    const c = await connect(runtime, 't2');
    const submit = { idempotency_key: 'k-pending' };
    const r1 = a.submit('driven', { q: 1 }, submit);
    await until(a, () => gated.issued() === 1);
    const r2 = b.submit('driven', { q: 1 }, submit); // identical retry from another session
    const r3 = c.submit('driven', { q: 2 }, submit); // conflicting parameters
    await b.settle();
    gated.release();
    const [first, retry, conflict] = await Promise.all([a.accepted(r1), b.accepted(r2), c.accepted(r3)]);
    expect(first.type).toBe('job.accepted');
    expect(retry.type).toBe('job.accepted');
    expect(retry.job_id).toBe(first.job_id);
    expect(retry.payload.credentials).toEqual(first.payload.credentials);
    expect(conflict.payload).toMatchObject({ code: 'DUPLICATE_KEY', details: { existing_job_id: first.job_id } });
    expect(gated.issued()).toBe(1);
    await agent.ctxOf(first.job_id!);
    expect([...runtime.jobs.values()].filter((j) => j.agentRef.startsWith('driven'))).toHaveLength(1);
  });

  it('known gap (b): when the pending first submit fails, waiting retries are neither left hanging nor told about a job that never existed', async () => {
    const inner = new ReferenceProvisioner();
    let fail!: (e: Error) => void;
    let calls = 0;
    const provisioner: CredentialProvisioner = {
      issue: (job, scope) => (++calls === 1 ? new Promise((_, reject) => (fail = reject)) : inner.issue(job, scope)),
      rotate: (c) => inner.rotate(c),
      revoke: (id) => inner.revoke(id),
    };
    const runtime = makeRuntime({ credentialProvisioner: provisioner, revocationLedgerPath: ledgerPath(), credentialRetry: { attempts: 1 } });
    drivenAgent(runtime);
    const a = await connect(runtime, 't');
    const b = await connect(runtime, 't2');
    const r1 = a.submit('driven', {}, { idempotency_key: 'k-fail' });
    await until(a, () => calls === 1);
    const r2 = b.submit('driven', {}, { idempotency_key: 'k-fail' });
    const r3 = b.submit('driven', { other: true }, { idempotency_key: 'k-fail' });
    await b.settle();
    fail(new Error('upstream down'));
    const first = await a.accepted(r1);
    expect(first.payload.code).toBe('INTERNAL_ERROR');
    // The first job never existed, so its key is free again: the retry starts the job afresh,
    // and the differing submit conflicts with *that* job, not with a job that was refused.
    const retry = await b.accepted(r2);
    expect(retry.type).toBe('job.accepted');
    const conflict = await b.accepted(r3);
    expect(conflict.payload).toMatchObject({ code: 'DUPLICATE_KEY', details: { existing_job_id: retry.job_id } });
    expect(first.job_id).not.toBe(retry.job_id);
  });
});

describe('correlation the TS client depends on (catalog §4.5 #2, §9 #5, §9 #15)', () => {
  it('ts-sdk #128 (runtime side): job.accepted and rejection job.errors echo the submit trace_id and request_id; rejections use a fresh job id', async () => {
    const runtime = makeRuntime();
    runtime.registerAgent('echo', (input) => input);
    const peer = await connect(runtime);
    const trace = 'a'.repeat(31) + '1';
    const rejected = await peer.accepted(peer.submit('missing.agent', {}, {}, { trace_id: trace }));
    expect(rejected.type).toBe('job.error');
    expect(rejected.trace_id).toBe(trace);
    expect(rejected.payload).toMatchObject({ code: 'AGENT_NOT_AVAILABLE', final_status: 'error' });
    const accepted = await peer.accepted(peer.submit('echo', {}, {}, { trace_id: 'b'.repeat(32) }));
    expect(accepted.trace_id).toBe('b'.repeat(32));
    expect(rejected.job_id).not.toBe(accepted.job_id);
    expect(typeof rejected.job_id).toBe('string');
  });

  it('catalog §9 #15 (python requires it): session.welcome carries session_id in the envelope and the payload', async () => {
    const peer = await connect(makeRuntime());
    const welcome = peer.received[0]!;
    expect(welcome.session_id).toBe(welcome.payload.session_id);
  });
});

describe('envelope id dedupe (known gap (a), catalog §10 #3)', () => {
  it('a duplicate of an already-processed envelope id is ignored, also after a resume (per session)', async () => {
    const runtime = makeRuntime();
    let runs = 0;
    runtime.registerAgent('count', () => new Promise(() => void runs++));
    const a = await connect(runtime);
    const id = a.submit('count', { n: 1 });
    await a.accepted(id);
    a.send('job.submit', { agent: 'count', input: { n: 1 } }, { id });
    a.send('session.list_jobs', {}, { id: 'msg_list_1' });
    a.send('session.list_jobs', {}, { id: 'msg_list_1' });
    a.send('session.ping', { nonce: 'sync', sent_at: new Date().toISOString() });
    await a.find((m) => m.type === 'session.pong');
    await a.settle();
    expect(a.received.filter((m) => m.payload?.request_id === id)).toHaveLength(1);
    expect(a.ofType('session.jobs')).toHaveLength(1);
    await a.close();
    await a.settle();
    const { peer: b } = await resumeOf(runtime, a, 0);
    b.send('job.submit', { agent: 'count', input: { n: 1 } }, { id });
    b.send('session.ping', { nonce: 'sync2', sent_at: new Date().toISOString() });
    await b.find((m) => m.type === 'session.pong');
    await b.settle();
    expect(b.received.filter((m) => m.payload?.request_id === id)).toHaveLength(0);
    expect(runs).toBe(1);
  });

  it('ping, pong and ack are exempt: a repeated ping id is answered every time', async () => {
    const runtime = makeRuntime();
    const a = await connect(runtime);
    for (let i = 0; i < 3; i++) a.send('session.ping', { nonce: `n${i}`, sent_at: new Date().toISOString() }, { id: 'msg_same_ping' });
    await a.find((m) => m.type === 'session.pong' && m.payload.ping_nonce === 'n2');
    expect(a.ofType('session.pong')).toHaveLength(3);
  });

  it('the window holds at most its capacity (memory stays bounded however many ids arrive)', () => {
    const window = new InboundIdWindow(3);
    for (let i = 0; i < 100; i++) expect(window.firstSight(`id${i}`)).toBe(true);
    expect(window.size).toBe(3);
    expect(window.firstSight('id99')).toBe(false);
    expect(window.firstSight('id0')).toBe(true);
  });

  it('the remembered ids are bounded: an id far enough in the past is forgotten', async () => {
    const runtime = makeRuntime();
    let runs = 0;
    runtime.registerAgent('count', () => new Promise(() => void runs++));
    const a = await connect(runtime);
    const id = a.submit('count', {});
    await a.accepted(id);
    // Many later ids (job.unsubscribe: processed, no reply) push the first one out of the window.
    for (let i = 0; i < 5_000; i++) a.send('job.unsubscribe', { job_id: 'job_none' }, { id: `msg_flood_${i}` });
    a.send('job.submit', { agent: 'count', input: {} }, { id });
    await a.find((m) => m.type === 'job.accepted' && m.payload.request_id === id && m.job_id !== a.ofType('job.accepted')[0]!.job_id);
    // agents start one per event-loop turn after their job.accepted (limits/start-pacer.ts)
    await vi.waitFor(() => expect(runs).toBe(2));
  });
});

describe('heartbeat and feature honesty', () => {
  it('swift-sdk #57 (heartbeat advertised but not implemented) / §6.4: the runtime pings when idle and declares HEARTBEAT_LOST without terminating jobs', async () => {
    const clock = new ManualClock();
    const runtime = makeRuntime({ clock, heartbeatIntervalSec: 1 });
    const agent = drivenAgent(runtime);
    const peer = await connect(runtime);
    expect(peer.received[0]!.payload.heartbeat_interval_sec).toBe(1);
    const jobId = (await submitAccepted(peer, 'driven')).job_id!;
    const d = await agent.ctxOf(jobId);
    await clock.advanceAsync(1_000);
    const ping = await peer.find((m) => m.type === 'session.ping');
    expect(typeof ping.payload.nonce).toBe('string');
    await clock.advanceAsync(2_000);
    const lost = await peer.find((m) => m.type === 'session.error');
    expect(lost.payload).toMatchObject({ code: 'HEARTBEAT_LOST', retryable: true });
    await peer.closed;
    expect(d.ctx.signal.aborted).toBe(false);
    d.finish('survived');
    const { peer: back } = await resumeOf(runtime, peer, 0);
    expect((await back.terminal(jobId)).payload.result).toBe('survived');
  });

  it('kotlin-sdk #45 (overclaiming): provisioned_credentials is advertised only with a provisioner and a revocation ledger', async () => {
    const bare = await connect(makeRuntime());
    expect(bare.received[0]!.payload.capabilities.features).not.toContain('provisioned_credentials');
    const onlyProvisioner = await connect(makeRuntime({ credentialProvisioner: new ReferenceProvisioner() }));
    expect(onlyProvisioner.received[0]!.payload.capabilities.features).not.toContain('provisioned_credentials');
    const full = await connect(makeRuntime({ credentialProvisioner: new ReferenceProvisioner(), revocationLedgerPath: ledgerPath() }));
    expect(full.received[0]!.payload.capabilities.features).toContain('provisioned_credentials');
  });

  it('catalog §9 #2 (Go/Java send session.close, TS/Py send session.bye): both are accepted; close gets session.closed, bye no reply', async () => {
    const runtime = makeRuntime();
    const closer = await connect(runtime);
    closer.send('session.close', { reason: 'bye now' });
    await closer.closed;
    expect(closer.ofType('session.closed').map((m) => m.payload)).toEqual([{ reason: 'bye now' }]);
    expect(closer.ofType('session.error')).toHaveLength(0);
    const byer = await connect(runtime);
    byer.send('session.bye', { reason: 'legacy' });
    await byer.closed;
    expect(byer.received.map((m) => m.type)).toEqual(['session.welcome']);
  });

  it('ecosystem §1.5 / §8.4: chunk_seq starts at 0 and is monotonic, and a chunked result never also carries an inline result', async () => {
    const runtime = makeRuntime();
    runtime.registerAgent('streamer', async (_input, ctx) => {
      const stream = ctx.resultStream();
      for (const part of ['ab', 'cd', 'ef']) stream.write(part);
      return { inline: 'must not be mixed in' };
    });
    const peer = await connect(runtime);
    const jobId = (await submitAccepted(peer, 'streamer')).job_id!;
    const terminal = await peer.terminal(jobId);
    const chunks = peer.ofType('job.event').filter((m) => m.payload.kind === 'result_chunk').map((m) => m.payload.body);
    expect(chunks.map((c) => c.chunk_seq)).toEqual(range0(chunks.length));
    expect(new Set(chunks.map((c) => c.result_id)).size).toBe(1);
    expect(terminal.payload.result_id).toBe(chunks[0].result_id);
    expect(terminal.payload).not.toHaveProperty('result');
  });
});

function range0(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

describe('DNS-rebinding protection (known gap (c): ts-sdk transports guide, go-sdk AllowedHosts/421, java Host/Origin allow-lists)', () => {
  const refusal = (err: unknown) => (err as { details?: { status?: number } }).details?.status;

  it('a loopback-bound server refuses an upgrade whose Host is not a loopback name (421), and accepts loopback names', async () => {
    const runtime = makeRuntime();
    const server = await runtime.listen({ port: 0 });
    try {
      const port = server.address()!.port;
      const rebound = await connectWebSocket(server.url!, { headers: { Host: `evil.example:${port}` } }).then(() => 'connected', (e: unknown) => e);
      expect(refusal(rebound)).toBe(421);
      for (const host of [`127.0.0.1:${port}`, `localhost:${port}`]) {
        const t = await connectWebSocket(server.url!, { headers: { Host: host } });
        expect(t.isOpen, host).toBe(true);
        await t.close();
      }
    } finally {
      await runtime.close();
    }
  });

  it('allowedOrigins refuses a browser Origin outside the list (403); allowedHosts: "any" turns the Host check off', async () => {
    const server = await WebSocketServerTransport.listen({ port: 0, allowedOrigins: ['https://app.example'], allowedHosts: 'any' });
    server.onConnection(() => undefined);
    try {
      const port = server.address()!.port;
      const foreign = await connectWebSocket(server.url!, { headers: { Origin: 'https://evil.example' } }).then(() => 'connected', (e: unknown) => e);
      expect(refusal(foreign)).toBe(403);
      const friendly = await connectWebSocket(server.url!, { headers: { Origin: 'https://app.example', Host: `anything.example:${port}` } });
      expect(friendly.isOpen).toBe(true);
      await friendly.close();
    } finally {
      await server.close();
    }
  });
});

describe('JWT bearer verification (known gap (c): ts-sdk declares jose but never uses it; python ships HS256 + JWKS)', () => {
  const secret = 'a-test-secret-of-at-least-32-bytes!!';
  const hs = (claims: Record<string, unknown>, opts: { exp?: number; aud?: string; key?: string } = {}) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuedAt()
      .setAudience(opts.aud ?? 'arcp')
      .setExpirationTime(opts.exp ?? Math.floor(Date.now() / 1000) + 3600)
      .sign(new TextEncoder().encode(opts.key ?? secret));

  async function hello(runtime: ReturnType<typeof makeRuntime>, token: string) {
    const peer = TestPeer.connect(runtime);
    return { peer, reply: await peer.hello({ token }) };
  }

  it('HS256: a valid token opens a session for its sub; expired, mis-signed, wrong-audience and garbage tokens are UNAUTHENTICATED', async () => {
    const runtime = makeRuntime({ authenticator: new JwtAuthenticator({ secret, audience: 'arcp' }) });
    const ok = await hello(runtime, await hs({ sub: 'carol' }));
    expect(ok.reply.type).toBe('session.welcome');
    const bad = [
      await hs({ sub: 'carol' }, { exp: Math.floor(Date.now() / 1000) - 60 }),
      await hs({ sub: 'carol' }, { key: 'another-secret-of-at-least-32-bytes!!' }),
      await hs({ sub: 'carol' }, { aud: 'someone-else' }),
      await hs({}),
      'not.a.jwt',
    ];
    for (const token of bad) {
      const { reply } = await hello(runtime, token);
      expect(reply.payload.code, token.slice(0, 20)).toBe('UNAUTHENTICATED');
    }
  });

  it('JWKS (ES256): kid lookup in a local key set; the resume principal must match the token\'s sub', async () => {
    const { publicKey, privateKey } = await generateKeyPair('ES256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256' };
    const es = (sub: string) => new SignJWT({ sub }).setProtectedHeader({ alg: 'ES256', kid: 'k1' }).setExpirationTime('1h').sign(privateKey);
    const runtime = makeRuntime({ authenticator: new JwtAuthenticator({ jwks: { keys: [jwk] } }) });
    const dave = await hello(runtime, await es('dave'));
    expect(dave.reply.type).toBe('session.welcome');
    await dave.peer.close();
    await dave.peer.settle();
    const intruder = TestPeer.connect(runtime);
    const refused = await intruder.hello({ token: await es('eve'), resume: { session_id: dave.peer.sessionId!, resume_token: dave.peer.resumeToken!, last_event_seq: 0 } });
    expect(refused.payload.code).toBe('RESUME_WINDOW_EXPIRED');
    const back = TestPeer.connect(runtime);
    const resumed = await back.hello({ token: await es('dave'), resume: { session_id: dave.peer.sessionId!, resume_token: dave.peer.resumeToken!, last_event_seq: 0 } });
    expect(resumed.type).toBe('session.welcome');
  });
});
