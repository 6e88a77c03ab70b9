// §9.7 model gate through conformance.model: patterns, and the deployment policy for a lease
// without model.use ('forbid' default, 'allow' configurable).
import { afterEach, describe, expect, it } from 'vitest';
import type { ARCPRuntime } from '../runtime.js';
import { alice, authorityRuntime, eventsOf, submitAccepted } from './support/authority-fixture.js';

let runtime: ARCPRuntime;
afterEach(async () => runtime?.close());

const models = ['tier-fast/small', 'tier-fast/x/y', 'anthropic/claude-3-haiku-20240307', 'gpt-4o'];

describe('model.use gate (§9.7)', () => {
  it('allows models matching a pattern (one-segment *), denies others with PERMISSION_DENIED', async () => {
    runtime = authorityRuntime();
    const peer = await alice(runtime);
    const acc = await submitAccepted(peer, 'conformance.model', { models }, { lease_request: { 'model.use': ['tier-fast/*', 'anthropic/claude-3-haiku-*'] } });
    const result = await peer.terminal(acc.payload.job_id);
    expect(result.payload.result.outcomes).toEqual([
      { allowed: true },
      { allowed: false, code: 'PERMISSION_DENIED' },
      { allowed: true },
      { allowed: false, code: 'PERMISSION_DENIED' },
    ]);
    const calls = eventsOf(peer, acc.payload.job_id, 'tool_call');
    expect(calls.map((c) => c.args.capability)).toEqual(['model.use', 'model.use', 'model.use', 'model.use']);
  });

  it("policy 'forbid' (default): a lease without model.use forbids every model", async () => {
    runtime = authorityRuntime();
    const peer = await alice(runtime);
    const acc = await submitAccepted(peer, 'conformance.model', { models: ['gpt-4o'] });
    expect((await peer.terminal(acc.payload.job_id)).payload.result.outcomes).toEqual([{ allowed: false, code: 'PERMISSION_DENIED' }]);
  });

  it("policy 'allow': a lease without model.use allows any model, but a lease with model.use still restricts", async () => {
    runtime = authorityRuntime({ modelPolicy: 'allow' });
    const peer = await alice(runtime);
    const open = await submitAccepted(peer, 'conformance.model', { models: ['gpt-4o', 'tier-fast/small'] });
    expect((await peer.terminal(open.payload.job_id)).payload.result.outcomes).toEqual([{ allowed: true }, { allowed: true }]);
    const narrow = await submitAccepted(peer, 'conformance.model', { models: ['gpt-4o'] }, { lease_request: { 'model.use': ['tier-fast/*'] } });
    expect((await peer.terminal(narrow.payload.job_id)).payload.result.outcomes).toEqual([{ allowed: false, code: 'PERMISSION_DENIED' }]);
  });

  it('JobContext.invokeModel runs the call only when the gate allows it', async () => {
    runtime = authorityRuntime();
    const invoked: string[] = [];
    runtime.registerAgent('llm', async (input, ctx) => {
      const out: string[] = [];
      for (const m of input as string[]) {
        try {
          out.push(await ctx.invokeModel(m, () => (invoked.push(m), `ok:${m}`)));
        } catch (err) {
          out.push(`denied:${(err as { code: string }).code}`);
        }
      }
      return out;
    });
    const peer = await alice(runtime);
    const acc = await submitAccepted(peer, 'llm', ['tier-fast/a', 'gpt-4o'], { lease_request: { 'model.use': ['tier-fast/*'] } });
    expect((await peer.terminal(acc.payload.job_id)).payload.result).toEqual(['ok:tier-fast/a', 'denied:PERMISSION_DENIED']);
    expect(invoked).toEqual(['tier-fast/a']);
  });
});
