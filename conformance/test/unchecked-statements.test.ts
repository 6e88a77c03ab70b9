// The checks written for statements no check tested before (S7.5-05, S9.6-06, S9.7-02,
// S9.8.2-05, S9.8.2-06, S9.8.3-01, S14-04, S14-06) can fail: each runs against arcp-kit's runtime broken through
// its extension points only (a provisioner that bakes nothing in or re-issues the old value on
// rotation, agents registered by this test that lie or give up), and must then fail (MUST) or
// warn (SHOULD) with a message naming the frame. The honest runtime passes them in the full
// in-process run (self-certification.test.ts).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Credential } from '../../generated/index.js';
import { delegator, model, spender, tools } from '../../runtime-kit/agents/conformance-authority.js';
import { chatty, echo, failer, slow, streamer, versioned } from '../../runtime-kit/agents/conformance.js';
import { rotator } from '../../runtime-kit/agents/conformance-rotator.js';
import { ReferenceProvisioner, type CredentialJob, type CredentialScope } from '../../runtime-kit/authority/index.js';
import { passThroughAuthority } from '../../runtime-kit/runtime/authority-bridge.js';
import type { AgentHandler } from '../../runtime-kit/runtime/job-context.js';
import { ARCPRuntime } from '../../runtime-kit/runtime/runtime.js';
import { createMemoryTransportPair } from '../../runtime-kit/transport/memory.js';
import type { WireTransport } from '../driver/connection.js';
import { webSocketTarget, type PeerTarget } from '../driver/target.js';
import { runConformance } from '../index.js';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
});

/** Bakes no lease capability into its credentials, or far more than the lease (an upstream key with the account's limits). */
class WideProvisioner extends ReferenceProvisioner {
  override issue(job: CredentialJob, _scope: CredentialScope): Promise<Credential[]> {
    return super.issue(job, { 'model.use': ['**'], 'cost.budget': ['USD:1000.00'], expires_at: new Date(Date.now() + 86_400_000).toISOString() });
  }
}

/** Rotation that hands back the value it was given (the prior value never stops working). */
class StaleRotationProvisioner extends ReferenceProvisioner {
  override async rotate(credential: Credential): Promise<Credential> {
    return { ...credential };
  }
}

interface Broken {
  provisioner?: ReferenceProvisioner;
  /** Agents registered instead of the conformance agents of the same name. */
  agents?: Record<string, AgentHandler>;
  /** conformance.versioned@1.0.0's handler. */
  versioned1?: AgentHandler;
  /** Runtime options on top of the defaults (hooks replacing enforcement). */
  options?: Partial<ConstructorParameters<typeof ARCPRuntime>[0]>;
}

async function brokenTarget(b: Broken): Promise<PeerTarget> {
  const dir = await mkdtemp(join(tmpdir(), 'arcp-unchecked-'));
  dirs.push(dir);
  const runtime = new ARCPRuntime({
    runtime: { name: 'arcp-kit (broken on purpose)', version: '0.1.0' },
    tokens: { a: 'principal-a', b: 'principal-b' },
    credentialProvisioner: b.provisioner ?? new ReferenceProvisioner(),
    revocationLedgerPath: join(dir, 'revocations.json'),
    ...b.options,
  });
  const honest: Record<string, AgentHandler> = {
    'conformance.echo': echo,
    'conformance.chatty': chatty,
    'conformance.slow': slow(runtime.timers),
    'conformance.streamer': streamer,
    'conformance.failer': failer,
    'conformance.tools': tools(runtime.timers),
    'conformance.spender': spender,
    'conformance.model': model,
    'conformance.delegator': delegator,
  };
  for (const [name, handler] of Object.entries({ ...honest, ...b.agents })) runtime.registerAgent(name, handler);
  runtime.registerAgent('conformance.versioned', b.versioned1 ?? versioned('1.0.0', runtime.timers), { version: '1.0.0' });
  runtime.registerAgent('conformance.versioned', versioned('2.0.0', runtime.timers), { version: '2.0.0', default: true });
  if (!b.agents?.['conformance.rotator']) runtime.registerAgent('conformance.rotator', rotator(runtime));
  return {
    describe: 'broken arcp-kit',
    tokenA: 'a',
    tokenB: 'b',
    multiConnection: true,
    connect: async () => {
      const [client, server] = createMemoryTransportPair();
      runtime.accept(server);
      return client as unknown as WireTransport;
    },
    dispose: () => runtime.close(),
  };
}

async function verdictOf(b: Broken, id: string): Promise<{ outcome: string; message: string }> {
  const r = await runConformance({ peer: await brokenTarget(b), only: id, seed: 5, output: 'silent' });
  const v = r.verdicts.find((x) => x.id === id);
  expect(v, id).toBeDefined();
  return { outcome: v!.outcome, message: v!.message ?? '' };
}

