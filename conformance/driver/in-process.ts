// The default target: arcp-kit's own runtime, in this process, hosting the conformance agents,
// with two principals, reached over memory transport pairs. No set-up needed (issue 5).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ReferenceProvisioner } from '../../runtime-kit/authority/index.js';
import { registerConformanceAgents } from '../../runtime-kit/agents/index.js';
import { ARCPRuntime } from '../../runtime-kit/runtime/runtime.js';
import type { FaultName } from '../../runtime-kit/runtime/faults.js';
import { createMemoryTransportPair } from '../../runtime-kit/transport/memory.js';
import type { WireTransport } from './connection.js';
import type { PeerTarget } from './target.js';

export const IN_PROCESS_TOKEN_A = 'conformance-token-a';
export const IN_PROCESS_TOKEN_B = 'conformance-token-b';

export interface InProcessOptions {
  /** Test-only misbehaviours of the runtime (runtime-kit/runtime/faults.ts). */
  faults?: readonly FaultName[];
  /**
   * Observation policy: the default is the spec's "same principal only" (§14); 'b-observes-a'
   * lets principal B subscribe to and list A's jobs, so credential redaction for a non-submitter
   * observer can be exercised (§7.6).
   */
  observers?: 'same-principal' | 'b-observes-a';
}

export async function inProcessTarget(opts: InProcessOptions = {}): Promise<PeerTarget> {
  // §9.8/§14: credentials are advertised only with a durable revocation ledger.
  const ledgerDir = await mkdtemp(join(tmpdir(), 'arcp-conformance-'));
  const options: ConstructorParameters<typeof ARCPRuntime>[0] = {
    runtime: { name: 'arcp-kit (in-process)', version: '0.1.0' },
    tokens: { [IN_PROCESS_TOKEN_A]: 'principal-a', [IN_PROCESS_TOKEN_B]: 'principal-b' },
    // Short enough that a cancelled agent that ignores its signal is ended within a check.
    cancelGraceMs: 2_000,
    // Short enough for the heartbeat-loss check to run in ~6 s, long enough (loss after 4 s of
    // silence) that a loaded 2-core machine never trips it while the harness is merely slow.
    heartbeatIntervalSec: 2,
    // Short enough for the window-expiry check to run (it waits twice the window), so a MUST
    // check is never skipped against our own runtime: a skipped one would make the run PARTIAL.
    resumeWindowSec: 3,
    faults: opts.faults,
    credentialProvisioner: new ReferenceProvisioner({ endpoint: 'https://gateway.conformance.invalid/v1', profile: 'generic' }),
    revocationLedgerPath: join(ledgerDir, 'revocations.json'),
    ...(opts.observers === 'b-observes-a' ? { subscribePolicy: (req: { principal: string }) => req.principal === 'principal-b' } : {}),
  };
  const runtime = new ARCPRuntime(options);
  registerConformanceAgents(runtime);
  return {
    describe: opts.faults?.length ? `in-process arcp-kit with faults ${opts.faults.join(', ')}` : 'in-process arcp-kit',
    tokenA: IN_PROCESS_TOKEN_A,
    tokenB: IN_PROCESS_TOKEN_B,
    multiConnection: true,
    connect: async () => {
      const [client, server] = createMemoryTransportPair();
      runtime.accept(server);
      return client as unknown as WireTransport;
    },
    dispose: async () => {
      await runtime.close();
      // the ledger may still be renaming a write into place: retry briefly
      await rm(ledgerDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
    },
  };
}
