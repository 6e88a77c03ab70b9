// Two principals on separate sessions (§6.6, §7.6, §14): isolation of listings, subscriptions,
// credentials and cancel authority; what a subscribePolicy broadens and what it never grants;
// the same over WebSocket. (Fault-injected variants: conformance/test/fault-mutants.test.ts.)
import { afterEach, describe, expect, it } from 'vitest';
import { ReferenceProvisioner } from '../../authority/index.js';
import { connectWebSocket } from '../../transport/index.js';
import { authorityServicesOf } from '../enforcement/authority-services.js';
import type { RuntimeOptions } from '../options.js';
import type { ARCPRuntime } from '../runtime.js';
import { alice, alice2, authorityRuntime, bob, submitAccepted, tempLedgerPath } from './support/authority-fixture.js';
import { ALL_FEATURES, TestPeer, type Msg } from './support/test-peer.js';

let runtime: ARCPRuntime;
afterEach(async () => runtime?.close());

const bobMayObserve: RuntimeOptions['subscribePolicy'] = (req) => req.principal === 'bob';

function start(opts: RuntimeOptions = {}): ARCPRuntime {
  runtime = authorityRuntime({ credentialProvisioner: new ReferenceProvisioner(), revocationLedgerPath: tempLedgerPath(), credentialRetry: { attempts: 1 }, ...opts });
  return runtime;
}

async function request(peer: TestPeer, type: string, payload: unknown, extra: Record<string, unknown> = {}): Promise<Msg> {
  const id = peer.send(type, payload, extra);
  return peer.find((m) => m.payload?.request_id === id);
}

const slow = { steps: 1, interval_ms: 60_000 };

describe('default policy: same principal only (§14)', () => {
  it('bob cannot list, subscribe to or cancel alice\'s job; alice\'s job is untouched', async () => {
    start();
    const a = await alice(runtime);
    const b = await bob(runtime);
    const jobId = (await submitAccepted(a, 'conformance.slow', slow)).payload.job_id;
    expect((await request(b, 'session.list_jobs', {})).payload.jobs).toEqual([]);
    expect((await request(b, 'job.subscribe', { job_id: jobId })).payload.code).toBe('JOB_NOT_FOUND');
    const cancel = await request(b, 'job.cancel', {}, { job_id: jobId });
    expect(cancel.type).toBe('session.error');
    expect(cancel.payload.code).toBe('JOB_NOT_FOUND'); // existence is not leaked to bob
    expect(runtime.jobs.get(jobId)!.state).toBe('running');
    expect(a.ofType('job.cancelled')).toHaveLength(0);
  });

  it('alice on a second session may observe (with credentials) but not cancel', async () => {
    start();
    const a = await alice(runtime);
    const a2 = await alice2(runtime);
    const acc = await submitAccepted(a, 'conformance.slow', slow);
    const sub = await request(a2, 'job.subscribe', { job_id: acc.payload.job_id });
    expect(sub.type).toBe('job.subscribed');
    expect(sub.payload.credentials).toEqual(acc.payload.credentials);
    const cancel = await request(a2, 'job.cancel', {}, { job_id: acc.payload.job_id });
    expect(cancel.payload.code).toBe('PERMISSION_DENIED');
    expect(runtime.jobs.get(acc.payload.job_id)!.state).toBe('running');
  });
});

