// Sequencing regressions (§8.3; catalog §7): session-scoped event_seq, strictly monotonic and
// gap-free in wire order, in every stream (own jobs, rejections, subscriptions, replays), plus
// the client-side bugs other SDKs fixed around gaps and high-water marks.
import { describe, expect, it } from 'vitest';
import { ARCPClient } from '../../runtime-kit/index.js';
import { FakePeer, settle } from '../../runtime-kit/client/test/support/fake-peer.js';
import { connect, drivenAgent, makeRuntime, range, seqs, submitAccepted } from './support.js';

const SEQUENCED = ['job.event', 'job.result', 'job.error'];

async function openClient(opts: Partial<ConstructorParameters<typeof ARCPClient>[0]> = {}) {
  const peer = new FakePeer();
  const client = new ARCPClient({ client: { name: 'regressions', version: '1.0.0' }, token: 'tok', heartbeat: false, ...opts });
  const connecting = client.connect(peer.clientSide);
  await peer.welcome();
  await connecting;
  return { peer, client };
}

async function waitFor(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !cond(); i++) await settle(1);
  expect(cond()).toBe(true);
}

describe('sequencing regressions (runtime)', () => {
  it('rust-sdk issue_55: every countable envelope (job.event/result/error) carries event_seq; control messages do not', async () => {
    const runtime = makeRuntime();
    runtime.registerAgent('echo', (input, ctx) => {
      ctx.log('info', 'hi');
      return input;
    });
    runtime.registerAgent('boom', () => {
      throw new Error('boom');
    });
    const a = await connect(runtime);
    const ok = await submitAccepted(a, 'echo', { x: 1 });
    const bad = await submitAccepted(a, 'boom');
    await a.terminal(ok.job_id!);
    await a.terminal(bad.job_id!);
    a.send('session.ping', { nonce: 'n1', sent_at: new Date().toISOString() });
    await a.find((m) => m.type === 'session.pong');
    for (const m of a.received) {
      if (SEQUENCED.includes(m.type)) expect(Number.isInteger(m.event_seq), m.type).toBe(true);
      else expect(m.event_seq, m.type).toBeUndefined();
    }
    expect(a.ofType('job.event').length).toBeGreaterThanOrEqual(3);
  });

  it('python-sdk test_event_seq_atomicity: interleaved jobs and rejection job.errors share one gap-free, wire-ordered counter', async () => {
    const runtime = makeRuntime();
    const agent = drivenAgent(runtime);
    const a = await connect(runtime);
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push((await submitAccepted(a, 'driven')).job_id!);
    const ctxs = await Promise.all(ids.map((id) => agent.ctxOf(id)));
    for (let round = 0; round < 30; round++) {
      for (const d of ctxs) d.ctx.log('info', `r${round}`);
      if (round % 10 === 0) a.submit('no.such.agent'); // rejection job.error consumes a seq too
    }
    for (const d of ctxs) d.finish('ok');
    for (const id of ids) await a.terminal(id);
    await a.settle();
    const got = seqs(a);
    expect(got).toEqual(range(1, got.length));
    expect(a.ofType('job.error').filter((m) => m.payload.code === 'AGENT_NOT_AVAILABLE')).toHaveLength(3);
  });

  it('§6.5 / catalog §6.6: pings, pongs and acks are not sequenced and do not consume event_seq', async () => {
    const runtime = makeRuntime();
    const agent = drivenAgent(runtime);
    const a = await connect(runtime);
    const jobId = (await submitAccepted(a, 'driven')).job_id!;
    const d = await agent.ctxOf(jobId);
    d.ctx.log('info', 'one');
    await a.find((m) => m.payload?.body?.message === 'one');
    a.send('session.ping', { nonce: 'p', sent_at: new Date().toISOString() });
    a.send('session.ack', { last_processed_seq: 2 });
    await a.find((m) => m.type === 'session.pong');
    d.ctx.log('info', 'two');
    await a.find((m) => m.payload?.body?.message === 'two');
    expect(seqs(a)).toEqual([1, 2, 3]);
  });

  it('python-sdk test_subscribe_fanout_seq / rust-sdk "replay buffered events on job.subscribe history": history and live events are re-stamped into the subscriber\'s own gap-free seq space', async () => {
    const runtime = makeRuntime();
    const agent = drivenAgent(runtime);
    runtime.registerAgent('echo', (input) => input);
    const owner = await connect(runtime, 't');
    const jobId = (await submitAccepted(owner, 'driven')).job_id!;
    const d = await agent.ctxOf(jobId);
    d.ctx.log('info', 'h1');
    d.ctx.log('info', 'h2');
    const observer = await connect(runtime, 't2');
    // Give the observer a seq history of its own first, so its space differs from the owner's.
    await observer.terminal((await submitAccepted(observer, 'echo', {})).job_id!);
    const before = Math.max(...seqs(observer));
    observer.send('job.subscribe', { job_id: jobId, history: true });
    const subscribed = await observer.find((m) => m.type === 'job.subscribed' || m.type === 'session.error');
    expect(subscribed.type).toBe('job.subscribed');
    d.ctx.log('info', 'live');
    d.finish('done');
    await observer.terminal(jobId);
    const forwarded = observer.received.filter((m) => m.job_id === jobId && m.event_seq !== undefined);
    expect(forwarded.map((m) => m.payload.body?.message ?? m.type)).toEqual(['job.event', 'h1', 'h2', 'live', 'job.result']);
    expect(forwarded.map((m) => m.event_seq)).toEqual(range(before + 1, before + 5));
    expect(seqs(observer)).toEqual(range(1, seqs(observer).length));
    for (const m of forwarded) expect(m.session_id).toBe(observer.sessionId);
    const ownerIds = new Set(owner.received.map((m) => m.id));
    for (const m of forwarded) expect(ownerIds.has(m.id)).toBe(false);
  });

  it('python-sdk test_subscribe_fanout_seq: from_event_seq is read in the owner\'s seq space', async () => {
    const runtime = makeRuntime();
    const agent = drivenAgent(runtime);
    const owner = await connect(runtime, 't');
    const jobId = (await submitAccepted(owner, 'driven')).job_id!;
    const d = await agent.ctxOf(jobId);
    for (let i = 0; i < 4; i++) d.ctx.log('info', `h${i}`);
    await owner.find((m) => m.payload?.body?.message === 'h3');
    const observer = await connect(runtime, 't2');
    observer.send('job.subscribe', { job_id: jobId, history: true, from_event_seq: 3 });
    await observer.find((m) => m.type === 'job.subscribed');
    await observer.find((m) => m.payload?.body?.message === 'h3');
    await observer.settle();
    expect(observer.ofType('job.event').map((m) => m.payload.body.message)).toEqual(['h2', 'h3']);
    expect(seqs(observer)).toEqual([1, 2]);
  });

  it('rust-sdk "stop job.subscribe forwarder echo storm": each event reaches each session exactly once (repeat subscribe, owner self-subscribe, cross-subscriptions)', async () => {
    const runtime = makeRuntime();
    const agent = drivenAgent(runtime);
    const a = await connect(runtime, 't');
    const b = await connect(runtime, 't2');
    const ja = (await submitAccepted(a, 'driven')).job_id!;
    const jb = (await submitAccepted(b, 'driven')).job_id!;
    const [da, db] = await Promise.all([agent.ctxOf(ja), agent.ctxOf(jb)]);
    for (const [peer, job] of [[a, jb], [b, ja], [a, jb], [a, ja], [b, jb]] as const) {
      peer.send('job.subscribe', { job_id: job });
      await peer.next((m) => m.type === 'job.subscribed' || m.type === 'session.error');
    }
    da.ctx.log('info', 'from-a');
    db.ctx.log('info', 'from-b');
    da.finish('a');
    db.finish('b');
    for (const p of [a, b]) {
      await p.terminal(ja);
      await p.terminal(jb);
    }
    await a.settle();
    for (const p of [a, b]) {
      const logs = p.ofType('job.event').filter((m) => m.payload.kind === 'log').map((m) => m.payload.body.message).sort();
      expect(logs).toEqual(['from-a', 'from-b']);
      expect(p.received.filter((m) => m.type === 'job.result')).toHaveLength(2);
      expect(seqs(p)).toEqual(range(1, seqs(p).length));
    }
  });
});

