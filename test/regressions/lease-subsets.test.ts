// Lease regressions (§9.2-§9.5; catalog §6.14, §6.15, §9 #42, §10 #30/#33): delegation subset
// soundness against wildcard widening, expires_at validation and enforcement, monotonic expiry
// with a bounded grace (ecosystem.md §1.4 "Lease and budget bugs", swift-sdk #80).
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../runtime-kit/index.js';
import { connect, drivenAgent, makeRuntime, runScript, scriptAgent, submitAccepted, type Step, type TestPeer } from './support.js';

async function setup(): Promise<TestPeer> {
  const runtime = makeRuntime();
  scriptAgent(runtime);
  return connect(runtime);
}

const child = (lease_request: Record<string, string[]>, lease_constraints?: { expires_at: string }): Step => ({
  delegate: { agent: 'script', input: { steps: [] }, lease_request, ...(lease_constraints ? { lease_constraints } : {}) },
});

/** A clock whose wall time can jump while monotonic time only moves with advance(). */
class SkewedClock extends ManualClock {
  skewMs = 0;
  override now(): number {
    return super.now() + this.skewMs;
  }
}

describe('lease subset regressions', () => {
  it('go-sdk #147: the subset check is sound against wildcard widening', async () => {
    const peer = await setup();
    const parent = { 'fs.read': ['/data/*'], 'agent.delegate': ['script'] };
    const widening: Record<string, string[]>[] = [
      { 'fs.read': ['/data/**'] }, // ** reaches below one segment
      { 'fs.read': ['/**'] },
      { 'fs.read': ['/*/*'] },
      { 'fs.read': ['/data/*/x'] }, // two segments under /data
      { 'fs.read': ['/dat*'] },
      { 'fs.read': ['/data/a.txt', '/etc/passwd'] }, // one member outside
      { 'fs.write': ['/data/*'] }, // a capability the parent lacks
      { 'net.fetch': ['https://**'] },
    ];
    const done = await runScript(peer, widening.map((l) => child(l)), parent);
    expect(done.payload.result).toEqual(widening.map(() => 'LEASE_SUBSET_VIOLATION'));
    const narrowing = [{ 'fs.read': ['/data/a.txt'] }, { 'fs.read': ['/data/*'] }, { 'fs.read': ['/data/a*'] }];
    const ok = await runScript(peer, narrowing.map((l) => child(l)), parent);
    expect(ok.payload.result).toEqual(['ok', 'ok', 'ok']);
  });

  it('go-sdk #147: a child under a ** parent may use * but not escape the prefix', async () => {
    const peer = await setup();
    const parent = { 'fs.read': ['/data/**'], 'agent.delegate': ['script'] };
    const done = await runScript(peer, [child({ 'fs.read': ['/data/*'] }), child({ 'fs.read': ['/data/x/**'] }), child({ 'fs.read': ['/data2/**'] }), child({ 'fs.read': ['/**'] })], parent);
    expect(done.payload.result).toEqual(['ok', 'ok', 'LEASE_SUBSET_VIOLATION', 'LEASE_SUBSET_VIOLATION']);
  });

  it('go-sdk #147: mid-pattern ** and URL host wildcards cannot widen either', async () => {
    const peer = await setup();
    const parent = { 'fs.read': ['/a/*/c', '/data/**/x'], 'net.fetch': ['https://api.example.com/**'], 'agent.delegate': ['script'] };
    const widening: Record<string, string[]>[] = [
      { 'fs.read': ['/a/**/c'] },
      { 'fs.read': ['/data/**'] },
      { 'fs.read': ['/data/**/*'] },
      { 'net.fetch': ['https://*.example.com/**'] },
      { 'net.fetch': ['https://api.example.com.evil.example/**'] },
      { 'net.fetch': ['http://api.example.com/**'] },
      { 'net.fetch': ['https://**'] },
    ];
    const done = await runScript(peer, widening.map((l) => child(l)), parent);
    expect(done.payload.result).toEqual(widening.map(() => 'LEASE_SUBSET_VIOLATION'));
    const ok = await runScript(peer, [child({ 'fs.read': ['/a/b/c', '/data/q/r/x'] }), child({ 'net.fetch': ['https://api.example.com/v1/**'] })], parent);
    expect(ok.payload.result).toEqual(['ok', 'ok']);
  });

  it('§9.4: model.use and child expiry are subset-checked too (wider model glob, later expires_at)', async () => {
    const peer = await setup();
    const soon = new Date(Date.now() + 3_600_000).toISOString();
    const later = new Date(Date.now() + 7_200_000).toISOString();
    const parent = { 'model.use': ['gpt-4*'], 'agent.delegate': ['script'] };
    const done = await runScript(
      peer,
      [child({ 'model.use': ['gpt-*'] }), child({ 'model.use': ['gpt-4o'] }), child({}, { expires_at: later }), child({}, { expires_at: soon })],
      parent,
      { lease_constraints: { expires_at: soon } },
    );
    expect(done.payload.result).toEqual(['LEASE_SUBSET_VIOLATION', 'ok', 'LEASE_SUBSET_VIOLATION', 'ok']);
    // Absent child expiry inherits the parent's (§9.4).
    const kids = peer.ofType('job.accepted').filter((m) => m.payload.parent_job_id === done.job_id);
    expect(kids[0]!.payload.lease_constraints?.expires_at).toBe(soon);
  });

  it('catalog §9 #42: agent.delegate must cover the child agent (PERMISSION_DENIED otherwise)', async () => {
    const peer = await setup();
    const done = await runScript(peer, [child({})], { 'agent.delegate': ['other.*'] });
    expect(done.payload.result).toEqual(['PERMISSION_DENIED']);
    const none = await runScript(peer, [child({})], {});
    expect(none.payload.result).toEqual(['PERMISSION_DENIED']);
  });

  it('ts-sdk #122/#123: an unparseable or non-Z or past expires_at fails closed with INVALID_REQUEST at submit', async () => {
    const peer = await setup();
    const bad = ['tomorrow', '2030-01-01T00:00:00+00:00', '2030-01-01T00:00:00', '2030-13-01T00:00:00Z', '2030-02-30T00:00:00Z', '2020-01-01T00:00:00Z', '', 'NaN', 12345];
    for (const expires_at of bad) {
      const reply = await peer.accepted(peer.submit('script', { steps: [] }, { lease_request: {}, lease_constraints: { expires_at } }));
      expect(['job.error', 'session.error'], String(expires_at)).toContain(reply.type);
      expect(reply.payload.code, String(expires_at)).toBe('INVALID_REQUEST');
    }
    expect(peer.ofType('job.accepted')).toHaveLength(0);
    const fine = await submitAccepted(peer, 'script', { steps: [] }, { lease_constraints: { expires_at: new Date(Date.now() + 60_000).toISOString() } });
    expect(fine.type).toBe('job.accepted');
  });

  it('ts-sdk #122/#123 / §9.5 "in the future": expires_at equal to the submit time is refused; fractional seconds are accepted', async () => {
    const clock = new ManualClock();
    const runtime = makeRuntime({ clock });
    scriptAgent(runtime);
    const peer = await connect(runtime);
    const now = new Date(clock.now()).toISOString();
    const atNow = await peer.accepted(peer.submit('script', { steps: [] }, { lease_constraints: { expires_at: now } }));
    expect(atNow.payload.code).toBe('INVALID_REQUEST');
    const fractional = new Date(clock.now() + 1_500).toISOString(); // ...01.500Z
    expect(fractional).toMatch(/\.\d{3}Z$/);
    expect((await submitAccepted(peer, 'script', { steps: [] }, { lease_constraints: { expires_at: fractional } })).type).toBe('job.accepted');
  });

  it('rust-sdk "validate and enforce lease expires_at" (§9.5) / python test_lease_expiry_grace: operations past expiry (+ a grace of at most 1 s) are LEASE_EXPIRED and end the job, retryable false', async () => {
    const clock = new ManualClock();
    const runtime = makeRuntime({ clock, proactiveExpiry: false });
    const agent = drivenAgent(runtime);
    const peer = await connect(runtime);
    const expires_at = new Date(clock.now() + 5_000).toISOString();
    const jobId = (await submitAccepted(peer, 'driven', {}, { lease_request: { 'fs.read': ['/data/**'] }, lease_constraints: { expires_at } })).job_id!;
    const d = await agent.ctxOf(jobId);
    clock.advance(4_999);
    expect(d.ctx.authorize('fs.read', '/data/a').allowed).toBe(true);
    clock.advance(1_001); // 1 s past expires_at: the grace is over
    const late = d.ctx.authorize('fs.read', '/data/a');
    expect(late.allowed).toBe(false);
    const terminal = await peer.terminal(jobId);
    expect(terminal.type).toBe('job.error');
    expect(terminal.payload).toMatchObject({ code: 'LEASE_EXPIRED', retryable: false });
  });

  it('§9.5 / catalog §10 #33: with proactive expiry the job ends LEASE_EXPIRED even if the agent never calls an operation', async () => {
    const clock = new ManualClock();
    const runtime = makeRuntime({ clock });
    drivenAgent(runtime);
    const peer = await connect(runtime);
    const expires_at = new Date(clock.now() + 5_000).toISOString();
    const jobId = (await submitAccepted(peer, 'driven', {}, { lease_constraints: { expires_at } })).job_id!;
    await peer.settle();
    await clock.advanceAsync(6_001);
    const terminal = await peer.terminal(jobId);
    expect(terminal.payload).toMatchObject({ final_status: 'error', code: 'LEASE_EXPIRED', retryable: false });
  });

  it('swift-sdk #80: expiry runs on the monotonic clock — a wall-clock jump neither extends nor shortens the lease', async () => {
    const clock = new SkewedClock();
    const runtime = makeRuntime({ clock, proactiveExpiry: false });
    const agent = drivenAgent(runtime);
    const peer = await connect(runtime);
    const lease = { 'fs.read': ['/data/**'] };
    const expires_at = new Date(clock.now() + 5_000).toISOString();
    const jobId = (await submitAccepted(peer, 'driven', {}, { lease_request: lease, lease_constraints: { expires_at } })).job_id!;
    const d = await agent.ctxOf(jobId);
    clock.skewMs = 3_600_000; // wall clock jumps an hour ahead: no premature expiry
    expect(d.ctx.authorize('fs.read', '/data/a').allowed).toBe(true);
    clock.skewMs = -3_600_000; // and an hour back: expiry still arrives on time
    clock.advance(6_001);
    expect(d.ctx.authorize('fs.read', '/data/a').allowed).toBe(false);
    expect((await peer.terminal(jobId)).payload.code).toBe('LEASE_EXPIRED');
  });

  it('§9.3: a lease miss is PERMISSION_DENIED reported as a tool_result error the agent handles (the job goes on)', async () => {
    const peer = await setup();
    const done = await runScript(peer, [{ op: ['fs.read', '/etc/passwd'] }, { op: ['fs.read', '/data/../etc/passwd'] }, { op: ['fs.read', '/data/ok'] }], { 'fs.read': ['/data/**'] });
    expect(done.payload.final_status).toBe('success');
    expect(done.payload.result[0]).toBe('PERMISSION_DENIED');
    expect(done.payload.result[1]).not.toBe('ok'); // `..` escapes are refused, never matched
    expect(done.payload.result[2]).toBe('ok');
  });
});
