// job.subscribe / job.subscribed / job.unsubscribe (§7.6; catalog §6.8, §9 #6-#9, §10 #29):
// subscribed first, history replay from the owner's seq space, live events re-stamped into the
// subscriber's seq space, end at terminal / unsubscribe / subscriber close, errors, audit log.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { JsonLinesAuditSink, MemoryAuditSink } from '../audit/audit-log.js';
import { authorityServicesOf } from '../enforcement/authority-services.js';
import type { ARCPRuntime } from '../runtime.js';
import { alice, alice2, authorityRuntime, bob, submitAccepted, tempLedgerPath } from './support/authority-fixture.js';
import { gate } from './support/runtime-fixture.js';
import type { Msg, TestPeer } from './support/test-peer.js';

let runtime: ARCPRuntime;
afterEach(async () => runtime?.close());

async function subscribeTo(peer: TestPeer, jobId: string, extra: Record<string, unknown> = {}): Promise<Msg> {
  const id = peer.send('job.subscribe', { job_id: jobId, ...extra });
  return peer.find((m) => (m.type === 'job.subscribed' || m.type === 'session.error') && m.payload?.request_id === id);
}

/** A gated agent: logs "before", waits for the gate, logs "after", returns {done: true}. */
function gatedRuntime(opts: Parameters<typeof authorityRuntime>[0] = {}): { runtime: ARCPRuntime; release: () => void } {
  const g = gate();
  const rt = authorityRuntime(opts);
  rt.registerAgent('gated', async (_input, ctx) => {
    ctx.log('info', 'before');
    ctx.metric('cost.llm', 0.25, { unit: 'USD' });
    await g.promise;
    ctx.log('info', 'after');
    return { done: true };
  });
  return { runtime: rt, release: g.open };
}

