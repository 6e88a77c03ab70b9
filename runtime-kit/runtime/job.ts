// One job: identity, owner session, effective lease, state, and its outbound stream. Jobs belong
// to the *session object* (not a transport), so they survive close/bye/drop and resume (§6.7).
import type { JobAcceptedPayload, JobState, Lease, LeaseConstraints } from '../../generated/index.js';
import type { ResolvedAgent } from './agent-registry.js';
import type { JobAuthorityLike, JobInfo } from './hooks.js';
import type { ResolvedJobObservation } from './instrumentation/index.js';
import { newJobMachine, terminalEvent, type TerminalState } from './job-state.js';
import type { Session } from './session.js';

export type SequencedType = 'job.event' | 'job.result' | 'job.error';

/** An extra receiver of a job's sequenced output (e.g. a subscriber session, issue 4). */
export interface JobSink {
  deliver(type: SequencedType, payload: unknown, job: Job): void;
}

export interface JobInit {
  jobId: string;
  owner: Session;
  agent: ResolvedAgent;
  input: unknown;
  lease: Lease;
  leaseConstraints?: LeaseConstraints;
  traceId: string;
  createdAtMs: number;
  maxRuntimeSec?: number;
  parentJobId?: string;
  /** Inbound W3C traceparent (submit's tracecontext extension, or the delegation span). */
  traceparent?: string;
  /** Size of the input as JSON (UTF-16 units), counted against the input budgets. */
  inputBytes?: number;
}

export class Job implements JobInfo {
  readonly jobId: string;
  readonly owner: Session;
  readonly agent: ResolvedAgent;
  readonly inputBytes: number;
  readonly lease: Lease;
  readonly leaseConstraints?: LeaseConstraints;
  readonly traceId: string;
  readonly createdAtMs: number;
  readonly maxRuntimeSec?: number;
  readonly parentJobId?: string;
  readonly traceparent?: string;
  /** Set by the runner at start: the job's span / log observation (instrumentation/). */
  observation: ResolvedJobObservation | undefined;
  /** Set by the runner before job.accepted. */
  authority!: JobAuthorityLike;
  acceptedPayload!: JobAcceptedPayload;
  /** The terminal envelope's type and payload (idempotent replay re-stamps it, catalog §9 #30). */
  terminal: { type: 'job.result' | 'job.error'; payload: unknown } | undefined;
  /** Owner-session seq of this job's latest sequenced envelope (for listings). */
  lastEventSeq = 0;
  readonly abort = new AbortController();
  /** job.cancel accepted: whatever the agent does next, the terminal is CANCELLED (§7.4). */
  cancelRequested = false;
  cancelReason: string | undefined;
  readonly sinks = new Set<JobSink>();
  /** Sequenced output of this job's own stream accepted but not yet written (limits/emit-outbox.ts); its terminal may be among it. Until that is written the job's end is not recorded (job-runner.ts recordEnd). */
  pendingOutput = 0;
  private readonly machine = newJobMachine();
  private heldInput: unknown;

  constructor(init: JobInit) {
    this.jobId = init.jobId;
    this.owner = init.owner;
    this.agent = init.agent;
    this.heldInput = init.input;
    this.inputBytes = init.inputBytes ?? 0;
    this.lease = init.lease;
    if (init.leaseConstraints !== undefined) this.leaseConstraints = init.leaseConstraints;
    this.traceId = init.traceId;
    this.createdAtMs = init.createdAtMs;
    if (init.maxRuntimeSec !== undefined) this.maxRuntimeSec = init.maxRuntimeSec;
    if (init.parentJobId !== undefined) this.parentJobId = init.parentJobId;
    if (init.traceparent !== undefined) this.traceparent = init.traceparent;
  }

  /** The submitted input; undefined once the job is terminal (memory budget, job-registry.ts). */
  get input(): unknown {
    return this.heldInput;
  }

  releaseInput(): void {
    this.heldInput = undefined;
  }

  get principal(): string {
    return this.owner.principal;
  }

  get sessionId(): string {
    return this.owner.id;
  }

  get agentRef(): string {
    return this.agent.ref;
  }

  get state(): JobState {
    return this.machine.state;
  }

  get isTerminal(): boolean {
    return this.machine.isTerminal;
  }

  /** Ended, and its terminal written to its stream (not still queued behind its own output). */
  get terminalWritten(): boolean {
    return this.machine.isTerminal && this.pendingOutput === 0;
  }

  /** Moves along the generated table; a missing edge throws ARCP_KIT_INVALID_TRANSITION. */
  transition(to: 'running' | TerminalState): void {
    this.machine.fire(to === 'running' ? 'start' : terminalEvent(to));
  }

  /** Sends a sequenced envelope to the owner session (buffered while away) and to sinks. */
  emit(type: SequencedType, payload: unknown): number | undefined {
    const seq = this.owner.emitSequenced(type, this.jobId, this.traceId, payload);
    if (seq !== undefined) this.lastEventSeq = seq;
    if (this.sinks.size !== 0) for (const sink of this.sinks) sink.deliver(type, payload, this);
    return seq;
  }
}
