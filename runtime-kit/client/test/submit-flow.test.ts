// Invariant: connect -> submit -> ordered events -> typed result works against a scripted peer,
// and everything the client sends is the strict form (hello, submit, cancel, close).
import { describe, expect, it } from 'vitest';
import { validateMessage } from '../../../generated/validators.js';
import { ARCPClient } from '../client.js';
import { FakePeer, settle } from './support/fake-peer.js';

const JOB = 'job_01JAAAAAAAAAAAAAAAAAAAAAAA';

async function open(opts: Partial<ConstructorParameters<typeof ARCPClient>[0]> = {}) {
  const peer = new FakePeer();
  const client = new ARCPClient({ client: { name: 'test', version: '1.0.0' }, token: 'tok', ...opts });
  const welcomed = client.connect(peer.clientSide);
  const hello = await peer.welcome();
  const info = await welcomed;
  return { peer, client, hello, info };
}

describe('connect', () => {
  it('sends a strict hello with bearer auth and every feature, and reads the welcome', async () => {
    const { hello, info, client } = await open();
    expect(validateMessage('strict', hello).ok).toBe(true);
    expect(hello.payload.auth).toEqual({ scheme: 'bearer', token: 'tok' });
    expect(hello.payload.capabilities.features).toContain('result_chunk');
    expect(info.sessionId).toBe('sess_FAKE0000000000000000000001');
    expect(info.resumeToken).toMatch(/^rt_/);
    expect(info.resumeWindowSec).toBe(60);
    expect(info.heartbeatIntervalSec).toBe(30);
    expect(info.agents).toEqual([{ name: 'echo', versions: ['1.0.0'], default: '1.0.0' }]);
    expect(client.features.length).toBe(11);
    await client.close();
  });

  it('effective features are the intersection of hello and welcome', async () => {
    const peer = new FakePeer();
    const client = new ARCPClient({ client: { name: 't', version: '1' }, token: 't', features: ['ack', 'progress', 'subscribe'] });
    const p = client.connect(peer.clientSide);
    await peer.welcome({ capabilities: { features: ['progress', 'heartbeat', 'subscribe'] } });
    const info = await p;
    expect(info.features).toEqual(['progress', 'subscribe']);
    await expect(client.listJobs()).rejects.toMatchObject({ code: 'ARCP_KIT_FEATURE_NOT_NEGOTIATED' });
    await client.close();
  });

  it('reads session_id from the welcome payload when the envelope lacks it (Py)', async () => {
    const peer = new FakePeer();
    const client = new ARCPClient({ client: { name: 't', version: '1' }, token: 't' });
    const p = client.connect(peer.clientSide);
    await peer.next('session.hello');
    peer.sendRaw(JSON.stringify({ arcp: '1.1', id: 'msg_X', type: 'session.welcome', session_id: 'sess_PY', payload: { session_id: 'sess_PY', runtime: { name: 'py', version: '1' }, resume_token: 'rt_x', resume_window_sec: 10, capabilities: { agents: ['echo'] } } }));
    const info = await p;
    expect(info.sessionId).toBe('sess_PY');
    expect(info.features).toEqual([]); // welcome without features grants none
    expect(info.agents).toEqual([{ name: 'echo', versions: [] }]);
    await client.close();
  });

  it('a pre-welcome session.error without session_id rejects connect with the typed error', async () => {
    const peer = new FakePeer();
    const client = new ARCPClient({ client: { name: 't', version: '1' }, token: 'bad' });
    const p = client.connect(peer.clientSide);
    await peer.next('session.hello');
    peer.sendRaw(JSON.stringify({ arcp: '1.1', id: 'msg_E', type: 'session.error', payload: { code: 'UNAUTHENTICATED', message: 'bad token', retryable: false } }));
    await expect(p).rejects.toMatchObject({ name: 'UnauthenticatedError', code: 'UNAUTHENTICATED', retryable: false });
  });
});