describe('job.subscribe (§7.6)', () => {
  it('sends job.subscribed first with the authority descriptor, then replays history, then live events in the subscriber seq space', async () => {
    const g = gatedRuntime();
    runtime = g.runtime;
    const owner = await alice(runtime);
    const watcher = await alice2(runtime);
    const expires_at = new Date(Date.now() + 3_600_000).toISOString();
    const acc = await submitAccepted(owner, 'gated', {}, { lease_request: { 'cost.budget': ['USD:1.00'] }, lease_constraints: { expires_at } });
    const jobId = acc.payload.job_id;
    await owner.find((m) => m.payload?.body?.message === 'before');
    // Unrelated sequenced traffic in the watcher's own session first, so its seq space differs.
    await watcher.terminal((await submitAccepted(watcher, 'conformance.echo', {})).payload.job_id);
    const watcherSeqBefore = Math.max(...watcher.sequenced().map((m) => m.event_seq!));

    const sub = await subscribeTo(watcher, jobId, { history: true });
    expect(sub.type).toBe('job.subscribed');
    expect(sub.event_seq).toBeUndefined();
    expect(sub.session_id).toBe(watcher.sessionId);
    expect(sub.job_id).toBe(jobId);
    expect(sub.payload).toMatchObject({
      job_id: jobId,
      current_status: 'running',
      agent: 'gated',
      lease: { 'cost.budget': ['USD:1.00'] },
      lease_constraints: { expires_at },
      budget: { USD: 0.75 }, // current counters, not the initial ones
      parent_job_id: null,
      trace_id: acc.trace_id,
      subscribed_from: watcherSeqBefore,
      replayed: true,
    });
    const subIndex = watcher.received.indexOf(sub);
    const replayed = watcher.received.slice(subIndex + 1).filter((m) => m.job_id === jobId);
    // The owner's events so far (status running, log before, metric, remaining gauge), re-stamped.
    const ownerEvents = owner.sequenced().filter((m) => m.job_id === jobId);
    expect(replayed.map((m) => m.payload)).toEqual(ownerEvents.map((m) => m.payload));
    expect(replayed.map((m) => m.event_seq)).toEqual(replayed.map((_, i) => watcherSeqBefore + 1 + i));
    expect(replayed.every((m) => m.session_id === watcher.sessionId && m.trace_id === acc.trace_id)).toBe(true);
    expect(replayed.map((m) => m.id)).not.toEqual(ownerEvents.map((m) => m.id));

    g.release();
    const ownerEnd = await owner.terminal(jobId);
    const watcherEnd = await watcher.terminal(jobId);
    expect(watcherEnd.payload).toEqual(ownerEnd.payload);
    expect(watcherEnd.event_seq).toBe(Math.max(...watcher.sequenced().map((m) => m.event_seq!)));
    const seqs = watcher.sequenced().map((m) => m.event_seq);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1)); // gap-free in the watcher's own space
    // job.accepted is never forwarded to a subscriber.
    expect(watcher.ofType('job.accepted').some((m) => m.job_id === jobId)).toBe(false);
  });

  it('replays only events after from_event_seq (owner seq space); without history nothing is replayed', async () => {
    const g = gatedRuntime();
    runtime = g.runtime;
    const owner = await alice(runtime);
    const jobId = (await submitAccepted(owner, 'gated', {})).payload.job_id;
    const before = await owner.find((m) => m.payload?.body?.message === 'before');
    const w1 = await alice2(runtime);
    const partial = await subscribeTo(w1, jobId, { history: true, from_event_seq: before.event_seq });
    const replayed = w1.sequenced().filter((m) => m.job_id === jobId);
    const expected = owner.sequenced().filter((m) => m.job_id === jobId && m.event_seq! > before.event_seq!);
    expect(replayed.map((m) => m.payload)).toEqual(expected.map((m) => m.payload));
    expect(partial.payload.replayed).toBe(expected.length > 0);
    const w2 = await alice2(runtime);
    const live = await subscribeTo(w2, jobId, { from_event_seq: 0 });
    expect(live.payload.replayed).toBe(false);
    expect(w2.sequenced()).toHaveLength(0);
    g.release();
    const end = await w2.terminal(jobId);
    expect(w2.sequenced().filter((m) => m.job_id === jobId).map((m) => m.payload.body?.message ?? m.type)).toEqual(['after', 'job.result']);
    expect(end.event_seq).toBe(2);
  });

  it('job.unsubscribe stops live delivery without a reply; a second subscribe re-attaches', async () => {
    const g = gatedRuntime();
    runtime = g.runtime;
    const owner = await alice(runtime);
    const jobId = (await submitAccepted(owner, 'gated', {})).payload.job_id;
    const watcher = await alice2(runtime);
    await subscribeTo(watcher, jobId);
    const countBefore = watcher.received.length;
    watcher.send('job.unsubscribe', { job_id: jobId });
    await watcher.settle();
    expect(watcher.received.length).toBe(countBefore); // no reply
    expect(authorityServicesOf(runtime).subscriptions.size).toBe(0);
    g.release();
    await owner.terminal(jobId);
    await watcher.settle();
    expect(watcher.sequenced().filter((m) => m.job_id === jobId)).toHaveLength(0);
  });

  it('ends subscriptions at the job terminal and when the subscriber session closes', async () => {
    const g = gatedRuntime();
    runtime = g.runtime;
    const owner = await alice(runtime);
    const jobId = (await submitAccepted(owner, 'gated', {})).payload.job_id;
    const closer = await alice2(runtime);
    await subscribeTo(closer, jobId);
    const stayer = await alice2(runtime);
    await subscribeTo(stayer, jobId);
    const services = authorityServicesOf(runtime);
    expect(services.subscriptions.size).toBe(2);
    closer.send('session.close', { reason: 'done' });
    await closer.find((m) => m.type === 'session.closed');
    expect(services.subscriptions.size).toBe(1);
    g.release();
    await stayer.terminal(jobId);
    expect(services.subscriptions.size).toBe(0);
    expect(closer.sequenced().filter((m) => m.job_id === jobId)).toHaveLength(0);
  });

  it('answers another principal\'s job exactly as an unknown job (JOB_NOT_FOUND, §6.6: no existence oracle), as session.error with request_id', async () => {
    runtime = authorityRuntime();
    const a = await alice(runtime);
    const b = await bob(runtime);
    const unknown = await subscribeTo(b, 'job_nope');
    expect(unknown.type).toBe('session.error');
    expect(unknown.payload).toMatchObject({ code: 'JOB_NOT_FOUND', job_id: 'job_nope' });
    const jobId = (await submitAccepted(a, 'conformance.slow', { steps: 1, interval_ms: 60_000 })).payload.job_id;
    const denied = await subscribeTo(b, jobId);
    expect(denied.type).toBe('session.error');
    expect(denied.payload).toMatchObject({ code: 'JOB_NOT_FOUND', job_id: jobId });
    // Byte for byte the same reply, once the ids are swapped: nothing tells "exists" from "unknown".
    const strip = (m: { payload: Record<string, unknown> }, id: string): string =>
      JSON.stringify({ ...m.payload, request_id: 'R' }).split(id).join('JOB');
    expect(strip(denied, jobId)).toBe(strip(unknown, 'job_nope'));
  });

  it('lets a subscribePolicy broaden observation, and writes every decision to the audit log', async () => {
    const audit = new MemoryAuditSink();
    runtime = authorityRuntime({ auditLog: audit, subscribePolicy: (req) => req.principal === 'bob' && req.action === 'subscribe' });
    const a = await alice(runtime);
    const b = await bob(runtime);
    const jobId = (await submitAccepted(a, 'conformance.slow', { steps: 1, interval_ms: 60_000 })).payload.job_id;
    expect((await subscribeTo(b, jobId)).type).toBe('job.subscribed');
    expect((await subscribeTo(a, jobId)).type).toBe('job.subscribed');
    await subscribeTo(b, 'job_missing');
    expect(audit.records.map((r) => [r.subscriber_principal, r.target_principal, r.decision])).toEqual([
      ['bob', 'alice', 'allowed'],
      ['alice', 'alice', 'allowed'],
      ['bob', undefined, 'not_found'],
    ]);
    expect(audit.records[0]).toMatchObject({ event: 'job.subscribe', job_id: jobId, subscriber_session_id: b.sessionId, reason: 'allowed by subscribePolicy' });
  });

  it('can write the audit log as JSON lines', async () => {
    const path = `${tempLedgerPath()}.audit.jsonl`;
    const sink = new JsonLinesAuditSink(path);
    runtime = authorityRuntime({ auditLog: sink });
    const a = await alice(runtime);
    const b = await bob(runtime);
    const jobId = (await submitAccepted(a, 'conformance.slow', { steps: 1, interval_ms: 60_000 })).payload.job_id;
    await subscribeTo(b, jobId);
    await sink.flush();
    const lines = readFileSync(path, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toEqual([expect.objectContaining({ subscriber_principal: 'bob', target_principal: 'alice', decision: 'denied', job_id: jobId })]);
  });

  it('the auditLog {file} option appends JSON lines, and session.bye also ends subscriptions', async () => {
    const path = `${tempLedgerPath()}.audit.jsonl`;
    const g = gatedRuntime({ auditLog: { file: path } });
    runtime = g.runtime;
    const a = await alice(runtime);
    const w = await alice2(runtime);
    const jobId = (await submitAccepted(a, 'gated', {})).payload.job_id;
    await subscribeTo(w, jobId);
    expect(authorityServicesOf(runtime).subscriptions.size).toBe(1);
    w.send('session.bye', {});
    await w.closed.catch(() => undefined);
    await a.settle();
    expect(authorityServicesOf(runtime).subscriptions.size).toBe(0);
    await (authorityServicesOf(runtime).audit as JsonLinesAuditSink).flush();
    const lines = readFileSync(path, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toEqual([expect.objectContaining({ subscriber_principal: 'alice', target_principal: 'alice', decision: 'allowed', job_id: jobId })]);
    g.release();
  });

  it('subscribing to a finished (retained) job answers job.subscribed with its terminal status and can replay it', async () => {
    runtime = authorityRuntime();
    const a = await alice(runtime);
    const jobId = (await submitAccepted(a, 'conformance.echo', { x: 1 })).payload.job_id;
    await a.terminal(jobId);
    const w = await alice2(runtime);
    const sub = await subscribeTo(w, jobId, { history: true });
    expect(sub.payload.current_status).toBe('success');
    expect((await w.terminal(jobId)).payload.result).toEqual({ x: 1 });
  });

  it('subscribing without history to a job that already ended gets its terminal alone (nothing before it is replayed)', async () => {
    runtime = authorityRuntime();
    const a = await alice(runtime);
    const jobId = (await submitAccepted(a, 'conformance.chatty', { n: 3 })).payload.job_id;
    await a.terminal(jobId);
    const w = await alice2(runtime);
    const sub = await subscribeTo(w, jobId, { history: false });
    expect(sub.payload.current_status).toBe('success');
    const end = await w.terminal(jobId);
    expect(end.session_id).toBe(w.sessionId);
    expect(w.received.filter((m) => m.job_id === jobId && m.type === 'job.event')).toEqual([]);
  });
});
