// §9.4 / §10 delegation from JobContext.delegate (catalog §6.12, §9 #12, #42, #43):
//  1. emit the `delegate` event on the parent (TS/v1.0 body);
//  2. resolve the child agent;
//  3. parent authority: expiry -> budget -> `agent.delegate` covers the child agent name, then the
//     child lease is a subset (resources, models), its budget <= the parent's remaining (and is
//     reserved from it), its expiry <= the parent's (inherited when absent);
//  4. the child runs in the SAME session with the parent's trace_id and `parent_job_id`:
//     job.accepted {parent_job_id, delegate_id, budget, credentials?}, then status running;
//  5. a refusal is a `tool_result` error on the parent with call_id = delegate_id;
//  6. the parent awaits the child's terminal and gets its result; unspent child budget returns.
// Parent termination ends every live child (and credential revocation cascades, §9.8.2).
import type { Credential, DelegateBody, JobAccepted, JobAcceptedPayload, Lease, LeaseConstraints } from '../../../generated/index.js';
import type { BudgetReservation, DelegationDecision, DelegationRequest } from '../../authority/index.js';
import { arcpError, isARCPError, type ARCPError } from '../../errors/index.js';
import { newJobId, newMessageId } from '../../protocol/index.js';
import type { RuntimeCore } from '../core.js';
import { envelope } from '../envelope.js';
import { DelegationBounds, type DelegationSlot } from './delegation-bounds.js';
import type { JobAuthorityLike } from '../hooks.js';
import { Job, type JobSink, type SequencedType } from '../job.js';
import { isoTime } from '../timers.js';

/** What an agent asks for: the `delegate` event body (§10) minus the ids the runtime mints. */
export type DelegateRequest = Omit<DelegateBody, 'delegate_id' | 'child_job_id' | 'input'> & { input?: unknown };

export interface DelegateOutcome {
  childJobId: string;
  delegateId: string;
  finalStatus: string;
  /** The child's inline result (success). */
  result?: unknown;
  /** The child's error payload (error, cancelled, timed_out). */
  error?: { code: string; message: string; retryable: boolean };
}

/** What delegation needs from the parent's JobContext. */
export interface ParentControl {
  emitEvent(kind: string, body: unknown): void;
  fail(error: ARCPError): void;
  /** W3C traceparent the child starts under (the delegation's span, §11). */
  traceparent?: string;
}

interface DelegatingAuthority extends JobAuthorityLike {
  checkDelegation?(req: DelegationRequest): DelegationDecision;
  settleDelegation?(reservation: BudgetReservation, childRemaining: Record<string, number> | undefined): void;
}

export class DelegationService {
  private readonly children = new Map<Job, Set<Job>>();
  private readonly bounds: DelegationBounds;

  constructor(private readonly core: RuntimeCore) {
    this.bounds = new DelegationBounds(core.options.limits);
  }

