// §9.4 lease subsetting and §10 delegation, driven through conformance.delegator: patterns,
// remaining budget and expiry of the child lease are bounded by the parent's.
import { field, jobIdOf } from '../driver/wire.js';
import type { Session } from '../driver/session.js';
import type { CheckContext, SubmitOptions } from '../runner/context.js';
import { runOps } from './authority.js';
import { AGENTS, inlineResult, scenario } from './define.js';
import { require_, Violation } from './outcomes.js';
import type { CheckDef } from './types.js';
import { delegationOnWire } from './wire-probes.js';

/** Delegates `child` under `parent`; true when the runtime refused with LEASE_SUBSET_VIOLATION. */
async function delegationRefused(ctx: CheckContext, s: Session, child: Record<string, unknown>, parent: SubmitOptions): Promise<boolean> {
  const r = await runOps(ctx, s, AGENTS.delegator, { agent: AGENTS.echo, input: { d: 1 }, ...child }, parent);
  const o = r.outcomes?.[0];
  if (o && o.allowed === false) {
    require_(o.code === 'LEASE_SUBSET_VIOLATION', `delegation refused with ${String(o.code)}, expected LEASE_SUBSET_VIOLATION`);
    return true;
  }
  require_(r.term.type === 'job.result', `delegator ended with ${r.term.type} ${String(field(r.term, 'payload', 'code') ?? '')}`);
  require_(typeof field(inlineResult(r.term), 'child_job_id') === 'string', `delegation reported neither a child nor a refusal: ${JSON.stringify(inlineResult(r.term))}`);
  return false;
}