describe('sequencing regressions (client)', () => {
  it('ts-sdk #98 / go-sdk #141 (DetectSeqGaps): a forward seq jump breaks the session and resumes from the last contiguous seq', async () => {
    const peers: FakePeer[] = [];
    const reconnect = async () => {
      const p = new FakePeer();
      peers.push(p);
      return p.clientSide;
    };
    const { peer, client } = await openClient({ autoResume: { reconnect, backoffMs: 1 } });
    const gaps: unknown[] = [];
    client.on('gap', (g) => gaps.push(g));
    const submitting = client.submit({ agent: 'echo' });
    await peer.accept('job_G');
    const handle = await submitting;
    peer.event('job_G', 'log', { level: 'info', message: 'e1' });
    peer.event('job_G', 'log', { level: 'info', message: 'e2' });
    peer.event('job_G', 'log', { level: 'info', message: 'e5' }, { event_seq: 5 });
    await waitFor(() => peers.length === 1);
    const hello = await peers[0]!.next('session.hello');
    expect(hello.payload.resume.last_event_seq).toBe(2);
    expect(gaps).toEqual([{ expected: 3, got: 5 }]);
    // The jumped-over event was not delivered to the application.
    peers[0]!.send('session.welcome', { runtime: { name: 'fake', version: '1' }, resume_token: 'rt_x', resume_window_sec: 60, capabilities: { features: [] } });
    peers[0]!.seq = 2;
    for (const m of ['e3', 'e4', 'e5']) peers[0]!.event('job_G', 'log', { level: 'info', message: m });
    peers[0]!.sendSeq('job.result', 'job_G', { final_status: 'success', result: 'ok' });
    const got: string[] = [];
    for await (const ev of handle.events()) got.push(`${ev.seq}:${ev.kind === 'log' ? ev.body.message : ev.kind}`);
    expect(got).toEqual(['1:e1', '2:e2', '3:e3', '4:e4', '5:e5']);
  });

  it('ts-sdk #98: without a reconnect factory a gap surfaces as a typed session-broken error, not a silent hole', async () => {
    const { peer, client } = await openClient();
    const submitting = client.submit({ agent: 'echo' });
    await peer.accept('job_H');
    const handle = await submitting;
    peer.event('job_H', 'log', { level: 'info', message: 'e1' });
    peer.event('job_H', 'log', { level: 'info', message: 'e3' }, { event_seq: 3 });
    await expect(handle.done).rejects.toMatchObject({ code: 'ARCP_KIT_SEQ_GAP' });
    expect(client.state).toBe('broken');
    expect(client.latestEventSeq).toBe(1);
  });

  it('go-sdk #103: the high-water event_seq does not regress on replayed envelopes, and duplicates are not delivered twice', async () => {
    const { peer, client } = await openClient();
    const submitting = client.submit({ agent: 'echo' });
    await peer.accept('job_W');
    const handle = await submitting;
    for (const m of ['e1', 'e2', 'e3']) peer.event('job_W', 'log', { level: 'info', message: m });
    await waitFor(() => client.latestEventSeq === 3);
    // A replay overlapping what we already have (as after a resume from an older seq).
    peer.event('job_W', 'log', { level: 'info', message: 'e2' }, { event_seq: 2 });
    peer.event('job_W', 'log', { level: 'info', message: 'e3' }, { event_seq: 3 });
    await settle(5);
    expect(client.latestEventSeq).toBe(3);
    peer.seq = 3;
    peer.sendSeq('job.result', 'job_W', { final_status: 'success', result: 'ok' });
    const got: string[] = [];
    for await (const ev of handle.events()) got.push(ev.kind === 'log' ? ev.body.message : ev.kind);
    expect(got).toEqual(['e1', 'e2', 'e3']);
    expect(client.latestEventSeq).toBe(4);
  });

  it('catalog §7 (ts client hazard): an event that fails validation still counts, so it does not masquerade as a gap', async () => {
    const { peer, client } = await openClient();
    const gaps: unknown[] = [];
    client.on('gap', (g) => gaps.push(g));
    const submitting = client.submit({ agent: 'echo' });
    await peer.accept('job_V');
    const handle = await submitting;
    peer.event('job_V', 'log', { level: 'info', message: 'e1' });
    peer.sendSeq('job.event', 'job_V', { kind: 'log', ts: 'not-a-time', body: 'not an object' });
    peer.event('job_V', 'log', { level: 'info', message: 'e3' });
    peer.sendSeq('job.result', 'job_V', { final_status: 'success', result: 'ok' });
    expect((await handle.done).result).toBe('ok');
    expect(gaps).toEqual([]);
    expect(client.latestEventSeq).toBe(4);
  });
});
