// The agent-facing API (§8.2 event kinds, §9.3 enforcement hooks). An agent is
// `(input, ctx) => result`: return a value for an inline result, throw an ARCPError for a typed
// failure, or stream with ctx.resultStream(). Emits after the job's terminal are ignored.
import { EVENT_KINDS } from '../../generated/index.js';
import type {
  ArtifactRefBody,
  EventBodies,
  EventKind,
  Feature,
  Lease,
  LeaseConstraints,
  LogBody,
  MetricBody,
  ToolResultBody,
} from '../../generated/index.js';
import { arcpError, type ARCPError } from '../errors/index.js';
import { toARCPError } from './arcp-errors.js';
import { newMessageId, newResultId } from '../protocol/index.js';
import type { Decision } from './hooks.js';
import type { DelegateOutcome, DelegateRequest } from './delegation/delegation-service.js';
import { authorityServicesOfJob } from './enforcement/authority-services.js';
import type { CallObservation, ErrorFacts } from './instrumentation/index.js';
import type { Job } from './job.js';
import { ResultStreamWriter, type ResultStream } from './result-stream.js';

/** Default low-water mark of ctx.drain(). */
const DRAIN_LOW_WATER_BYTES = 1024 * 1024;

export type AgentHandler = (input: unknown, ctx: JobContext) => unknown | Promise<unknown>;

export type LogLevel = LogBody['level'];

export interface MetricOptions {
  unit?: string;
  dimensions?: Record<string, string>;
}

export interface ProgressOptions {
  total?: number;
  units?: string;
  message?: string;
}

export interface JobContext {
  readonly jobId: string;
  readonly input: unknown;
  readonly lease: Lease;
  readonly leaseConstraints?: LeaseConstraints | undefined;
  readonly traceId: string;
  /**
   * W3C `traceparent` of this job (its span when telemetry is on): forward it to tool servers and
   * sub-agents (§11). Delegated children start under it.
   */
  readonly traceparent: string;
  /** Resolved `name@version`. */
  readonly agent: string;
  /** Aborted on cancel, timeout, or a fatal lease/budget/result failure. */
  readonly signal: AbortSignal;
  /** The owner session's negotiated features (progress/result_chunk are gated on them). */
  readonly features: ReadonlySet<Feature>;
  /**
   * Emits are written at once while this event-loop turn has budget left
   * (`limits.maxFramesPerTick`); past it they are checked, recorded and written on later turns,
   * a bounded chunk per turn (limits/emit-outbox.ts), so a loop that never awaits costs little
   * and does not starve pings or other sessions. The promise resolves once the agent should go
   * on (its queued output written, or the next turn). A body the strict schema refuses throws
   * `INVALID_REQUEST` synchronously either way; an emit past `limits.maxPendingEmitBytesPerSession`
   * / `maxPendingEmitBytes` of unwritten output throws `INTERNAL_ERROR` (retryable,
   * `details.reason: limit_exceeded`) and is not kept: await the emits (or `ctx.drain()`).
   */
  log(level: LogLevel, message: string, attributes?: Record<string, unknown>): Promise<void>;
  /**
   * Cooperative back-pressure (§6.5): resolves once the session's queued emits are written and
   * its transport has written out its backlog down to `lowWaterBytes` (default 1 MiB); at once
   * (after the queued emits) when the client is away, the
   * transport reports no backlog, or the job is aborted. A chatty agent may `await ctx.drain()`
   * every few hundred events so it never outruns the wire.
   */
  drain(lowWaterBytes?: number): Promise<void>;
  thought(text: string): Promise<void>;
  status(phase: string, message?: string): Promise<void>;
  /** `cost.*` metrics in a budgeted currency decrement the budget (§9.6). */
  metric(name: string, value: number, opts?: MetricOptions): Promise<void>;
  /** §8.2.1; returns false (nothing sent) when `progress` was not negotiated. */
  progress(current: number, opts?: ProgressOptions): boolean;
  artifactRef(ref: ArtifactRefBody): Promise<void>;
  /** `x-vendor.<vendor>.<name>` kinds only (catalog §3.5). */
  event(kind: `x-vendor.${string}`, body: Record<string, unknown>): Promise<void>;
  /**
   * Any reserved kind (§8.2) with its generated body type, including kinds added to schema/
   * after this code was written. Returns false (nothing sent) when the kind's feature flag was
   * not negotiated (§6.2). The body is validated strictly before it is sent. `result_chunk`
   * goes through resultStream(): result_id and chunk order are the runtime's to keep (§8.4).
   */
  emit<K extends Exclude<EventKind, 'result_chunk'>>(kind: K, body: EventBodies[K]): boolean;
  /**
   * §9.3: synchronous lease check before an authority-bearing operation. A denial is reported as
   * a `tool_result` error (call_id `callId`, or a fresh one) and returned for the agent to handle.
   */
  authorize(capability: string, target: string, opts?: { callId?: string }): Decision;
  /** tool_call -> lease check (`tool.call`) -> fn -> tool_result. Denials and failures throw. */
  toolCall<T>(tool: string, args: Record<string, unknown>, fn: () => T | Promise<T>): Promise<T>;
  /** §9.7 model gate, then fn. A denial is reported as a tool_result error and thrown. */
  invokeModel<T>(model: string, fn: () => T | Promise<T>): Promise<T>;
  /** §8.4; throws INVALID_REQUEST when `result_chunk` was not negotiated. One stream per job. */
  resultStream(): ResultStream;
  /**
   * One authority-bearing operation reported as a tool call: `tool_call {tool, args, call_id}`,
   * the synchronous lease check (`model.use` goes through the model gate), then `tool_result`
   * `{allowed: true}` or the error. Returns the decision; never throws for a denial.
   */
  operation(capability: string, target: string, opts?: { tool?: string; args?: Record<string, unknown> }): Decision;
  /**
   * §10 delegation: emits `delegate`, checks `agent.delegate` and the §9.4 subset rules, runs the
   * child in this session (same trace_id, parent_job_id) and resolves with its outcome. A refusal
   * is reported as a `tool_result` error (call_id = delegate_id) and thrown.
   */
  delegate(req: DelegateRequest): Promise<DelegateOutcome>;
}

