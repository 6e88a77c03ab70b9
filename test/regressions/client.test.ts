// Client regressions (ecosystem.md §1.4: ts-sdk #127/#128/#147, go-sdk #42/#135; catalog §4.5
// "TS client hazards", §9 #4/#26): ARCPClient against a scripted peer (FakePeer) where the
// behaviour depends on exactly what a runtime sends, and against the real runtime otherwise.
import { describe, expect, it } from 'vitest';
import { ARCPClient, createMemoryTransportPair, ManualClock, type ARCPRuntime, type Transport } from '../../runtime-kit/index.js';
import { FakePeer, settle } from '../../runtime-kit/client/test/support/fake-peer.js';
import { drivenAgent, makeRuntime } from './support.js';

type ClientOpts = Partial<ConstructorParameters<typeof ARCPClient>[0]>;

async function open(opts: ClientOpts = {}, welcome: Record<string, unknown> = {}) {
  const peer = new FakePeer();
  const client = new ARCPClient({ client: { name: 'regressions', version: '1.0.0' }, token: 'tok', heartbeat: false, ...opts });
  const connecting = client.connect(peer.clientSide);
  await peer.welcome(welcome);
  await connecting;
  return { peer, client };
}

async function waitFor(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !cond(); i++) await settle(1);
  expect(cond()).toBe(true);
}

