// The authority conformance agents of design/conformance-agents.md: conformance.tools,
// conformance.spender, conformance.model and conformance.delegator. "Performing an operation"
// goes through the runtime's own enforcement (JobContext.operation: expiry -> budget ->
// capability, model.use through the model gate); no real I/O happens. Refusals are reported as
// tool_result errors and the agent goes on; bad inputs fail the job with INVALID_REQUEST.
import { arcpError, isARCPError } from '../errors/index.js';
import { sleep, type Clock } from '../protocol/index.js';
import type { AgentHandler, JobContext } from '../runtime/job-context.js';
import type { ARCPRuntime } from '../runtime/runtime.js';

type Input = Record<string, unknown>;

export interface OpOutcome {
  allowed: boolean;
  code?: string;
}

function obj(input: unknown): Input {
  return typeof input === 'object' && input !== null && !Array.isArray(input) ? (input as Input) : {};
}

function bad(agent: string, field: string, why: string): never {
  throw arcpError('INVALID_REQUEST', `${agent}: input.${field} ${why}`, { details: { field } });
}

function op(value: unknown, agent: string, field: string): { capability: string; target: string } {
  const o = obj(value);
  if (typeof o.capability !== 'string' || o.capability === '' || typeof o.target !== 'string') {
    bad(agent, field, 'must be {capability: string, target: string}');
  }
  return { capability: o.capability, target: o.target };
}

/** tool_call {tool: "conformance.op", args: {capability, target}}, the check, tool_result. */
function perform(ctx: JobContext, capability: string, target: string): OpOutcome {
  const d = ctx.operation(capability, target, { tool: 'conformance.op', args: { capability, target } });
  return d.allowed ? { allowed: true } : { allowed: false, code: d.error.code };
}

/** `conformance.tools {ops: [{capability, target}], delay_ms?}` -> `{outcomes}`. */
export function tools(clock: Clock): AgentHandler {
  return async (input, ctx) => {
    const i = obj(input);
    if (!Array.isArray(i.ops)) bad('conformance.tools', 'ops', 'must be an array');
    const ops = i.ops.map((o, k) => op(o, 'conformance.tools', `ops[${k}]`));
    const delay = i.delay_ms;
    if (delay !== undefined && (typeof delay !== 'number' || !Number.isInteger(delay) || delay < 0 || delay > 3_600_000)) {
      bad('conformance.tools', 'delay_ms', 'must be an integer in [0, 3600000]');
    }
    const outcomes: OpOutcome[] = [];
    for (const o of ops) {
      if (delay) await sleep(clock, delay, ctx.signal);
      outcomes.push(perform(ctx, o.capability, o.target));
    }
    return { outcomes };
  };
}

/** `conformance.spender {costs: [{amount, currency}], op}`: metric cost.conformance, then the op. */
export const spender: AgentHandler = (input, ctx) => {
  const i = obj(input);
  if (!Array.isArray(i.costs)) bad('conformance.spender', 'costs', 'must be an array');
  const target = op(i.op, 'conformance.spender', 'op');
  const outcomes: OpOutcome[] = [];
  for (const [k, raw] of i.costs.entries()) {
    const c = obj(raw);
    if (typeof c.amount !== 'number' || typeof c.currency !== 'string' || c.currency === '') {
      bad('conformance.spender', `costs[${k}]`, 'must be {amount: number, currency: string}');
    }
    try {
      ctx.metric('cost.conformance', c.amount, { unit: c.currency });
    } catch (err) {
      // §9.6: a negative cost is rejected (no decrement, no metric); report it and go on.
      if (!isARCPError(err)) throw err;
      ctx.log('warn', `cost rejected: ${err.message}`, { code: err.code });
    }
    outcomes.push(perform(ctx, target.capability, target.target));
  }
  return { outcomes };
};

/** `conformance.model {models: [id]}`: each id through the model.use gate. */
export const model: AgentHandler = (input, ctx) => {
  const i = obj(input);
  if (!Array.isArray(i.models) || i.models.some((m) => typeof m !== 'string')) bad('conformance.model', 'models', 'must be an array of strings');
  return { outcomes: (i.models as string[]).map((m) => perform(ctx, 'model.use', m)) };
};

/** `conformance.delegator {agent, input, lease_request, lease_constraints?}`. */
export const delegator: AgentHandler = async (input, ctx) => {
  const i = obj(input);
  if (typeof i.agent !== 'string' || i.agent === '') bad('conformance.delegator', 'agent', 'must be a non-empty string');
  try {
    const out = await ctx.delegate({
      agent: i.agent,
      input: i.input ?? null,
      ...(i.lease_request !== undefined ? { lease_request: i.lease_request as never } : {}),
      ...(i.lease_constraints !== undefined ? { lease_constraints: i.lease_constraints as never } : {}),
    });
    return { child_job_id: out.childJobId, child_status: out.finalStatus, child_result: out.error ? { error: out.error } : (out.result ?? null) };
  } catch (err) {
    if (!isARCPError(err)) throw err;
    // The refusal was already reported as a tool_result error (call_id = delegate_id).
    return { outcomes: [{ allowed: false, code: err.code }] };
  }
};

/** Registers conformance.tools / spender / model / delegator on a runtime. */
export function registerAuthorityConformanceAgents(runtime: ARCPRuntime, opts: { clock?: Clock } = {}): ARCPRuntime {
  runtime.registerAgent('conformance.tools', tools(opts.clock ?? runtime.timers));
  runtime.registerAgent('conformance.spender', spender);
  runtime.registerAgent('conformance.model', model);
  runtime.registerAgent('conformance.delegator', delegator);
  return runtime;
}