/** What the context needs from the job runner. */
export interface JobControl {
  emitEvent(kind: string, body: unknown): void;
  /** What an emit returns: resolves once the agent should go on (its session's queued output written, or the next turn when this one's budget is spent). */
  pace(): Promise<void>;
  /** Resolves once the session's queued output is written and this turn's fair share is not exhausted. */
  fairTurn(): Promise<void>;
  /** Ends the job now with this error (lease expired, result caps). */
  fail(error: ARCPError): void;
  /** A cost moved the budget counters (the job record follows them, job-registry.ts). */
  budgetChanged(): void;
  maxChunkBytes: number;
  maxResultBytes: number;
}

export class JobContextImpl implements JobContext {
  readonly signal: AbortSignal;
  private stream: ResultStreamWriter | undefined;

  constructor(
    private readonly job: Job,
    private readonly control: JobControl,
  ) {
    this.signal = job.abort.signal;
  }

  get jobId(): string {
    return this.job.jobId;
  }
  get input(): unknown {
    return this.job.input;
  }
  get lease(): Lease {
    return this.job.lease;
  }
  get leaseConstraints(): LeaseConstraints | undefined {
    return this.job.leaseConstraints;
  }
  get traceId(): string {
    return this.job.traceId;
  }
  get traceparent(): string {
    return this.job.observation?.traceparent ?? `00-${this.job.traceId}-${'0'.repeat(15)}1-01`;
  }
  get agent(): string {
    return this.job.agentRef;
  }
  get features(): ReadonlySet<Feature> {
    return this.job.owner.features;
  }

  /** The stream, if the agent opened one (the runner finishes it). */
  get openStream(): ResultStreamWriter | undefined {
    return this.stream;
  }

  async drain(lowWaterBytes = DRAIN_LOW_WATER_BYTES): Promise<void> {
    await this.control.fairTurn(); // queued emits first: they are what fills the transport
    await this.job.owner.waitForDrain(lowWaterBytes, this.signal);
    await this.control.fairTurn();
  }

