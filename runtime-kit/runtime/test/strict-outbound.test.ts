// Issue 9 item 1: strict outbound validation is on in every environment (§8.2.1). A production
// runtime (NODE_ENV=production, not under a test runner) built without `validateOutbound` must
// refuse an agent's bad body: nothing reaches the wire, the agent gets INVALID_REQUEST (typed,
// with the ARCP code and retryable), and an uncaught refusal ends the job with that code.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isARCPError } from '../../errors/index.js';
import { ARCPRuntime } from '../runtime.js';
import { TestPeer } from './support/test-peer.js';

const saved = { NODE_ENV: process.env.NODE_ENV, VITEST: process.env.VITEST };
let runtime: ARCPRuntime | undefined;

beforeEach(() => {
  process.env.NODE_ENV = 'production';
  delete process.env.VITEST; // the old default switched validation on whenever VITEST was set
});
afterEach(async () => {
  for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k]; else process.env[k] = v;
  await runtime?.close();
  runtime = undefined;
});

function productionRuntime(): ARCPRuntime {
  const rt = new ARCPRuntime({ tokens: { t: 'alice' } }); // no validateOutbound: the default applies
  rt.registerAgent('bad.progress', (_input, ctx) => {
    try {
      ctx.progress(-5);
      return { thrown: null };
    } catch (err) {
      return { thrown: isARCPError(err) ? { code: err.code, retryable: err.retryable } : String(err) };
    }
  });
  rt.registerAgent('bad.log', (_input, ctx) => {
    ctx.log('bogus' as never, 'never on the wire');
    return { reached: true };
  });
  return rt;
}

describe('strict outbound validation by default (§8.2.1)', () => {
  it('ctx.progress(-5) never reaches the wire; the agent gets a typed INVALID_REQUEST', async () => {
    runtime = productionRuntime();
    const peer = TestPeer.connect(runtime);
    await peer.hello({ features: ['progress'] });
    const acc = await peer.accepted(peer.submit('bad.progress'));
    const term = await peer.terminal(acc.payload.job_id);
    expect(peer.rawFrames.some((f) => f.includes('"current":-5'))).toBe(false);
    expect(term.type).toBe('job.result');
    expect(term.payload.result).toEqual({ thrown: { code: 'INVALID_REQUEST', retryable: false } });
  });

  it('a log level "bogus" never reaches the wire; uncaught, the job ends with job.error INVALID_REQUEST', async () => {
    runtime = productionRuntime();
    const peer = TestPeer.connect(runtime);
    await peer.hello();
    const acc = await peer.accepted(peer.submit('bad.log'));
    const term = await peer.terminal(acc.payload.job_id);
    expect(peer.rawFrames.some((f) => f.includes('bogus'))).toBe(false);
    expect(term.type).toBe('job.error');
    expect(term.payload.code).toBe('INVALID_REQUEST');
    expect(term.payload.details?.field).toBe('/payload/body/level');
  });
});
