// Runtime objects -> store records. The resume token is stored only as its sha256.
import { createHash } from 'node:crypto';
import type { JobRecord, SessionRecord } from '../../store/runtime-store.js';
import type { Job } from '../job.js';
import type { Session } from '../session.js';

export function tokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function sessionRecord(session: Session, nowMs: number, hash = tokenHash(session.resumeToken), nodeId?: string): SessionRecord {
  return {
    session_id: session.id,
    principal: session.principal,
    features: [...session.features],
    resume_token_hash: hash,
    last_activity_at: nowMs,
    attached: session.isAttached,
    ...(nodeId !== undefined ? { node_id: nodeId } : {}),
  };
}

export function jobRecord(job: Job, nowMs: number, nodeId?: string): JobRecord {
  const budget = job.authority?.budget();
  return {
    job_id: job.jobId,
    session_id: job.sessionId,
    principal: job.principal,
    agent: job.agentRef,
    status: job.state,
    trace_id: job.traceId,
    created_at: job.createdAtMs,
    updated_at: nowMs,
    ...(job.parentJobId !== undefined ? { parent_job_id: job.parentJobId } : {}),
    accepted: job.acceptedPayload,
    ...(job.terminal ? { terminal: job.terminal } : {}),
    last_event_seq: job.lastEventSeq,
    ...(budget !== undefined ? { budget } : {}),
    ...(nodeId !== undefined ? { node_id: nodeId } : {}),
  };
}