  log(level: LogLevel, message: string, attributes?: Record<string, unknown>): Promise<void> {
    const body: LogBody = { level, message };
    if (attributes !== undefined) (body as { attributes?: Record<string, unknown> }).attributes = attributes;
    this.control.emitEvent('log', body);
    return this.control.pace();
  }

  thought(text: string): Promise<void> {
    this.control.emitEvent('thought', { text });
    return this.control.pace();
  }

  status(phase: string, message?: string): Promise<void> {
    this.control.emitEvent('status', message === undefined ? { phase } : { phase, message });
    return this.control.pace();
  }

  metric(name: string, value: number, opts: MetricOptions = {}): Promise<void> {
    const body: MetricBody = { name, value };
    if (opts.unit !== undefined) body.unit = opts.unit;
    if (opts.dimensions !== undefined) body.dimensions = opts.dimensions;
    const costly = name.startsWith('cost.') && name !== 'cost.budget.remaining';
    const outcome = costly ? this.job.authority.recordCost(body) : undefined;
    if (outcome?.error) throw outcome.error;
    if (costly) this.control.budgetChanged();
    this.control.emitEvent('metric', body);
    for (const r of outcome?.remaining ?? []) {
      this.control.emitEvent('metric', { name: 'cost.budget.remaining', value: r.value, unit: r.currency });
    }
    return this.control.pace();
  }

  progress(current: number, opts: ProgressOptions = {}): boolean {
    if (!this.gate('progress')) return false;
    const body: Record<string, unknown> = { current };
    if (opts.total !== undefined) body.total = opts.total;
    if (opts.units !== undefined) body.units = opts.units;
    if (opts.message !== undefined) body.message = opts.message;
    this.control.emitEvent('progress', body);
    return true;
  }

  artifactRef(ref: ArtifactRefBody): Promise<void> {
    this.control.emitEvent('artifact_ref', ref);
    return this.control.pace();
  }

  event(kind: `x-vendor.${string}`, body: Record<string, unknown>): Promise<void> {
    if (!/^x-vendor\.[a-z0-9_-]+\.[a-z0-9_.-]+$/.test(kind)) {
      throw new TypeError(`event kind "${kind}" must be x-vendor.<vendor>.<name> (catalog §3.5)`);
    }
    this.control.emitEvent(kind, body);
    return this.control.pace();
  }

  emit<K extends Exclude<EventKind, 'result_chunk'>>(kind: K, body: EventBodies[K]): boolean {
    const info = (EVENT_KINDS as Readonly<Record<string, { feature: string | null } | undefined>>)[kind];
    if (info === undefined) throw new TypeError(`"${kind}" is not a reserved event kind (vendor kinds go through ctx.event)`);
    if ((kind as string) === 'result_chunk') throw new TypeError('result_chunk goes through ctx.resultStream() (§8.4)');
    if (info.feature !== null && !this.gate(info.feature as Feature)) return false;
    this.control.emitEvent(kind, body);
    return true;
  }

  authorize(capability: string, target: string, opts: { callId?: string } = {}): Decision {
    return this.report(this.job.authority.check(capability, target), opts.callId ?? newCallId());
  }

  async toolCall<T>(tool: string, args: Record<string, unknown>, fn: () => T | Promise<T>): Promise<T> {
    const callId = newCallId();
    this.control.emitEvent('tool_call', { tool, args, call_id: callId });
    const call = this.job.observation?.toolCall({ tool, callId, capability: 'tool.call', target: tool });
    const decision = this.report(this.job.authority.check('tool.call', tool), callId);
    if (!decision.allowed) {
      call?.end({ error: errorFacts(decision.error) });
      throw decision.error;
    }
    return this.runReported(callId, fn, call);
  }

