// A runtime with two principals and a few small agents for the e2e tests.
import { ARCPRuntime } from '../../runtime.js';
import type { RuntimeOptions } from '../../options.js';
import { TestPeer } from './test-peer.js';

export const TOKENS = { t: 'alice', t2: 'alice', u: 'bob' };

export function makeRuntime(opts: RuntimeOptions = {}): ARCPRuntime {
  const runtime = new ARCPRuntime({ tokens: TOKENS, validateOutbound: true, ...opts });
  runtime.registerAgent('echo', (input) => input);
  return runtime;
}

export async function connected(runtime: ARCPRuntime, opts: Parameters<TestPeer['hello']>[0] = {}): Promise<TestPeer> {
  const peer = TestPeer.connect(runtime);
  const welcome = await peer.hello(opts);
  if (welcome.type !== 'session.welcome') throw new Error(`handshake failed: ${JSON.stringify(welcome.payload)}`);
  return peer;
}

/** Resolves after `ms` real milliseconds (used only to let short real timers fire, never asserted on). */
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A deferred promise agents can await so tests control when they finish. */
export function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((r) => (open = r));
  return { promise, open };
}
