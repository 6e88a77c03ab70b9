// §9.4/§10/§11 from the child's side: what the delegated job's own job.accepted says (lease,
// inherited expiry, trace_id) and how its own operations are enforced. The parent agent's
// report is not trusted; the child's frames are read on the submitting session or, if the
// runtime does not route them there, through a same-principal subscribe with history.
import { field, jobIdOf, type Envelope } from '../driver/wire.js';
import type { Session } from '../driver/session.js';
import type { CheckContext, SubmitOptions } from '../runner/context.js';
import { AGENTS, inlineResult, scenario } from './define.js';
import { NotApplicable, require_ } from './outcomes.js';
import type { CheckDef } from './types.js';
import { acceptedOf, opsOnWire, requireOpsOnWire, subscribe } from './wire-probes.js';

export interface Delegation {
  parentAccepted: Envelope;
  childId: string;
  childAccepted: Envelope;
  frames: Envelope[];
}

/** Runs conformance.delegator and returns the child's own frames (accepted, events, terminal). */
export async function delegate(ctx: CheckContext, s: Session, child: Record<string, unknown>, parent: SubmitOptions): Promise<Delegation> {
  const parentAccepted = await ctx.submitRaw(s, AGENTS.delegator, child, parent);
  require_(parentAccepted.type === 'job.accepted', `delegator submit answered by ${parentAccepted.type} ${String(field(parentAccepted, 'payload', 'code') ?? '')}`, parentAccepted);
  const parentId = String(jobIdOf(parentAccepted));
  const trace = parentAccepted.trace_id;
  const childAgent = String(child.agent);
  // the child's own job.accepted (same trace, another job) or the parent's terminal, whichever comes first:
  // the child side is judged even when the parent never ends
  const first = await s.conn.expect(
    (m) =>
      ((m.type === 'job.result' || m.type === 'job.error') && m.job_id === parentId) ||
      (m.type === 'job.accepted' && typeof trace === 'string' && m.trace_id === trace && m.job_id !== parentId && String(field(m, 'payload', 'agent')).split('@')[0] === childAgent),
    'the child\'s job.accepted or the delegator\'s terminal',
    Math.max(ctx.timeoutMs, 5000),
  );
  const childId = first.type === 'job.accepted' ? String(first.job_id) : field(inlineResult(first), 'child_job_id');
  require_(typeof childId === 'string', `the delegation was not granted: ${JSON.stringify(inlineResult(first))}`);
  if (first.type === 'job.accepted') await ctx.terminal(s, childId, Math.max(ctx.timeoutMs, 5000));
  let frames = s.conn.messages();
  if (!acceptedOf(frames, childId) && s.features.includes('subscribe')) {
    const sub = await subscribe(s, childId, { history: true, from_event_seq: 0 });
    if (sub.type === 'job.subscribed') await s.conn.arrives((m) => m.job_id === childId && (m.type === 'job.result' || m.type === 'job.error'), ctx.timeoutMs);
    frames = s.conn.messages();
  }
  const childAccepted = acceptedOf(frames, childId) ?? frames.find((m) => m.type === 'job.subscribed' && field(m, 'payload', 'job_id') === childId);
  if (!childAccepted) throw new NotApplicable('the child job\'s frames are not observable on the submitting session (neither routed nor subscribable)');
  return { parentAccepted, childId, childAccepted, frames };
}