  async invokeModel<T>(model: string, fn: () => T | Promise<T>): Promise<T> {
    const callId = newCallId();
    this.control.emitEvent('tool_call', { tool: 'model.invoke', args: { model }, call_id: callId });
    const call = this.job.observation?.toolCall({ tool: 'model.invoke', callId, capability: 'model.use', target: model });
    const decision = this.report(this.job.authority.checkModel(model), callId);
    if (!decision.allowed) {
      call?.end({ error: errorFacts(decision.error) });
      throw decision.error;
    }
    return this.runReported(callId, fn, call);
  }

  operation(capability: string, target: string, opts: { tool?: string; args?: Record<string, unknown> } = {}): Decision {
    const callId = newCallId();
    this.control.emitEvent('tool_call', { tool: opts.tool ?? capability, args: opts.args ?? { capability, target }, call_id: callId });
    const decision = capability === 'model.use' ? this.job.authority.checkModel(target) : this.job.authority.check(capability, target);
    this.job.observation?.toolCall({ tool: opts.tool ?? capability, callId, capability, target }).end(decision.allowed ? {} : { error: errorFacts(decision.error) });
    if (decision.allowed) this.control.emitEvent('tool_result', { call_id: callId, result: { allowed: true } });
    return this.report(decision, callId);
  }

  delegate(req: DelegateRequest): Promise<DelegateOutcome> {
    const services = authorityServicesOfJob(this.job);
    if (!services) return Promise.reject(arcpError('PERMISSION_DENIED', 'delegation is not available for this job'));
    const observed = this.job.observation?.delegation({ agent: String(req?.agent) });
    const outcome = services.delegation.delegate(this.job, req, {
      emitEvent: (kind, body) => this.control.emitEvent(kind, body),
      fail: (err) => this.control.fail(err),
      ...(observed?.traceparent !== undefined ? { traceparent: observed.traceparent } : {}),
    });
    if (!observed) return outcome;
    return outcome.then(
      (o) => {
        observed.end({ childJobId: o.childJobId, delegateId: o.delegateId, finalStatus: o.finalStatus, ...(o.error ? { error: o.error } : {}) });
        return o;
      },
      (err: unknown) => {
        observed.end({ error: errorFacts(toARCPError(err)) });
        throw err;
      },
    );
  }

  resultStream(): ResultStream {
    if (this.stream) return this.stream;
    if (!this.gate('result_chunk')) {
      throw arcpError('INVALID_REQUEST', 'result_chunk was not negotiated on this session; return the result inline');
    }
    this.stream = new ResultStreamWriter(
      newResultId(),
      { maxChunkBytes: this.control.maxChunkBytes, maxTotalBytes: this.control.maxResultBytes },
      { chunk: (body) => this.control.emitEvent('result_chunk', body), fail: (err) => this.control.fail(err) },
    );
    return this.stream;
  }

  private gate(feature: Feature): boolean {
    return this.job.owner.has(feature);
  }

  // A denial becomes a tool_result error the agent can handle (§9.3, §13.4). LEASE_EXPIRED also
  // ends the job (§9.5 MUST: job.error LEASE_EXPIRED once an op is attempted after expiry).
  private report(decision: Decision, callId: string): Decision {
    if (decision.allowed) return decision;
    this.control.emitEvent('tool_result', { call_id: callId, error: decision.error.toPayload() } satisfies ToolResultBody);
    if (decision.error.code === 'LEASE_EXPIRED') this.control.fail(decision.error);
    return decision;
  }

  private async runReported<T>(callId: string, fn: () => T | Promise<T>, call?: Required<CallObservation>): Promise<T> {
    try {
      const result = await (call ? call.run(fn) : fn());
      call?.end({});
      // catalog §9 #39: exactly one of result/error; a void tool reports `{}`.
      this.control.emitEvent('tool_result', { call_id: callId, result: result === undefined ? {} : result });
      return result;
    } catch (err) {
      const error = toARCPError(err, 'tool failed');
      call?.end({ error: errorFacts(error) });
      this.control.emitEvent('tool_result', { call_id: callId, error: error.toPayload() });
      throw err;
    }
  }
}

function errorFacts(error: ARCPError): ErrorFacts {
  return { code: error.code, message: error.message, retryable: error.retryable };
}

function newCallId(): string {
  return `call_${newMessageId().replace(/^msg_/, '')}`;
}