describe('submit', () => {
  it('resolves a handle on job.accepted, streams events in order, then the inline result', async () => {
    const { peer, client } = await open();
    const submitted = client.submit({ agent: 'echo', input: { x: 1 }, leaseRequest: { 'tool.call': ['search.*'] }, leaseConstraints: { expiresAt: '2099-01-01T00:00:00Z' }, idempotencyKey: 'k1', maxRuntimeSec: 30 });
    const submit = await peer.accept(JOB, { budget: { USD: 5 }, lease_constraints: { expires_at: '2099-01-01T00:00:00Z' } });
    expect(validateMessage('strict', submit).ok).toBe(true);
    expect(submit.payload).toMatchObject({ agent: 'echo', input: { x: 1 }, lease_request: { 'tool.call': ['search.*'] }, lease_constraints: { expires_at: '2099-01-01T00:00:00Z' }, idempotency_key: 'k1', max_runtime_sec: 30 });
    expect(submit.trace_id).toMatch(/^[0-9a-f]{32}$/);
    const handle = await submitted;
    expect(handle.jobId).toBe(JOB);
    expect(handle.agentRef).toBe('echo@1.0.0');
    expect(handle.lease).toEqual({ 'tool.call': ['search.*'] });
    expect(handle.budget).toEqual({ USD: 5 });
    expect(handle.leaseConstraints).toEqual({ expires_at: '2099-01-01T00:00:00Z' });
    // events emitted before the caller starts iterating are buffered, not lost
    peer.event(JOB, 'log', { level: 'info', message: 'one' });
    peer.event(JOB, 'thought', { text: 'two' });
    peer.sendSeq('job.result', JOB, { final_status: 'success', result: { ok: true }, summary: 'done' });
    await settle();
    const kinds: string[] = [];
    for await (const ev of handle.events()) kinds.push(`${ev.seq}:${ev.kind}`);
    expect(kinds).toEqual(['1:log', '2:thought']);
    await expect(handle.done).resolves.toEqual({ finalStatus: 'success', result: { ok: true }, summary: 'done' });
    expect(client.latestEventSeq).toBe(3);
    await client.close();
  });

  it('accepts Go\'s `output` as the inline result and ignores unknown event kinds', async () => {
    const { peer, client } = await open();
    const submitted = client.submit({ agent: 'echo' });
    await peer.accept(JOB);
    const handle = await submitted;
    peer.event(JOB, 'x-vendor.acme.custom', { anything: 1 });
    peer.event(JOB, 'metric', { name: 'tokens', value: 3, dims: { model: 'm' } });
    peer.sendSeq('job.result', JOB, { final_status: 'success', output: 'go-style' });
    const events = [];
    for await (const ev of handle.events()) events.push(ev);
    expect(events.map((e) => e.kind)).toEqual(['x-vendor.acme.custom', 'metric']);
    const metric = events[1]!;
    expect(metric.kind === 'metric' ? metric.body.dimensions : metric.kind).toEqual({ model: 'm' });
    expect((await handle.done).result).toBe('go-style');
    await client.close();
  });

  it('rejects done with the typed error subclass on job.error; LEASE_EXPIRED is never retryable', async () => {
    const { peer, client } = await open();
    const submitted = client.submit({ agent: 'echo' });
    await peer.accept(JOB);
    const handle = await submitted;
    // retryable:true breaks §12's MUST; the terminal is still delivered, with the pinned value
    peer.sendSeq('job.error', JOB, { final_status: 'error', code: 'LEASE_EXPIRED', message: 'expired', retryable: true });
    const err = await handle.done.catch((e) => e);
    expect(err.name).toBe('LeaseExpiredError');
    expect(err.code).toBe('LEASE_EXPIRED');
    expect(err.retryable).toBe(false);
    expect(handle.finalStatus).toBe('error');
    const seen = [];
    for await (const ev of handle.events()) seen.push(ev);
    expect(seen).toEqual([]);
    await client.close();
  });

  it('accepts budgets as numbers, decimal strings or currency:decimal strings (no protocol error)', async () => {
    const { peer, client } = await open();
    const complaints: Error[] = [];
    client.on('protocolError', (e) => complaints.push(e));
    const submitted = client.submit({ agent: 'echo' });
    await peer.accept(JOB, { budget: { USD: '5.00', EUR: 'EUR:2.5', credits: 100 } });
    expect((await submitted).budget).toEqual({ USD: 5, EUR: 2.5, credits: 100 });
    expect(complaints).toEqual([]);
    await client.close();
  });

  it('an undocumented shape in a reply is reported but does not strand the request', async () => {
    const { peer, client } = await open();
    const complaints: Error[] = [];
    client.on('protocolError', (e) => complaints.push(e));
    const submitted = client.submit({ agent: 'echo' });
    await peer.accept(JOB, { budget: { USD: 5, junk: 'not a number' } });
    expect((await submitted).budget).toEqual({ USD: 5 });
    expect(complaints.length).toBeGreaterThan(0);
    await client.close();
  });

  it('skips credentials with an unknown scheme instead of rejecting job.accepted', async () => {
    const { peer, client } = await open();
    const submitted = client.submit({ agent: 'echo' });
    await peer.accept(JOB, { credentials: [
      { id: 'c1', scheme: 'bearer', value: 'v', endpoint: 'https://gw', constraints: { 'model.use': ['m'] } },
      { id: 'c2', scheme: 'signed_url', value: 'v', endpoint: 'https://gw' },
    ] });
    const h = await submitted;
    expect(h.credentials?.map((c) => c.id)).toEqual(['c1']);
    await client.close();
  });

  it('refuses to send a submit that breaks the strict schema', async () => {
    const { client, peer } = await open();
    await expect(client.submit({ agent: 'echo', traceId: 'not-hex' })).rejects.toMatchObject({ code: 'ARCP_KIT_ENCODE_INVALID' });
    expect(peer.sent('job.submit')).toHaveLength(0);
    await client.close();
  });
});
