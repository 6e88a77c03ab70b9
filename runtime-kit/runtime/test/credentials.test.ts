// §9.8 provisioned credentials end to end with the reference provisioner and a real ledger file:
// issued no later than job.accepted and scoped to the lease, only for sessions that negotiated
// the flag, provisioning failure -> job.error INTERNAL_ERROR, rotation announced by
// `status credential_rotated`, revocation at every terminal state (children included), and
// outstanding revocations retried by a restarted runtime (§14).
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { ReferenceProvisioner } from '../../authority/index.js';
import { MemoryRuntimeStore } from '../../store/memory-store.js';
import { authorityServicesOf } from '../enforcement/authority-services.js';
import type { ARCPRuntime } from '../runtime.js';
import { alice, authorityRuntime, futureIso, submitAccepted, tempLedgerPath } from './support/authority-fixture.js';
import { connected } from './support/runtime-fixture.js';

let runtime: ARCPRuntime;
afterEach(async () => runtime?.close());

const noWait = { attempts: 2, sleep: async () => {} };

function credentialed(provisioner = new ReferenceProvisioner(), ledger = tempLedgerPath()) {
  runtime = authorityRuntime({ credentialProvisioner: provisioner, revocationLedgerPath: ledger, credentialRetry: noWait });
  return { provisioner, ledger, services: authorityServicesOf(runtime) };
}

const outstanding = (ledger: string): unknown[] => JSON.parse(readFileSync(ledger, 'utf8')).outstanding;

describe('issue (§9.8.1, §9.8.2)', () => {
  it('puts credentials scoped to the lease in job.accepted and revokes them at the terminal state', async () => {
    const { provisioner, ledger, services } = credentialed();
    const peer = await alice(runtime);
    const expires_at = futureIso(3_600_000);
    const lease_request = { 'cost.budget': ['USD:5.00'], 'model.use': ['tier-fast/*'] };
    const acc = await submitAccepted(peer, 'conformance.slow', { steps: 1, interval_ms: 60_000 }, { lease_request, lease_constraints: { expires_at } });
    const [cred] = acc.payload.credentials;
    expect(acc.payload.credentials).toHaveLength(1);
    expect(cred).toMatchObject({ scheme: 'bearer', endpoint: expect.any(String), constraints: { 'cost.budget': ['USD:5'], 'model.use': ['tier-fast/*'], expires_at } });
    expect(provisioner.accepts(cred.value)).toBe(true);
    expect(outstanding(ledger)).toEqual([expect.objectContaining({ id: cred.id, job_id: acc.payload.job_id })]);
    expect(readFileSync(ledger, 'utf8')).not.toContain(cred.value); // ids only, never values

    peer.send('job.cancel', { reason: 'stop' }, { job_id: acc.payload.job_id });
    await peer.terminal(acc.payload.job_id);
    await services.credentials!.settled();
    expect(provisioner.accepts(cred.value)).toBe(false);
    expect(outstanding(ledger)).toEqual([]);
  });

  it('never reuses a value across jobs and revokes after success and after failure too', async () => {
    const { provisioner, services } = credentialed();
    const peer = await alice(runtime);
    const ok = await submitAccepted(peer, 'conformance.echo', 1);
    const failed = await submitAccepted(peer, 'conformance.failer', { code: 'INVALID_REQUEST', message: 'no' });
    expect(ok.payload.credentials[0].value).not.toBe(failed.payload.credentials[0].value);
    await peer.terminal(ok.payload.job_id);
    await peer.terminal(failed.payload.job_id);
    await services.credentials!.settled();
    expect(provisioner.liveIds()).toEqual([]);
  });

  it('issues nothing to a session that did not negotiate provisioned_credentials', async () => {
    const { provisioner } = credentialed();
    const peer = await connected(runtime, { features: ['ack'] });
    const acc = await submitAccepted(peer, 'conformance.echo', 1);
    expect(acc.payload.credentials).toBeUndefined();
    expect(provisioner.calls.issue).toBe(0);
  });

  it('answers job.error INTERNAL_ERROR instead of job.accepted when provisioning fails', async () => {
    const provisioner = new ReferenceProvisioner();
    provisioner.failNext('issue', 5);
    credentialed(provisioner);
    const peer = await alice(runtime);
    const req = peer.submit('conformance.echo', 1);
    const reply = await peer.accepted(req);
    expect(reply.type).toBe('job.error');
    expect(reply.payload).toMatchObject({ code: 'INTERNAL_ERROR', retryable: true, request_id: req });
    expect(peer.ofType('job.accepted')).toHaveLength(0);
  });
});

