// §9.5 "on every operation" and §9.6 "any operation through the lease", per kind of operation:
// each kind is often its own gate in a runtime (the model gate, the delegation path, the tool
// gate), and a gate that forgets the expiry or the budget counters passes every check that only
// tries fs.read. Found by a second independent attack (a model gate without the expiry check, a
// delegation path without the budget check). Verdicts are read from the job's own frames.
import { field, jobIdOf, type Envelope } from '../driver/wire.js';
import type { Session } from '../driver/session.js';
import { AGENTS, scenario } from './define.js';
import { NotApplicable, require_, Violation } from './outcomes.js';
import type { CheckDef } from './types.js';
import { delegationOnWire, opsOnWire } from './wire-probes.js';

interface Op {
  capability: string;
  target: string;
  lease: Record<string, string[]>;
}

/** One covered operation of each kind the session can ask for. */
function opKinds(s: Session): Op[] {
  const ops: Op[] = [
    { capability: 'fs.read', target: '/w/a', lease: { 'fs.read': ['/w/**'] } },
    { capability: 'fs.write', target: '/w/a', lease: { 'fs.write': ['/w/**'] } },
    { capability: 'net.fetch', target: 'https://api.example.com/v1', lease: { 'net.fetch': ['https://api.example.com/**'] } },
    { capability: 'tool.call', target: 'search', lease: { 'tool.call': ['search'] } },
  ];
  if (s.features.includes('model.use')) ops.push({ capability: 'model.use', target: 'tier-fast/m1', lease: { 'model.use': ['tier-fast/*'] } });
  return ops;
}

export const operationGateChecks: CheckDef[] = [
  scenario({
    id: '9.5/expiry/every-operation-kind',
    statements: ['S9.5-02', 'S9.5-03'],
    spec: '§9.5',
    level: 'MUST',
    title: 'after expires_at no operation of any kind is allowed (fs.read, fs.write, net.fetch, tool.call, model.use): each fails LEASE_EXPIRED or the job has already ended LEASE_EXPIRED',
    feature: 'lease_expires_at',
    agents: [AGENTS.tools],
    async run(ctx) {
      const s = await ctx.open('A');
      // as 9.5/expiry/ops-after-expiry-fail: expiry 1 s ahead, the op 2.5 s after submit (past a ~1 s grace)
      const jobs: Array<{ op: Op; jobId: string }> = [];
      for (const op of opKinds(s)) {
        const accepted = await ctx.submitRaw(s, AGENTS.tools, { ops: [{ capability: op.capability, target: op.target }], delay_ms: 2500 }, { lease_request: op.lease, lease_constraints: { expires_at: new Date(Date.now() + 1000).toISOString() } });
        require_(accepted.type === 'job.accepted', `${op.capability}: submit answered by ${accepted.type} ${String(field(accepted, 'payload', 'code') ?? '')}`, accepted);
        jobs.push({ op, jobId: String(jobIdOf(accepted)) });
      }
      for (const { op, jobId } of jobs) {
        const term = await ctx.terminal(s, jobId, Math.max(ctx.timeoutMs, 8000));
        const late = opsOnWire(s.conn.messages(), jobId).find((o) => o.allowed);
        if (late) throw new Violation(`${op.capability} ${op.target} was allowed 1.5 s after expires_at (${late.frame})`);
        const denied = opsOnWire(s.conn.messages(), jobId).find((o) => !o.allowed);
        if (denied) require_(denied.code === 'LEASE_EXPIRED', `${op.capability} after expires_at denied with ${String(denied.code)} (${denied.frame}), expected LEASE_EXPIRED`);
        require_(term.type === 'job.error' && field(term, 'payload', 'code') === 'LEASE_EXPIRED', `the ${op.capability} job ended with ${term.type} ${String(field(term, 'payload', 'code') ?? '')}, expected job.error LEASE_EXPIRED`, term);
      }
    },
  }),
  scenario({
    id: '9.6/budget/every-operation-kind',
    statements: ['S9.6-04', 'S9.6-05'],
    spec: '§9.6',
    level: 'MUST',
    title: 'with a counter at zero every operation the spec names fails BUDGET_EXHAUSTED: tool.call, fs.read, fs.write, net.fetch, and agent.delegate (no child job is accepted)',
    feature: 'cost.budget',
    agents: [AGENTS.spender, AGENTS.delegator, AGENTS.echo],
    async run(ctx) {
      const s = await ctx.open('A');
      for (const op of opKinds(s).filter((o) => o.capability !== 'model.use')) {
        // one cost of the whole budget, then the operation (§9.6: <= 0 is exhausted)
        const accepted = await ctx.submitRaw(s, AGENTS.spender, { costs: [{ amount: 1, currency: 'USD' }], op: { capability: op.capability, target: op.target } }, { lease_request: { ...op.lease, 'cost.budget': ['USD:1.00'] } });
        require_(accepted.type === 'job.accepted', `${op.capability}: submit answered by ${accepted.type}`, accepted);
        const jobId = String(jobIdOf(accepted));
        const term = await ctx.terminal(s, jobId);
        const wire = opsOnWire(s.conn.messages(), jobId);
        if (wire.some((o) => o.allowed)) throw new Violation(`${op.capability} ${op.target} was allowed with the USD counter at 0 (${wire.find((o) => o.allowed)!.frame})`);
        const refused = wire.some((o) => o.code === 'BUDGET_EXHAUSTED') || (term.type === 'job.error' && field(term, 'payload', 'code') === 'BUDGET_EXHAUSTED');
        require_(refused, `${op.capability} with the counter at 0: no BUDGET_EXHAUSTED on the wire (${wire.map((o) => `${String(o.code)} ${o.frame}`).join(', ') || 'no tool_result'}; terminal ${term.type})`, term);
      }
      // agent.delegate: the delegator cannot spend first, so its budget starts at zero
      const parent = await ctx.submitRaw(s, AGENTS.delegator, { agent: AGENTS.echo, input: { d: 1 }, lease_request: {} }, { lease_request: { 'agent.delegate': ['conformance.*'], 'cost.budget': ['USD:0'] } });
      if (parent.type !== 'job.accepted') throw new NotApplicable(`the peer refuses a zero budget at submission (${parent.type} ${String(field(parent, 'payload', 'code') ?? '')}); the other kinds were checked`);
      const parentId = String(jobIdOf(parent));
      const seen = await delegationOnWire(s, parentId, Math.max(ctx.timeoutMs, 5000));
      if (seen.child) throw new Violation(`a parent whose only budget is USD:0 delegated: child ${String(jobIdOf(seen.child))} was accepted`, { frame: seen.child });
      const term = seen.terminal;
      const refused = seen.refusal === 'BUDGET_EXHAUSTED' || (term?.type === 'job.error' && field(term, 'payload', 'code') === 'BUDGET_EXHAUSTED');
      require_(refused, 'a delegation under USD:0 was not refused BUDGET_EXHAUSTED', term);
    },
  }),
];
