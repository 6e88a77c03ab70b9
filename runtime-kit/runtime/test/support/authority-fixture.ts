// Shared set-up of the authority-layer e2e tests: a runtime with the conformance agents, two
// principals (alice: tokens t/t2, bob: token u), and helpers over raw frames.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { registerConformanceAgents } from '../../../agents/conformance.js';
import type { RuntimeOptions } from '../../options.js';
import type { ARCPRuntime } from '../../runtime.js';
import { connected, makeRuntime } from './runtime-fixture.js';
import type { Msg, TestPeer } from './test-peer.js';

export function authorityRuntime(opts: RuntimeOptions = {}): ARCPRuntime {
  return registerConformanceAgents(makeRuntime(opts));
}

export const alice = (runtime: ARCPRuntime): Promise<TestPeer> => connected(runtime, { token: 't' });
export const alice2 = (runtime: ARCPRuntime): Promise<TestPeer> => connected(runtime, { token: 't2' });
export const bob = (runtime: ARCPRuntime): Promise<TestPeer> => connected(runtime, { token: 'u' });

export function tempLedgerPath(): string {
  return join(mkdtempSync(join(tmpdir(), 'arcp-ledger-')), 'revocations.json');
}

/** Submits and waits for job.accepted (throws with the frames seen on anything else). */
export async function submitAccepted(peer: TestPeer, agent: string, input: unknown, extra: Record<string, unknown> = {}): Promise<Msg> {
  const accepted = await peer.accepted(peer.submit(agent, input, extra));
  if (accepted.type !== 'job.accepted') throw new Error(`expected job.accepted, got ${accepted.type} ${JSON.stringify(accepted.payload)}`);
  return accepted;
}

/** The job.event bodies of one job, in order, optionally of one kind. */
export function eventsOf(peer: TestPeer, jobId: string, kind?: string): any[] {
  return peer
    .ofType('job.event')
    .filter((m) => m.job_id === jobId && (kind === undefined || m.payload.kind === kind))
    .map((m) => m.payload.body);
}

/** Generous terminal wait for real-time tests (expiry), never asserted on. */
export function terminalSlow(peer: TestPeer, jobId: string): Promise<Msg> {
  return peer.find((m) => (m.type === 'job.result' || m.type === 'job.error') && m.job_id === jobId, 15_000);
}

export function futureIso(ms: number): string {
  return new Date(Date.now() + ms).toISOString();
}