describe('rotation (§9.8.2)', () => {
  it('emits status credential_rotated {id, value}; the prior value stops working', async () => {
    const { provisioner, services } = credentialed();
    const peer = await alice(runtime);
    const acc = await submitAccepted(peer, 'conformance.slow', { steps: 1, interval_ms: 60_000 });
    const old = acc.payload.credentials[0];
    await services.rotateCredential(acc.payload.job_id, old.id);
    const rotated = (await peer.find((m) => m.job_id === acc.payload.job_id && m.payload?.body?.phase === 'credential_rotated')).payload.body;
    expect(rotated).toMatchObject({ phase: 'credential_rotated', details: { id: old.id, value: expect.any(String) } });
    expect(rotated.details.value).not.toBe(old.value);
    expect(provisioner.accepts(old.value)).toBe(false);
    expect(provisioner.accepts(rotated.details.value)).toBe(true);
  });
});

/** A store whose commits are held back while `holding`: the runtime's sends wait for it (whenDurable). */
class HeldStore extends MemoryRuntimeStore {
  holding = false;
  private readonly held: (() => void)[] = [];
  override afterDurable(fn?: () => void): boolean {
    if (!this.holding || !fn) return false;
    this.held.push(fn);
    return true;
  }
  release(): void {
    this.holding = false;
    for (const fn of this.held.splice(0)) fn();
  }
}

describe('rotation while job.accepted waits for the store (§9.8.2)', () => {
  it('job.accepted still carries the issued value; only the announcement carries the new one', async () => {
    // Found on the Redis cluster (9.8/credentials/rotation-announced): the rotation edited the
    // payload object of the job.accepted that was still waiting to be sent.
    const store = new HeldStore();
    const provisioner = new ReferenceProvisioner();
    let rotated!: () => void;
    const done = new Promise<void>((r) => (rotated = r));
    runtime = authorityRuntime({ credentialProvisioner: provisioner, revocationLedgerPath: tempLedgerPath(), credentialRetry: noWait, store });
    const services = authorityServicesOf(runtime);
    runtime.registerAgent('test.rotate-now', async (_input, ctx) => {
      for (const c of services.credentials?.credentialsOf(ctx.jobId) ?? []) await services.rotateCredential(ctx.jobId, c.id);
      rotated();
      return 'rotated';
    });
    const peer = await alice(runtime);
    store.holding = true;
    const req = peer.submit('test.rotate-now', {});
    await done;
    store.release();
    const acc = await peer.accepted(req);
    const issued = acc.payload.credentials[0];
    const announced = (await peer.find((m) => m.job_id === acc.payload.job_id && m.payload?.body?.phase === 'credential_rotated')).payload.body;
    expect(announced.details.id).toBe(issued.id);
    expect(announced.details.value).not.toBe(issued.value);
  });
});

describe('revocation durability (§14)', () => {
  it('keeps failed revocations in the ledger and a restarted runtime revokes them', async () => {
    const provisioner = new ReferenceProvisioner();
    const ledger = tempLedgerPath();
    const first = credentialed(provisioner, ledger);
    const peer = await alice(runtime);
    const acc = await submitAccepted(peer, 'conformance.slow', { steps: 1, interval_ms: 60_000 });
    const cred = acc.payload.credentials[0];
    provisioner.failNext('revoke', 2); // both attempts of the terminal revocation fail
    peer.send('job.cancel', {}, { job_id: acc.payload.job_id });
    await peer.terminal(acc.payload.job_id);
    await first.services.credentials!.settled();
    expect(provisioner.isLive(cred.id)).toBe(true);
    expect(outstanding(ledger)).toEqual([expect.objectContaining({ id: cred.id, attempts: 1 })]);
    await runtime.close();

    // "Restart": a new runtime over the same ledger file retries at start-up.
    const second = credentialed(provisioner, ledger);
    const report = await second.services.credentials!.recovered;
    expect(report.revoked).toEqual([cred.id]);
    expect(provisioner.isLive(cred.id)).toBe(false);
    expect(outstanding(ledger)).toEqual([]);
  });

  it('revokes a delegated child\'s credentials when the parent ends', async () => {
    const { provisioner, services } = credentialed();
    // The parent ends only once the test has seen its child accepted (no real-time sleep: the
    // ordering must hold however loaded the machine is).
    let childSeen!: () => void;
    const childAccepted = new Promise<void>((r) => (childSeen = r));
    runtime.registerAgent('leaver', async (_input, ctx) => {
      void ctx.delegate({ agent: 'conformance.slow', input: { steps: 1, interval_ms: 60_000 }, lease_request: {} }).catch(() => undefined);
      await childAccepted;
      return 'bye';
    });
    const peer = await alice(runtime);
    const acc = await submitAccepted(peer, 'leaver', {}, { lease_request: { 'agent.delegate': ['conformance.*'] } });
    const child = await peer.find((m) => m.type === 'job.accepted' && m.payload.parent_job_id === acc.payload.job_id);
    childSeen();
    await peer.terminal(acc.payload.job_id);
    expect(child.payload.credentials).toHaveLength(1);
    await peer.terminal(child.job_id!);
    await services.credentials!.settled();
    expect(provisioner.accepts(child.payload.credentials[0].value)).toBe(false);
    expect(provisioner.liveIds()).toEqual([]);
  });
});