describe('broadened by subscribePolicy (§7.6)', () => {
  it('bob observes alice\'s job without credentials (subscribed, listing, forwarded rotation) and still cannot cancel', async () => {
    start({ subscribePolicy: bobMayObserve });
    const a = await alice(runtime);
    const a2 = await alice2(runtime);
    const b = await bob(runtime);
    const acc = await submitAccepted(a, 'conformance.slow', slow);
    const jobId = acc.payload.job_id;
    const cred = acc.payload.credentials[0];

    const bobSub = await request(b, 'job.subscribe', { job_id: jobId });
    expect(bobSub.type).toBe('job.subscribed');
    expect(bobSub.payload).not.toHaveProperty('credentials');
    await request(a2, 'job.subscribe', { job_id: jobId });
    const listing = await request(b, 'session.list_jobs', {});
    expect(listing.payload.jobs.map((j: { job_id: string }) => j.job_id)).toEqual([jobId]);
    expect(JSON.stringify(listing.payload)).not.toContain(cred.value);

    await authorityServicesOf(runtime).rotateCredential(jobId, cred.id);
    const isRotation = (m: Msg): boolean => m.job_id === jobId && m.payload?.body?.phase === 'credential_rotated';
    const ownerSees = (await a.find(isRotation)).payload.body;
    const samePrincipalSees = (await a2.find(isRotation)).payload.body;
    const bobSees = (await b.find((m) => m.job_id === jobId && m.payload?.body?.phase === 'credential_rotated.redacted')).payload.body;
    expect(ownerSees.details).toEqual({ id: cred.id, value: expect.any(String) });
    expect(samePrincipalSees.details).toEqual(ownerSees.details);
    expect(bobSees).toEqual({ phase: 'credential_rotated.redacted', message: cred.id, details: { id: cred.id } });
    expect(b.ofType('job.event').some(isRotation)).toBe(false);
    expect(b.rawFrames.join('\n')).not.toContain(ownerSees.details.value);
    expect(b.rawFrames.join('\n')).not.toContain(cred.value);

    expect((await request(b, 'job.cancel', {}, { job_id: jobId })).type).toBe('session.error');
    expect(runtime.jobs.get(jobId)!.state).toBe('running');
  });
});

describe('over WebSocket', () => {
  it('listings, subscriptions and cancel stay per principal over separate WebSocket connections', async () => {
    start();
    const server = await runtime.listen({ port: 0 });
    const a = new TestPeer(await connectWebSocket(server.url!));
    const b = new TestPeer(await connectWebSocket(server.url!));
    try {
      await a.hello({ token: 't', features: ALL_FEATURES });
      await b.hello({ token: 'u', features: ALL_FEATURES });
      const mine = (await submitAccepted(a, 'conformance.slow', slow)).payload.job_id;
      const theirs = (await submitAccepted(b, 'conformance.echo', 1)).payload.job_id;
      const ids = async (p: TestPeer): Promise<string[]> => (await request(p, 'session.list_jobs', {})).payload.jobs.map((j: { job_id: string }) => j.job_id);
      expect(await ids(a)).toEqual([mine]);
      expect(await ids(b)).toEqual([theirs]);
      expect((await request(b, 'job.subscribe', { job_id: mine })).payload.code).toBe('JOB_NOT_FOUND');
      expect((await request(b, 'job.cancel', {}, { job_id: mine })).payload.code).toBe('JOB_NOT_FOUND');
      expect(runtime.jobs.get(mine)!.state).toBe('running');
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('a dashboard session of another principal follows a job live; the submitter alone holds credentials', async () => {
    start({ subscribePolicy: bobMayObserve, plainLoopbackCredentials: true }); // §14: plain ws carries credentials only under the dev opt-in
    const server = await runtime.listen({ port: 0 });
    const a = new TestPeer(await connectWebSocket(server.url!));
    const b = new TestPeer(await connectWebSocket(server.url!));
    try {
      expect((await a.hello({ token: 't', features: ALL_FEATURES })).type).toBe('session.welcome');
      expect((await b.hello({ token: 'u', features: ALL_FEATURES })).type).toBe('session.welcome');
      const acc = await submitAccepted(a, 'conformance.chatty', { n: 3 });
      expect(acc.payload.credentials).toHaveLength(1);
      const sub = await request(b, 'job.subscribe', { job_id: acc.payload.job_id, history: true });
      expect(sub.type).toBe('job.subscribed');
      expect(sub.payload).not.toHaveProperty('credentials');
      const end = await b.terminal(acc.payload.job_id);
      expect(end.payload.result).toEqual({ count: 3 });
      const logs = b.ofType('job.event').filter((m) => m.payload.kind === 'log').map((m) => m.payload.body.message);
      expect(logs).toEqual(['event 1', 'event 2', 'event 3']);
      expect(b.sequenced().every((m) => m.session_id === b.sessionId)).toBe(true);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
