// Jobs of other nodes as this node's clients see them: read-only stand-ins (proxies) built from
// the job's record, for job.subscribe (the record and history from the store, then `watch` to
// the job's node, which sends what came after and then the live output as `job-output`),
// session.list_jobs, job.cancel (checked against the record, forwarded as `cancel`) and an
// idempotent resubmit of a key another node accepted.
import type { ClusterMessage } from '../../../store/runtime-store.js';
import { arcpError } from '../../../errors/index.js';
import { envelope } from '../../envelope.js';
import { authorityServicesOf } from '../../enforcement/authority-services.js';
import { payloadDigest } from '../../idempotency.js';
import type { Job, SequencedType } from '../../job.js';
import type { Session } from '../../session.js';
import { detachedOwner } from '../detached-owner.js';
import { withRecordedBudget } from '../recorded-budget.js';
import { rebuildJob } from '../restore.js';
import { TERMINAL, type ClusterContext } from './context.js';

export class RemoteJobs {
  /** Read-only stand-ins of other nodes' jobs that local sessions subscribe to, by job id. */
  private readonly proxies = new Map<string, Job>();
  /** Highest owner seq a proxy has seen (history or forwarded output), against duplicates. */
  private readonly proxySeq = new Map<string, number>();

  constructor(private readonly cx: ClusterContext) {}

  /** job.cancel of a job this node does not run (job-cancel.ts rules on the job's record). */
  async cancel(session: Session, jobId: string, reason: string, corr: { request_id: string; job_id: string }): Promise<void> {
    const record = await this.cx.store.loadJob(jobId);
    if (!record || record.principal !== session.principal) return session.sendError(arcpError('JOB_NOT_FOUND', `no job ${jobId}`), corr);
    if (record.session_id !== session.id) {
      return session.sendError(arcpError('PERMISSION_DENIED', `job ${jobId} was submitted by another session; only it may cancel`), corr);
    }
    if (TERMINAL.has(record.status) || record.node_id === undefined) return;
    session.sendControl(envelope('job.cancelled', { session_id: session.id, job_id: jobId, trace_id: record.trace_id }, { job_id: jobId, reason } as never));
    this.cx.bus.send(record.node_id, { op: 'cancel', from: this.cx.nodeId, job_id: jobId, reason });
  }

  /** Jobs of other nodes, read-only, for session.list_jobs. */
  async list(): Promise<Job[]> {
    const { core, store } = this.cx;
    const out: Job[] = [];
    for (const record of await store.loadJobs()) {
      if (core.jobs.get(record.job_id)) continue;
      const job = rebuildJob(core, record, detachedOwner(core, record.session_id, record.principal));
      if (TERMINAL.has(record.status)) {
        job.transition(record.status as 'success');
        job.terminal = record.terminal;
      }
      out.push(job);
    }
    return out;
  }

  /** A job of another node for job.subscribe: its record, history and (if live) its output. */
  async prepare(jobId: string): Promise<void> {
    const { core, store, bus, binding, nodeId } = this.cx;
    if (core.jobs.get(jobId)) return;
    const live = this.proxies.get(jobId);
    if (live && !live.isTerminal) {
      // Already followed: only its budget moves (the job's node rewrites the record as it spends).
      const record = await store.loadJob(jobId);
      if (record && live.authority) live.authority = withRecordedBudget(live.authority, record);
      return;
    }
    const record = await store.loadJob(jobId);
    if (!record) return;
    const job = rebuildJob(core, record, detachedOwner(core, record.session_id, record.principal));
    if (TERMINAL.has(record.status)) {
      job.transition(record.status as 'success');
      job.terminal = record.terminal;
    }
    const history = await store.loadJobHistory(jobId);
    // The job ended between the two reads: its history has the terminal the record lacks. Taken
    // as ended here, so no watch asks its node for a terminal a replay already holds (twice).
    const ended = job.isTerminal ? undefined : history.find((h) => h.type !== 'job.event');
    if (ended) {
      job.terminal = { type: ended.type as 'job.result' | 'job.error', payload: ended.payload };
      job.transition(((ended.payload as { final_status?: string }).final_status ?? 'error') as 'error');
    }
    binding.history.forget(jobId);
    binding.history.restore(
      jobId,
      history.map((h) => ({ seq: h.seq, type: h.type, traceId: h.trace_id, payload: h.payload })),
    );
    this.proxies.set(jobId, job);
    const afterSeq = history.reduce((max, h) => Math.max(max, h.seq), 0);
    this.proxySeq.set(jobId, afterSeq);
    // The store lags the job's node: the node sends what its history has after `after_seq`.
    if (!job.isTerminal && record.node_id !== undefined) bus.send(record.node_id, { op: 'watch', from: nodeId, job_id: jobId, after_seq: afterSeq });
  }

  get(jobId: string): Job | undefined {
    return this.proxies.get(jobId);
  }

  /** `job-output`: a followed job's output from its node, to this node's subscribers. */
  onOutput(msg: ClusterMessage): void {
    const proxy = this.proxies.get(msg.job_id as string);
    if (!proxy || proxy.isTerminal) return;
    const type = msg.type as SequencedType;
    if (typeof msg.seq === 'number') {
      if (msg.seq <= (this.proxySeq.get(proxy.jobId) ?? 0)) return; // already had it (history)
      this.proxySeq.set(proxy.jobId, msg.seq);
      // Later subscribers on this node replay it too.
      this.cx.binding.history.restore(proxy.jobId, [{ seq: msg.seq, type, traceId: proxy.traceId, payload: msg.payload }]);
    }
    if (type !== 'job.event') {
      proxy.terminal = { type, payload: msg.payload };
      proxy.transition(((msg.payload as { final_status?: string }).final_status ?? 'error') as 'error');
      this.proxySeq.delete(proxy.jobId);
    }
    for (const sink of proxy.sinks) sink.deliver(type, msg.payload, proxy);
  }

  /**
   * An idempotency key this node does not know, looked up in the store (another node accepted
   * it). True when answered: DUPLICATE_KEY, or the first job's job.accepted, its terminal if it
   * ended, else its remaining events (job-submit.ts replayIdempotent, across nodes).
   */
  async answerIdempotent(session: Session, requestId: string, key: string, submitPayload: unknown, reject: (jobId: string) => void): Promise<boolean> {
    const { core, store } = this.cx;
    const rec = await store.loadIdempotencyKey(session.principal, key);
    if (!rec || Date.now() - rec.created_at >= core.options.idempotencyTtlMs) return false;
    if ((rec.payload_digest ?? payloadDigest(rec.submit_payload)) !== payloadDigest(submitPayload)) {
      reject(rec.job_id);
      return true;
    }
    const record = await store.loadJob(rec.job_id);
    if (!record) return false;
    session.sendControl(envelope('job.accepted', { session_id: session.id, job_id: record.job_id, trace_id: record.trace_id }, { ...record.accepted, request_id: requestId } as never));
    if (record.terminal) {
      session.emitSequenced(record.terminal.type, record.job_id, record.trace_id, record.terminal.payload);
      return true;
    }
    await this.prepare(record.job_id);
    const proxy = this.proxies.get(record.job_id);
    if (proxy) authorityServicesOf(core).subscriptions.add(proxy, session, true);
    return true;
  }
}