  async delegate(parent: Job, req: DelegateRequest, control: ParentControl): Promise<DelegateOutcome> {
    if (typeof req?.agent !== 'string' || req.agent === '') throw arcpError('INVALID_REQUEST', 'delegate: agent must be a non-empty string');
    const delegateId = `dlg_${newMessageId().replace(/^msg_/, '')}`;
    const body: Record<string, unknown> = { delegate_id: delegateId, agent: req.agent, input: req.input ?? null };
    if (req.lease_request !== undefined) body.lease_request = req.lease_request;
    if (req.lease_constraints !== undefined) body.lease_constraints = req.lease_constraints;
    try {
      control.emitEvent('delegate', body);
    } catch (err) {
      throw arcpError('INVALID_REQUEST', `delegate: the request is not a valid delegate body: ${err instanceof Error ? err.message : String(err)}`);
    }
    let slot: DelegationSlot | undefined;
    const refuse = (error: ARCPError): never => {
      slot?.release();
      control.emitEvent('tool_result', { call_id: delegateId, error: error.toPayload() });
      if (error.code === 'LEASE_EXPIRED') control.fail(error);
      throw error;
    };
    // Bounds first, before anything is resolved, reserved or awaited.
    const admitted = this.bounds.admit(parent);
    if (isARCPError(admitted)) return refuse(admitted);
    slot = admitted;
    let inputBytes: number;
    try {
      inputBytes = req.input === undefined ? 4 : (JSON.stringify(req.input)?.length ?? 0);
    } catch {
      return refuse(arcpError('INVALID_REQUEST', 'delegate: input is not serialisable JSON'));
    }
    const overBudget = this.core.jobs.admit(parent.principal, inputBytes);
    if (overBudget) return refuse(overBudget);

    let agent;
    try {
      agent = this.core.agents.resolve(req.agent);
    } catch (err) {
      return refuse(isARCPError(err) ? err : arcpError('AGENT_NOT_AVAILABLE', String(err)));
    }
    const authority = parent.authority as DelegatingAuthority;
    if (typeof authority.checkDelegation !== 'function') {
      return refuse(arcpError('PERMISSION_DENIED', 'delegation is not supported by this job authority'));
    }
    // agent.delegate patterns are agent-name globs (§9.2): the target is the name, without @version.
    const decision = authority.checkDelegation({
      agent: agent.name,
      ...(req.lease_request !== undefined ? { lease_request: req.lease_request } : {}),
      ...(req.lease_constraints !== undefined ? { lease_constraints: req.lease_constraints } : {}),
    });
    if (!decision.ok) return refuse(decision.error);
    const reservation = 'reservation' in decision ? decision.reservation : undefined;
    if (reservation) this.core.jobs.budgetChanged(parent);
    const giveBack = (remaining: Record<string, number> | undefined): void => {
      if (!reservation) return;
      authority.settleDelegation?.(reservation, remaining);
      this.core.jobs.budgetChanged(parent);
    };

    const now = this.core.timers.now();
    const child = new Job({
      jobId: newJobId(),
      owner: parent.owner,
      agent,
      input: req.input ?? null,
      lease: decision.lease,
      ...(decision.constraints !== undefined ? { leaseConstraints: decision.constraints } : {}),
      traceId: parent.traceId,
      createdAtMs: now,
      parentJobId: parent.jobId,
      ...(control.traceparent !== undefined ? { traceparent: control.traceparent } : {}),
      inputBytes,
    });
    let credentials: Credential[] | undefined;
    try {
      const constraints = child.leaseConstraints ? { constraints: child.leaseConstraints } : {};
      child.authority = this.core.hooks.createAuthority!({ lease: child.lease, ...constraints, clock: this.core.timers, job: child });
      const issue = this.core.hooks.issueCredentials;
      if (issue && parent.owner.has('provisioned_credentials')) credentials = await issue(child);
    } catch (err) {
      giveBack(reservation ? Object.fromEntries(Object.entries(reservation.amounts).map(([c, v]) => [c, Number(v)])) : undefined);
      return refuse(isARCPError(err) ? err : arcpError('INTERNAL_ERROR', `delegation failed: ${String(err)}`, { retryable: true }));
    }
    if (parent.isTerminal) {
      // The parent ended while credentials were issued: the child never starts.
      slot.release();
      this.core.hooks.onJobTerminal?.(child, 'cancelled');
      throw arcpError('CANCELLED', 'parent job ended before the delegated job started');
    }

    const done = this.watch(child);
    slot.placed(child);
    this.accept(child, delegateId, credentials);
    this.link(parent, child);
    this.core.runner.start(child);
    const terminal = await done;
    slot.release();
    this.children.get(parent)?.delete(child);
    giveBack(child.authority.budget());
    const p = terminal.payload as { final_status: string; result?: unknown; code?: string; message?: string; retryable?: boolean };
    const outcome: DelegateOutcome = { childJobId: child.jobId, delegateId, finalStatus: p.final_status };
    if (terminal.type === 'job.result') {
      if ('result' in p) outcome.result = p.result;
    } else {
      outcome.error = { code: p.code ?? 'INTERNAL_ERROR', message: p.message ?? '', retryable: p.retryable ?? true };
    }
    return outcome;
  }

  /** Parent termination ends every live child (§9.8.2: no child authority outlives the parent). */
  endChildren(parent: Job, state: string): void {
    const kids = this.children.get(parent);
    this.children.delete(parent);
    for (const child of kids ?? []) {
      if (child.isTerminal) continue;
      this.core.runner.finishError(child, arcpError('CANCELLED', `parent job ${parent.jobId} ended (${state})`));
    }
  }

  childrenOf(parent: Job): Job[] {
    return [...(this.children.get(parent) ?? [])];
  }

  private link(parent: Job, child: Job): void {
    const set = this.children.get(parent) ?? new Set<Job>();
    set.add(child);
    this.children.set(parent, set);
  }

  private accept(child: Job, delegateId: string, credentials: Credential[] | undefined): void {
    const payload: JobAcceptedPayload = {
      job_id: child.jobId,
      agent: child.agentRef,
      lease: child.lease,
      accepted_at: isoTime(child.createdAtMs),
      trace_id: child.traceId,
      parent_job_id: child.parentJobId!,
      delegate_id: delegateId,
    };
    if (child.leaseConstraints !== undefined) payload.lease_constraints = child.leaseConstraints;
    const budget = child.authority.budget();
    if (budget !== undefined) payload.budget = budget;
    if (credentials && credentials.length > 0) payload.credentials = credentials;
    child.acceptedPayload = payload;
    this.core.jobs.add(child);
    const session = child.owner;
    session.sendControl(envelope<JobAccepted>('job.accepted', { session_id: session.id, job_id: child.jobId, trace_id: child.traceId }, payload));
  }

  /** Resolves with the child's terminal envelope. */
  private watch(child: Job): Promise<{ type: SequencedType; payload: unknown }> {
    return new Promise((resolve) => {
      const sink: JobSink = {
        deliver(type, payload) {
          if (type === 'job.event') return;
          child.sinks.delete(sink);
          resolve({ type, payload });
        },
      };
      child.sinks.add(sink);
    });
  }
}