export const delegationChecks: CheckDef[] = [
  scenario({
    id: '9.4/delegation/subset-enforced',
    statements: ['S9.4-01'],
    spec: '§9.4, §10',
    level: 'MUST',
    title: 'delegating a wider lease fails LEASE_SUBSET_VIOLATION; a narrower one runs the child',
    agents: [AGENTS.delegator, AGENTS.echo],
    async run(ctx) {
      const s = await ctx.open('A');
      const parent = { lease_request: { 'agent.delegate': ['conformance.*'], 'fs.read': ['/w/**'] } };
      require_(await delegationRefused(ctx, s, { lease_request: { 'fs.read': ['/**'] } }, parent), 'a child lease wider than the parent (/** under /w/**) was granted');
      require_(await delegationRefused(ctx, s, { lease_request: { 'fs.write': ['/w/a'] } }, parent), 'a child lease naming a capability the parent lacks was granted');
      require_(!(await delegationRefused(ctx, s, { lease_request: { 'fs.read': ['/w/a/**'] } }, parent)), 'a narrower child lease was refused');
    },
  }),
  scenario({
    id: '9.4/delegation/no-wildcard-widening',
    statements: ['S9.4-01'],
    spec: '§9.2, §9.4',
    level: 'MUST',
    title: 'a child pattern whose wildcards reach further than the parent\'s is refused LEASE_SUBSET_VIOLATION: `**` under `*`, a deeper path under `*`, `*` under a prefix glob',
    agents: [AGENTS.delegator, AGENTS.echo],
    async run(ctx) {
      const s = await ctx.open('A');
      // pairs where the child's text looks covered segment by segment (Go #147 class)
      const cases: Array<[parent: string, child: string]> = [
        ['/w/*', '/w/**'],
        ['/w/*', '/w/*/x'],
        ['/w/a*', '/w/*'],
        ['/w/*/x', '/w/**/x'],
      ];
      // read from the wire (the child's job.accepted or the refusal), not from the delegator's result
      const delegate = async (p: string, c: string) => {
        const parent = await ctx.submitRaw(s, AGENTS.delegator, { agent: AGENTS.echo, input: { d: 1 }, lease_request: { 'fs.read': [c] } }, { lease_request: { 'agent.delegate': ['conformance.*'], 'fs.read': [p] } });
        require_(parent.type === 'job.accepted', `the delegator under fs.read ${p} was answered by ${parent.type}`, parent);
        return delegationOnWire(s, String(jobIdOf(parent)), Math.max(ctx.timeoutMs, 5000));
      };
      for (const [p, c] of cases) {
        const seen = await delegate(p, c);
        if (seen.child) throw new Violation(`a child fs.read ${c} under a parent's ${p} was granted (it matches targets the parent's does not)`, { frame: seen.child });
        require_(seen.refusal === 'LEASE_SUBSET_VIOLATION', `a child fs.read ${c} under ${p}: refused with ${String(seen.refusal ?? 'no tool_result')}, expected LEASE_SUBSET_VIOLATION`, seen.terminal);
      }
      const control = await delegate('/w/*', '/w/a');
      require_(control.child !== undefined, `a child literal /w/a under /w/* was refused (${String(control.refusal)})`, control.terminal);
    },
  }),
  scenario({
    id: '9.4/delegation/budget-within-remaining',
    statements: ['S9.4-02', 'S10-01'],
    spec: '§9.4, §10',
    level: 'MUST',
    title: 'a child cost.budget above the parent\'s remaining budget fails LEASE_SUBSET_VIOLATION; one within it is granted',
    feature: 'cost.budget',
    agents: [AGENTS.delegator, AGENTS.echo],
    async run(ctx) {
      const s = await ctx.open('A');
      const parent = { lease_request: { 'agent.delegate': ['conformance.*'], 'cost.budget': ['USD:1.00'] } };
      require_(await delegationRefused(ctx, s, { lease_request: { 'cost.budget': ['USD:2.00'] } }, parent), 'a child budget of USD:2.00 under USD:1.00 was granted');
      require_(await delegationRefused(ctx, s, { lease_request: { 'cost.budget': ['EUR:1.00'] } }, parent), 'a child budget in a currency the parent lacks was granted');
      require_(!(await delegationRefused(ctx, s, { lease_request: { 'cost.budget': ['USD:0.50'] } }, parent)), 'a child budget of USD:0.50 under USD:1.00 was refused');
    },
  }),
  scenario({
    id: '9.4/delegation/expiry-not-later',
    statements: ['S9.4-03', 'S9.4-04', 'S10-01'],
    spec: '§9.4, §9.5',
    level: 'MUST',
    title: 'a child expires_at later than the parent\'s (by minutes, or by half a second written with another precision) fails LEASE_SUBSET_VIOLATION; an earlier one is granted',
    feature: 'lease_expires_at',
    agents: [AGENTS.delegator, AGENTS.echo],
    async run(ctx) {
      const s = await ctx.open('A');
      const at = (sec: number) => new Date(Date.now() + sec * 1000).toISOString();
      const parent = { lease_request: { 'agent.delegate': ['conformance.*'] }, lease_constraints: { expires_at: at(120) } };
      require_(await delegationRefused(ctx, s, { lease_request: {}, lease_constraints: { expires_at: at(600) } }, parent), 'a child expiring after its parent was granted');
      require_(!(await delegationRefused(ctx, s, { lease_request: {}, lease_constraints: { expires_at: at(60) } }, parent)), 'a child expiring before its parent was refused');
      // compared as instants, not as text: "…:00.500Z" sorts before "…:00Z" but is half a second later
      const whole = new Date(Math.ceil((Date.now() + 120_000) / 1000) * 1000).toISOString().replace('.000Z', 'Z');
      const halfLater = whole.replace('Z', '.500Z');
      const wholeParent = { ...parent, lease_constraints: { expires_at: whole } };
      require_(await delegationRefused(ctx, s, { lease_request: {}, lease_constraints: { expires_at: halfLater } }, wholeParent), `a child expiring at ${halfLater}, after its parent's ${whole}, was granted (timestamps compared as text?)`);
    },
  }),
  scenario({
    id: '9.4/delegation/needs-agent-delegate',
    statements: ['S9.1-01'],
    spec: '§9.1, §9.4',
    level: 'MUST',
    title: 'a parent without an agent.delegate grant covering the child agent cannot delegate',
    agents: [AGENTS.delegator, AGENTS.echo],
    async run(ctx) {
      const s = await ctx.open('A');
      const r = await runOps(ctx, s, AGENTS.delegator, { agent: AGENTS.echo, input: {}, lease_request: {} }, { lease_request: { 'agent.delegate': ['other.*'] } });
      const o = r.outcomes?.[0];
      require_(o !== undefined && o.allowed === false, `delegation without an agent.delegate grant reported ${JSON.stringify(inlineResult(r.term))}`);
      require_(o.code === 'PERMISSION_DENIED' || o.code === 'LEASE_SUBSET_VIOLATION', `refused with ${String(o.code)}`);
    },
  }),
];