describe('client regressions', () => {
  it('ts-sdk #127: a client-side liveness timer declares HEARTBEAT_LOST after two silent intervals', async () => {
    const clock = new ManualClock();
    const { peer, client } = await open({ clock, heartbeat: true }, { heartbeat_interval_sec: 1 });
    const lost: Error[] = [];
    client.on('heartbeatLost', (e) => lost.push(e));
    const submitting = client.submit({ agent: 'echo' });
    await peer.accept('job_HB');
    const handle = await submitting;
    await clock.advanceAsync(1_000);
    expect(peer.sent('session.ping').length).toBeGreaterThanOrEqual(1); // idle: it pings
    expect(lost).toHaveLength(0);
    await clock.advanceAsync(1_500);
    expect(lost).toHaveLength(1);
    expect(lost[0]).toMatchObject({ code: 'HEARTBEAT_LOST', retryable: true });
    await expect(handle.done).rejects.toMatchObject({ code: 'HEARTBEAT_LOST' });
    await waitFor(() => peer.closed);
  });

  it('ts-sdk #128: job.accepted without request_id is correlated to its submit by trace_id, even out of order', async () => {
    const { peer, client } = await open();
    const first = client.submit({ agent: 'echo', input: 1 });
    const second = client.submit({ agent: 'echo', input: 2 });
    const [s1, s2] = [await peer.next('job.submit'), await peer.next('job.submit')];
    for (const [s, jobId] of [[s2, 'job_two'], [s1, 'job_one']] as const) {
      peer.send('job.accepted', { job_id: jobId, lease: {}, accepted_at: new Date().toISOString(), agent: 'echo@1' }, { job_id: jobId, trace_id: s.trace_id });
    }
    expect((await first).jobId).toBe('job_one');
    expect((await second).jobId).toBe('job_two');
  });

  it('catalog §4.5 #2: an uncorrelated rejection job.error (phantom job id) fails the submit with its trace_id, not the oldest one', async () => {
    const { peer, client } = await open();
    const older = client.submit({ agent: 'echo' });
    const newer = client.submit({ agent: 'missing' });
    const [s1, s2] = [await peer.next('job.submit'), await peer.next('job.submit')];
    peer.sendSeq('job.error', 'job_phantom', { final_status: 'error', code: 'AGENT_NOT_AVAILABLE', message: 'no such agent', retryable: false }, { trace_id: s2.trace_id });
    await expect(newer).rejects.toMatchObject({ code: 'AGENT_NOT_AVAILABLE' });
    peer.send('job.accepted', { job_id: 'job_ok', lease: {}, accepted_at: new Date().toISOString(), agent: 'echo@1' }, { job_id: 'job_ok', trace_id: s1.trace_id });
    expect((await older).jobId).toBe('job_ok');
  });

  it('catalog §4.5 #1 / §9 #4: a correlated session.error fails only its own request, not every pending one', async () => {
    const { peer, client } = await open();
    const listing = client.listJobs();
    const submitting = client.submit({ agent: 'echo' });
    const list = await peer.next('session.list_jobs');
    const submit = await peer.next('job.submit');
    peer.send('session.error', { code: 'INVALID_REQUEST', message: 'bad filter', retryable: false, request_id: list.id });
    await expect(listing).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
    peer.send('job.accepted', { job_id: 'job_S', lease: {}, accepted_at: new Date().toISOString(), agent: 'echo@1', request_id: submit.id }, { job_id: 'job_S' });
    expect((await submitting).jobId).toBe('job_S');
    expect(client.state).toBe('open');
  });

  it('catalog §4.5 #3: DUPLICATE_KEY naming a job this client is running rejects the new submit and leaves the original handle alone', async () => {
    const { peer, client } = await open();
    const original = client.submit({ agent: 'echo', idempotencyKey: 'k', input: 1 });
    await peer.accept('job_ORIG');
    const handle = await original;
    const conflicting = client.submit({ agent: 'echo', idempotencyKey: 'k', input: 2 });
    const s = await peer.next('job.submit');
    peer.sendSeq('job.error', 'job_ORIG', { final_status: 'error', code: 'DUPLICATE_KEY', message: 'key reused', retryable: false }, { trace_id: s.trace_id });
    await expect(conflicting).rejects.toMatchObject({ code: 'DUPLICATE_KEY' });
    peer.sendSeq('job.result', 'job_ORIG', { final_status: 'success', result: 'fine' });
    expect((await handle.done).result).toBe('fine');
  });

  it('go-sdk #42: a JobHandle buffers every event under load (5,000 before the consumer starts), in order', async () => {
    const { peer, client } = await open();
    const submitting = client.submit({ agent: 'echo' });
    await peer.accept('job_LOAD');
    const handle = await submitting;
    for (let i = 0; i < 5_000; i++) peer.event('job_LOAD', 'log', { level: 'info', message: String(i) });
    peer.sendSeq('job.result', 'job_LOAD', { final_status: 'success', result: null });
    await handle.done;
    let n = 0;
    for await (const ev of handle.events()) {
      expect(ev.kind === 'log' ? ev.body.message : ev.kind).toBe(String(n));
      n++;
    }
    expect(n).toBe(5_000);
  });

  it('ts-sdk #147: cancel() resolves on the job.cancelled ack, and also with peers that only send the terminal (Py)', async () => {
    const { peer, client } = await open();
    const a = client.submit({ agent: 'echo' });
    await peer.accept('job_C1');
    const h1 = await a;
    const c1 = h1.cancel();
    const cancel1 = await peer.next('job.cancel');
    expect(cancel1.job_id).toBe('job_C1');
    peer.send('job.cancelled', { job_id: 'job_C1', reason: 'x' }, { job_id: 'job_C1' });
    await c1;
    const b = client.submit({ agent: 'echo' });
    await peer.accept('job_C2');
    const h2 = await b;
    const c2 = h2.cancel();
    await peer.next('job.cancel');
    peer.sendSeq('job.error', 'job_C2', { final_status: 'cancelled', code: 'CANCELLED', message: 'cancelled', retryable: false });
    await c2;
    await expect(h2.done).rejects.toMatchObject({ code: 'CANCELLED' });
  });

  it('catalog §9 #3/#11/#17 (Go stamps job.cancelled with event_seq, Go names the result output, Py ends cancelled jobs with job.result): no false gap, result read, typed CANCELLED', async () => {
    const { peer, client } = await open();
    const gaps: unknown[] = [];
    client.on('gap', (g) => gaps.push(g));
    const a = client.submit({ agent: 'echo' });
    await peer.accept('job_GO');
    const goHandle = await a;
    const cancelling = goHandle.cancel();
    await peer.next('job.cancel');
    peer.sendSeq('job.cancelled', 'job_GO', { job_id: 'job_GO', reason: 'x' });
    await cancelling;
    peer.sendSeq('job.error', 'job_GO', { final_status: 'cancelled', code: 'CANCELLED', message: 'c', retryable: false });
    await expect(goHandle.done).rejects.toMatchObject({ code: 'CANCELLED' });
    const b = client.submit({ agent: 'echo' });
    await peer.accept('job_OUT');
    const outHandle = await b;
    peer.sendSeq('job.result', 'job_OUT', { final_status: 'success', output: { v: 1 } });
    expect((await outHandle.done).result).toEqual({ v: 1 });
    const c = client.submit({ agent: 'echo' });
    await peer.accept('job_PY');
    const pyHandle = await c;
    peer.sendSeq('job.result', 'job_PY', { final_status: 'cancelled', summary: 'stopped' });
    await expect(pyHandle.done).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(gaps).toEqual([]);
    expect(client.latestEventSeq).toBe(peer.seq);
  });

  it('ts-sdk client seedFromResume (catalog §6.3): after resume(lastEventSeq) the next seq continues without a false gap', async () => {
    const peer = new FakePeer();
    const client = new ARCPClient({ client: { name: 'r', version: '1' }, token: 'tok', heartbeat: false });
    const gaps: unknown[] = [];
    client.on('gap', (g) => gaps.push(g));
    const resuming = client.resume(peer.clientSide, { sessionId: peer.sessionId, resumeToken: `rt_${'cd'.repeat(32)}`, lastEventSeq: 5 });
    const hello = await peer.welcome();
    expect(hello.payload.resume).toEqual({ session_id: peer.sessionId, resume_token: `rt_${'cd'.repeat(32)}`, last_event_seq: 5 });
    await resuming;
    peer.seq = 5;
    peer.event('job_X', 'log', { level: 'info', message: 'six' });
    await waitFor(() => client.latestEventSeq === 6);
    expect(gaps).toEqual([]);
  });

  it('swift-sdk #57 / catalog §6.5: the client answers every ping with a pong echoing the nonce, even without the heartbeat feature', async () => {
    const { peer } = await open({ features: ['ack'] });
    peer.send('session.ping', { nonce: 'n-1', sent_at: new Date().toISOString() });
    const pong = await peer.next('session.pong');
    expect(pong.payload.ping_nonce).toBe('n-1');
  });

  it('catalog §4.5 #4 / §9 #26: a pre-welcome session.error without session_id fails connect() with the typed code (no handshake timeout)', async () => {
    const clock = new ManualClock();
    const peer = new FakePeer();
    const client = new ARCPClient({ client: { name: 'r', version: '1' }, token: 'bad', heartbeat: false, clock });
    const connecting = client.connect(peer.clientSide);
    await peer.next('session.hello');
    peer.sendRaw(JSON.stringify({ arcp: '1.1', id: 'msg_E1', type: 'session.error', payload: { code: 'UNAUTHENTICATED', message: 'no', retryable: false } }));
    await expect(connecting).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('go-sdk #135 end to end: resubmitting with the same idempotency key yields the same job; different input is DUPLICATE_KEY', async () => {
    const runtime = makeRuntime();
    runtime.registerAgent('echo', (input) => input);
    const [c, s] = createMemoryTransportPair();
    void runtime.accept(s);
    const client = new ARCPClient({ client: { name: 'r', version: '1' }, token: 't', heartbeat: false });
    await client.connect(c);
    const h1 = await client.submit({ agent: 'echo', input: { n: 1 }, idempotencyKey: 'same' });
    await h1.done;
    const h2 = await client.submit({ agent: 'echo', input: { n: 1 }, idempotencyKey: 'same' });
    expect(h2.jobId).toBe(h1.jobId);
    await expect(client.submit({ agent: 'echo', input: { n: 2 }, idempotencyKey: 'same' })).rejects.toMatchObject({ code: 'DUPLICATE_KEY' });
    await client.close();
  });

  it('go-sdk #145/#146 end to end: after a transport drop the client resumes automatically and the handle sees every event exactly once, in order', async () => {
    const runtime = makeRuntime();
    const agent = drivenAgent(runtime);
    const links = linkFactory(runtime);
    const client = new ARCPClient({ client: { name: 'r', version: '1' }, token: 't', heartbeat: false, autoResume: { reconnect: async () => links.next(), backoffMs: 1 } });
    const resumed: unknown[] = [];
    client.on('resumed', (w) => resumed.push(w));
    await client.connect(links.next());
    const handle = await client.submit({ agent: 'driven' });
    const d = await agent.ctxOf(handle.jobId);
    for (let i = 0; i < 100; i++) d.ctx.log('info', String(i));
    await links.dropCurrent();
    // A large backlog while away / resuming (the Go runtime's replay used to deadlock, #146).
    for (let i = 100; i < 2_100; i++) d.ctx.log('info', String(i));
    await waitFor(() => resumed.length === 1 && client.state === 'open');
    for (let i = 2_100; i < 2_200; i++) d.ctx.log('info', String(i));
    d.finish('done');
    expect((await handle.done).result).toBe('done');
    const logs: string[] = [];
    for await (const ev of handle.events()) if (ev.kind === 'log') logs.push(ev.body.message);
    expect(logs).toEqual(Array.from({ length: 2_200 }, (_, i) => String(i)));
    await client.close();
  });

  it('go-sdk #135 + catalog §10 #3: an idempotent submit whose reply was lost in a drop is re-sent (fresh envelope id) after the resume and resolves to the one job', async () => {
    const runtime = makeRuntime();
    let runs = 0;
    runtime.registerAgent('count', () => new Promise(() => void runs++));
    const links = linkFactory(runtime);
    const client = new ARCPClient({ client: { name: 'r', version: '1' }, token: 't', heartbeat: false, autoResume: { reconnect: async () => links.next(), backoffMs: 1 } });
    const resumed: unknown[] = [];
    client.on('resumed', (w) => resumed.push(w));
    await client.connect(links.next());
    const submitting = client.submit({ agent: 'count', idempotencyKey: 'lost-reply' });
    await links.dropCurrent(); // the runtime accepts it, but job.accepted cannot reach us
    const handle = await submitting;
    expect(resumed).toHaveLength(1);
    expect([...runtime.jobs.values()].map((j) => j.jobId)).toEqual([handle.jobId]);
    expect(runs).toBe(1);
    await client.close();
  });
});

/** Memory links to `runtime`; dropCurrent() closes the runtime's end (a transport drop). */
function linkFactory(runtime: ARCPRuntime): { next(): Transport; dropCurrent(): Promise<void> } {
  let server: Transport | undefined;
  return {
    next() {
      const [c, s] = createMemoryTransportPair();
      server = s;
      void runtime.accept(s);
      return c;
    },
    dropCurrent: () => server!.close('network drop'),
  };
}
