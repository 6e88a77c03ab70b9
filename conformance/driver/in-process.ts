// The default target: arcp-kit's own runtime, in this process, hosting the conformance agents,
// with two principals, reached over memory transport pairs. No set-up needed (issue 5).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ReferenceProvisioner } from '../../runtime-kit/authority/index.js';
import { registerConformanceAgents } from '../../runtime-kit/agents/index.js';
import { ARCPRuntime } from '../../runtime-kit/runtime/runtime.js';
import { createMemoryTransportPair } from '../../runtime-kit/transport/memory.js';
import type { WireTransport } from './connection.js';
import type { PeerLimits } from './peer-limits.js';
import type { PeerTarget } from './target.js';

export const IN_PROCESS_TOKEN_A = 'conformance-token-a';
export const IN_PROCESS_TOKEN_B = 'conformance-token-b';

/**
 * The runtime-kit modules the target is built from. The default is this checkout's; the fault
 * suite passes the same modules loaded from a mutated scratch copy (conformance/test/fault-*).
 */
export interface RuntimeModules {
  ARCPRuntime: typeof ARCPRuntime;
  registerConformanceAgents: typeof registerConformanceAgents;
  ReferenceProvisioner: typeof ReferenceProvisioner;
  createMemoryTransportPair: typeof createMemoryTransportPair;
}

export const THIS_RUNTIME: RuntimeModules = { ARCPRuntime, registerConformanceAgents, ReferenceProvisioner, createMemoryTransportPair };

export interface InProcessOptions {
  /** Build from these modules instead of this checkout's (a mutant, in the fault suite). */
  modules?: RuntimeModules;
  /** How the target describes itself in reports (default: "in-process arcp-kit"). */
  describe?: string;
  /**
   * Observation policy: the default is the spec's "same principal only" (§14); 'b-observes-a'
   * lets principal B subscribe to and list A's jobs, so credential redaction for a non-submitter
   * observer can be exercised (§7.6).
   */
  observers?: 'same-principal' | 'b-observes-a';
}

/**
 * Settings short enough that every timing MUST runs against our own runtime within a check
 * (nothing skipped for "window too long"), long enough that a loaded 2-core machine never trips
 * them while the harness is merely slow.
 */
export const IN_PROCESS_SETTINGS = {
  // a cancelled agent that ignores its signal is ended within a check
  cancelGraceMs: 2_000,
  // heartbeat loss after 4 s of silence: the loss check runs in ~6 s
  heartbeatIntervalSec: 2,
  // 6.3/resume/window-expired waits twice the window plus a second (7 s). The window counts from
  // the detach, so 6.4/heartbeat/loss-keeps-jobs, which resumes right after the loss, stays inside it.
  resumeWindowSec: 3,
  // 14/results/over-cap-internal-error streams 256 KiB chunks: over this cap, so the MUST side runs;
  // 14/results/caps-enforced probes both caps (three 64 KiB chunks fit the total, four do not)
  maxResultChunkBytes: 64 * 1024,
  maxResultBytes: 192 * 1024,
  limits: {
    // 14/sessions/zero-throughput-disconnect heartbeats for up to this plus a margin; longer than
    // any check keeps a session on heartbeats alone (6.4/heartbeat/idle-peer-pings: 5 s)
    idleTimeoutMs: 8_000,
    // the default, stated: 14/sessions/per-principal-cap opens one session more than this
    maxSessionsPerPrincipal: 64,
  },
} as const;

/** What the in-process target declares of IN_PROCESS_SETTINGS to the checks that probe limits. */
export const IN_PROCESS_LIMITS: PeerLimits = {
  resultChunkBytes: IN_PROCESS_SETTINGS.maxResultChunkBytes,
  resultTotalBytes: IN_PROCESS_SETTINGS.maxResultBytes,
  sessionsPerPrincipal: IN_PROCESS_SETTINGS.limits.maxSessionsPerPrincipal,
  zeroThroughputSec: IN_PROCESS_SETTINGS.limits.idleTimeoutMs / 1000,
};

export async function inProcessTarget(opts: InProcessOptions = {}): Promise<PeerTarget> {
  const m = opts.modules ?? THIS_RUNTIME;
  // §9.8/§14: credentials are advertised only with a durable revocation ledger.
  const ledgerDir = await mkdtemp(join(tmpdir(), 'arcp-conformance-'));
  const options: ConstructorParameters<typeof ARCPRuntime>[0] = {
    runtime: { name: 'arcp-kit (in-process)', version: '0.1.0' },
    tokens: { [IN_PROCESS_TOKEN_A]: 'principal-a', [IN_PROCESS_TOKEN_B]: 'principal-b' },
    ...IN_PROCESS_SETTINGS,
    credentialProvisioner: new m.ReferenceProvisioner({ endpoint: 'https://gateway.conformance.invalid/v1', profile: 'generic' }),
    revocationLedgerPath: join(ledgerDir, 'revocations.json'),
    ...(opts.observers === 'b-observes-a' ? { subscribePolicy: (req: { principal: string }) => req.principal === 'principal-b' } : {}),
  };
  const runtime = new m.ARCPRuntime(options);
  m.registerConformanceAgents(runtime);
  return {
    describe: opts.describe ?? 'in-process arcp-kit',
    tokenA: IN_PROCESS_TOKEN_A,
    tokenB: IN_PROCESS_TOKEN_B,
    multiConnection: true,
    limits: IN_PROCESS_LIMITS,
    connect: async () => {
      const [client, server] = m.createMemoryTransportPair();
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