export const delegationChildChecks: CheckDef[] = [
  scenario({
    id: '10/delegation/child-side',
    statements: ['S10-02', 'S11-01', 'S9.4-01', 'S7.1-01'],
    spec: '§9.4, §10, §11',
    level: 'MUST',
    title: 'the child\'s own job.accepted shows the narrower lease and the parent\'s trace_id; the child\'s ops are enforced against its own lease (an op the parent could do is denied) on the wire',
    agents: [AGENTS.delegator, AGENTS.tools],
    async run(ctx) {
      const s = await ctx.open('A');
      const ops = [
        { capability: 'fs.read', target: '/w/b/x' }, // inside the parent's /w/**, outside the child's /w/a/**
        { capability: 'fs.read', target: '/w/a/x' },
        { capability: 'fs.write', target: '/w/a/x' }, // the parent has it, the child did not ask
      ];
      const d = await delegate(
        ctx,
        s,
        { agent: AGENTS.tools, input: { ops }, lease_request: { 'fs.read': ['/w/a/**'] } },
        { lease_request: { 'agent.delegate': ['conformance.*'], 'fs.read': ['/w/**'], 'fs.write': ['/w/**'] } },
      );
      const lease = field(d.childAccepted, 'payload', 'lease') as Record<string, unknown> | undefined;
      require_(lease !== undefined, 'the child\'s job.accepted carries no lease');
      require_(JSON.stringify(lease['fs.read']) === JSON.stringify(['/w/a/**']), `the child's lease fs.read is ${JSON.stringify(lease['fs.read'])}, expected ["/w/a/**"]`);
      require_(lease['fs.write'] === undefined && lease['agent.delegate'] === undefined, `the child's lease carries grants it did not ask for: ${JSON.stringify(lease)}`);
      const trace = d.parentAccepted.trace_id;
      if (typeof trace === 'string') require_(d.childAccepted.trace_id === trace, `the child job carries trace_id ${String(d.childAccepted.trace_id)}, not the parent's ${trace} (§11)`);
      requireOpsOnWire(d.frames, d.childId, [
        { allowed: false, codes: ['PERMISSION_DENIED'], what: 'fs.read /w/b/x (parent lease only)' },
        { allowed: true, what: 'fs.read /w/a/x (child lease)' },
        { allowed: false, codes: ['PERMISSION_DENIED'], what: 'fs.write /w/a/x (parent lease only)' },
      ], 'child operations');
    },
  }),
  scenario({
    id: '10/delegation/child-inherits-expiry',
    statements: ['S9.4-05', 'S10-01'],
    spec: '§9.4, §9.5',
    level: 'MUST',
    title: 'a child that omits lease_constraints inherits the parent\'s expires_at: its job.accepted names an expiry no later than the parent\'s',
    feature: 'lease_expires_at',
    agents: [AGENTS.delegator, AGENTS.echo],
    async run(ctx) {
      const s = await ctx.open('A');
      const expiresAt = new Date(Date.now() + 120_000).toISOString();
      const d = await delegate(ctx, s, { agent: AGENTS.echo, input: { d: 1 }, lease_request: {} }, { lease_request: { 'agent.delegate': ['conformance.*'] }, lease_constraints: { expires_at: expiresAt } });
      const childAt = field(d.childAccepted, 'payload', 'lease_constraints', 'expires_at');
      require_(typeof childAt === 'string', `the child's job.accepted shows no expires_at (the parent's ${expiresAt} is inherited, §9.4)`);
      require_(Date.parse(childAt) <= Date.parse(expiresAt), `the child expires at ${childAt}, after the parent's ${expiresAt}`);
    },
  }),
  scenario({
    id: '9.4/delegation/model-subset',
    statements: ['S9.4-06'],
    spec: '§9.4, §9.7',
    level: 'MUST',
    title: 'a child naming a model the parent\'s model.use does not cover is refused LEASE_SUBSET_VIOLATION; a covered one is granted',
    feature: 'model.use',
    agents: [AGENTS.delegator, AGENTS.echo],
    async run(ctx) {
      const s = await ctx.open('A');
      const parent = { lease_request: { 'agent.delegate': ['conformance.*'], 'model.use': ['tier-fast/*'] } };
      const wide = await ctx.submit(s, AGENTS.delegator, { agent: AGENTS.echo, input: {}, lease_request: { 'model.use': ['tier-slow/big'] } }, parent);
      const wt = await ctx.terminal(s, wide);
      const refusal = opsOnWire(s.conn.messages(), wide).find((o) => !o.allowed);
      const reported = field(inlineResult(wt), 'outcomes', '0', 'code');
      require_(typeof field(inlineResult(wt), 'child_job_id') !== 'string', 'a child model.use outside the parent\'s was granted', wt);
      require_((refusal?.code ?? reported ?? field(wt, 'payload', 'code')) === 'LEASE_SUBSET_VIOLATION', `the wider model.use was refused with ${String(refusal?.code ?? reported)}`, wt);
      const narrow = await ctx.submit(s, AGENTS.delegator, { agent: AGENTS.echo, input: {}, lease_request: { 'model.use': ['tier-fast/small'] } }, parent);
      const nt = await ctx.terminal(s, narrow);
      require_(typeof field(inlineResult(nt), 'child_job_id') === 'string', `a covered child model.use was refused: ${JSON.stringify(inlineResult(nt))}`, nt);
    },
  }),
];
