// Start-up: rebuild from the RuntimeStore what a previous process left (issue 12).
//   - sessions still inside their resume window come back detached, with their unfreed events
//     (replayed verbatim on resume) and their ack position; expired ones are deleted;
//   - finished jobs come back listable, with their terminal and subscription history;
//   - jobs that were running when the process died end now with the restart terminal
//     (restart-terminal.ts), sequenced into their session like any terminal, so the client
//     receives it on resume;
//   - idempotency keys still inside their TTL answer again with their job.
import type { Feature } from '../../../generated/index.js';
import type { JobRecord, SessionRecord } from '../../store/runtime-store.js';
import { parseAgentRef } from '../agent-ref.js';
import type { ResolvedAgent } from '../agent-registry.js';
import type { RuntimeCore } from '../core.js';
import type { TerminalState } from '../job-state.js';
import { payloadDigest } from '../idempotency.js';
import { Job } from '../job.js';
import type { Session } from '../session.js';
import { runtimeRestartedError } from './restart-terminal.js';
import { detachedOwner } from './detached-owner.js';
import { withRecordedBudget } from './recorded-budget.js';
import type { StoreBinding } from './store-binding.js';

const TERMINAL: ReadonlySet<string> = new Set(['success', 'error', 'cancelled', 'timed_out']);

export interface RestoreReport {
  sessions: number;
  expiredSessions: number;
  jobs: number;
  endedJobs: number;
  idempotencyKeys: number;
}

export async function restoreFromStore(core: RuntimeCore, binding: StoreBinding, opts: { jobRetentionMs: number }): Promise<RestoreReport> {
  const { store } = binding;
  const report: RestoreReport = { sessions: 0, expiredSessions: 0, jobs: 0, endedJobs: 0, idempotencyKeys: 0 };
  const now = core.timers.now();
  const mono = core.timers.monotonic();
  const sessionRecords = await store.loadSessions();
  const jobRecords = await store.loadJobs();
  const keys = await store.loadIdempotencyKeys();
  const loaded = new Map<string, { record: SessionRecord; events: Awaited<ReturnType<typeof store.loadEvents>> }>();
  for (const record of sessionRecords) {
    // A session attached when the process died was alive until then: its window starts now.
    if (!record.attached && now - record.last_activity_at > core.options.resumeWindowMs) {
      store.deleteSession(record.session_id);
      report.expiredSessions++;
      continue;
    }
    loaded.set(record.session_id, { record, events: await store.loadEvents(record.session_id) });
  }
  const crashed: Job[] = [];
  binding.quiet = true;
  try {
    const sessions = new Map<string, Session>();
    for (const { record, events } of loaded.values()) {
      binding.events.restore(record.session_id, events.events, events.position);
      const session = core.createSession(record.principal, new Set(record.features as Feature[]), record.session_id);
      session.detach();
      if (!record.attached) session.lastActivityMs = mono - Math.max(0, now - record.last_activity_at);
      binding.restoredTokens.set(record.session_id, record.resume_token_hash);
      sessions.set(record.session_id, session);
      report.sessions++;
    }
    for (const record of jobRecords) {
      const terminal = TERMINAL.has(record.status) && record.terminal !== undefined;
      if (terminal && now - record.updated_at >= opts.jobRetentionMs) {
        store.deleteJob(record.job_id);
        continue;
      }
      const owner = sessions.get(record.session_id) ?? detachedOwner(core, record.session_id, record.principal);
      const job = rebuildJob(core, record, owner);
      const history = await store.loadJobHistory(record.job_id);
      binding.history.restore(
        record.job_id,
        history.map((h) => ({ seq: h.seq, type: h.type, traceId: h.trace_id, payload: h.payload })),
      );
      core.jobs.add(job);
      if (terminal) {
        job.transition(record.status as TerminalState);
        job.terminal = record.terminal;
        core.jobs.markTerminal(job, core.timers.monotonic() - Math.max(0, now - record.updated_at));
      } else {
        crashed.push(job);
      }
      report.jobs++;
    }
    for (const k of keys) {
      const job = core.jobs.get(k.job_id);
      if (!job || now - k.created_at >= core.options.idempotencyTtlMs) {
        store.deleteIdempotencyKey(k.principal, k.key);
        continue;
      }
      binding.idempotency.restore(k.principal, k.key, k.payload_digest ?? payloadDigest(k.submit_payload), job, k.created_at);
      report.idempotencyKeys++;
    }
  } finally {
    binding.quiet = false;
  }
  // Outside quiet mode: the terminals and the updated job records must be journaled.
  for (const job of crashed) {
    core.runner.finishError(job, runtimeRestartedError());
    report.endedJobs++;
  }
  return report;
}

export function rebuildJob(core: RuntimeCore, record: JobRecord, owner: Session): Job {
  const job = new Job({
    jobId: record.job_id,
    owner,
    agent: restoredAgent(record.agent),
    input: undefined,
    lease: record.accepted.lease,
    ...(record.accepted.lease_constraints !== undefined ? { leaseConstraints: record.accepted.lease_constraints } : {}),
    traceId: record.trace_id,
    createdAtMs: record.created_at,
    ...(record.parent_job_id !== undefined ? { parentJobId: record.parent_job_id } : {}),
  });
  job.acceptedPayload = record.accepted;
  job.lastEventSeq = record.last_event_seq;
  try {
    const authority = core.hooks.createAuthority!({
      lease: record.accepted.lease,
      ...(record.accepted.lease_constraints ? { constraints: record.accepted.lease_constraints } : {}),
      clock: core.timers,
      job,
    });
    job.authority = withRecordedBudget(authority, record);
  } catch {
    // A lease that no longer validates (e.g. expired): the job is over anyway.
  }
  job.transition('running');
  return job;
}

/** The agent of a restored job is never run again: only its identity is needed. */
function restoredAgent(ref: string): ResolvedAgent {
  const parsed = parseAgentRef(ref);
  return {
    name: parsed?.name ?? ref,
    ...(parsed?.version !== undefined ? { version: parsed.version } : {}),
    ref,
    handler: () => {
      throw new Error(`agent ${ref} of a restored job cannot run`);
    },
  };
}