describe('checks of statements nothing tested before fail on a runtime that breaks them', () => {
  it('S7.5-05: a pinned job that runs (or reports) another version fails MUST', async () => {
    const migrated: AgentHandler = async () => {
      await new Promise((r) => setTimeout(r, 300));
      return { version: '2.0.0' };
    };
    const v = await verdictOf({ versioned1: migrated }, '7.5/versions/running-job-not-migrated');
    expect(v.outcome).toBe('fail');
    expect(v.message).toMatch(/reports it ran version "2\.0\.0".*migrated from 1\.0\.0/);
  }, 30_000);

  it('S7.5-05: a versioned agent that ignores delay_ms leaves the check skipped with what to add, never passed', async () => {
    const v = await verdictOf({ versioned1: () => ({ version: '1.0.0' }) }, '7.5/versions/running-job-not-migrated');
    expect(v.outcome).toBe('skipped');
    expect(v.message).toMatch(/optional delay_ms of conformance\.versioned/);
  }, 30_000);

  it('S9.6-06: exhaustion as a fatal job.error warns (SHOULD)', async () => {
    const fatal: AgentHandler = (input, ctx) => {
      const costs = (input as { costs: { amount: number; currency: string }[] }).costs;
      for (const c of costs) {
        ctx.metric('cost.conformance', c.amount, { unit: c.currency });
        const d = ctx.operation('tool.call', 'search', { tool: 'conformance.op', args: { capability: 'tool.call', target: 'search' } });
        if (!d.allowed) throw d.error;
      }
      return { outcomes: [] };
    };
    const v = await verdictOf({ agents: { 'conformance.spender': fatal } }, '9.6/budget/exhaustion-as-tool-result');
    expect(v.outcome).toBe('warn');
    expect(v.message).toMatch(/job\.error BUDGET_EXHAUSTED/);
  }, 30_000);

  it('S9.8.3-01 and S9.7-02: credentials wider than the lease warn (SHOULD)', async () => {
    const mirror = await verdictOf({ provisioner: new WideProvisioner() }, '9.8/credentials/constraints-mirror-lease');
    expect(mirror.outcome).toBe('warn');
    expect(mirror.message).toMatch(/cost\.budget USD:1000 \(lease USD:2\.5\).*expires_at/);
    const models = await verdictOf({ provisioner: new WideProvisioner() }, '9.7/model/credential-carries-model-constraint');
    expect(models.outcome).toBe('warn');
    expect(models.message).toMatch(/model\.use "\*\*"/);
  }, 30_000);

  it('S9.8.2-06: a child credential above the child\'s lease fails MUST', async () => {
    const v = await verdictOf({ provisioner: new WideProvisioner() }, '9.8/credentials/child-within-child-lease');
    expect(v.outcome).toBe('fail');
    expect(v.message).toMatch(/above the child's lease: .*model\.use "\*\*" \(lease \["tier-fast\/small"\]\)/);
  }, 30_000);

  it('S9.8.2-05: a rotation announced with the old value, or not announced at all, fails MUST', async () => {
    const stale = await verdictOf({ provisioner: new StaleRotationProvisioner() }, '9.8/credentials/rotation-announced');
    expect(stale.outcome).toBe('fail');
    expect(stale.message).toMatch(/carries the old value/);
    // an agent that claims rotations the runtime never announced: the wire, not the report, decides
    const liar: AgentHandler = (_input, ctx) => ({ rotated: [`cred_of_${ctx.jobId}`] });
    const silent = await verdictOf({ agents: { 'conformance.rotator': liar } }, '9.8/credentials/rotation-announced');
    expect(silent.outcome).toBe('fail');
    expect(silent.message).toMatch(/no status credential_rotated naming it/);
  }, 30_000);

  it('S14-04: a runtime that still grants an operation 1.25 s after expires_at warns (SHOULD)', async () => {
    const v = await verdictOf({ options: { hooks: { createAuthority: () => passThroughAuthority }, proactiveExpiry: false } }, '14/expiry/grace-bounded');
    expect(v.outcome).toBe('warn');
    expect(v.message).toMatch(/after expires_at .* was allowed \(tool_result .*\): the grace is longer than ~1 s/);
  }, 30_000);

  it('S14-06: credentials issued over plain ws:// (the loopback development opt-in) fail MUST; withheld there, the check passes', async () => {
    const over = async (plainLoopbackCredentials: boolean) => {
      const dir = await mkdtemp(join(tmpdir(), 'arcp-unchecked-'));
      dirs.push(dir);
      const runtime = new ARCPRuntime({ tokens: { a: 'principal-a' }, credentialProvisioner: new ReferenceProvisioner(), revocationLedgerPath: join(dir, 'revocations.json'), plainLoopbackCredentials });
      runtime.registerAgent('conformance.echo', echo);
      const server = await runtime.listen({ port: 0 });
      try {
        const target = await webSocketTarget(server.url!, 'a');
        expect(target.plaintextNetwork).toBe(true);
        const r = await runConformance({ peer: target, only: '14/credentials/never-over-plaintext', seed: 5, output: 'silent' });
        return r.verdicts[0];
      } finally {
        await runtime.close();
      }
    };
    const leaky = await over(true);
    expect(leaky.outcome).toBe('fail');
    expect(leaky.message).toMatch(/carries 1 credential\(s\) over plain ws:\/\/127\.0\.0\.1:\d+.*unencrypted/);
    expect((await over(false)).outcome).toBe('pass');
  }, 30_000);
});
