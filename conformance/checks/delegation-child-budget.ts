// §9.4/§10 from the child's side, budget: a budgeted parent delegating to a child that names no
// cost.budget must not hand it more than the parent's remaining budget. An absent budget reads as
// unbounded, so the child's own job.accepted must show a budget within the parent's (or the
// delegation is refused LEASE_SUBSET_VIOLATION). The other delegation-budget check always names
// a child budget, so "no child budget = no limit" passed it.
import { field, jobIdOf, type Envelope } from '../driver/wire.js';
import { AGENTS, inlineResult, scenario } from './define.js';
import { NotApplicable, require_ } from './outcomes.js';
import type { CheckDef } from './types.js';
import { acceptedOf, subscribe } from './wire-probes.js';

const PARENT_USD = 1;

/** A budget counter in any documented form (catalog §10 #16): number, decimal string or "USD:1.00". */
function amountOf(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v !== 'string') return undefined;
  const n = Number(v.includes(':') ? v.slice(v.indexOf(':') + 1) : v);
  return Number.isFinite(n) ? n : undefined;
}

/** The USD ceiling a job.accepted shows: its budget counter, else its lease's cost.budget. */
function usdCeiling(accepted: Envelope): number | undefined {
  const counter = amountOf(field(accepted, 'payload', 'budget', 'USD'));
  if (counter !== undefined) return counter;
  const amounts = field(accepted, 'payload', 'lease', 'cost.budget');
  const usd = Array.isArray(amounts) ? amounts.map(String).find((a) => a.startsWith('USD:')) : undefined;
  return usd === undefined ? undefined : amountOf(usd);
}

/** The error code of a refused delegation (tool_result error, delegator outcome or job.error); undefined for a grant. */
function refusalOf(first: Envelope): string | undefined {
  if (first.type === 'job.accepted') return undefined;
  if (first.type === 'job.event') return String(field(first, 'payload', 'body', 'error', 'code'));
  if (first.type === 'job.error') return String(field(first, 'payload', 'code'));
  const outcome = (field(inlineResult(first), 'outcomes') as unknown[] | undefined)?.[0];
  return outcome === undefined ? undefined : String(field(outcome, 'code'));
}

export const delegationChildBudgetChecks: CheckDef[] = [
  scenario({
    id: '10/delegation/child-inherits-budget',
    statements: ['S10-01', 'S9.4-02'],
    spec: '§9.4, §10',
    level: 'MUST',
    title: 'a child that names no cost.budget under a parent budgeted USD:1.00 shows a USD budget of at most 1.00 in its own job.accepted (or is refused LEASE_SUBSET_VIOLATION)',
    feature: 'cost.budget',
    agents: [AGENTS.delegator, AGENTS.echo],
    async run(ctx) {
      const s = await ctx.open('A');
      const parentAccepted = await ctx.submitRaw(s, AGENTS.delegator, { agent: AGENTS.echo, input: { b: 1 }, lease_request: {} }, { lease_request: { 'agent.delegate': ['conformance.*'], 'cost.budget': [`USD:${PARENT_USD.toFixed(2)}`] } });
      require_(parentAccepted.type === 'job.accepted', `delegator submit answered by ${parentAccepted.type} ${String(field(parentAccepted, 'payload', 'code') ?? '')}`, parentAccepted);
      const parentId = String(jobIdOf(parentAccepted));
      const trace = parentAccepted.trace_id;
      // the child's own job.accepted, the refusal's tool_result or the delegator's terminal, whichever
      // comes first: the child side is judged even when the parent never ends
      const first = await s.conn.expect(
        (m) =>
          ((m.type === 'job.result' || m.type === 'job.error') && m.job_id === parentId) ||
          (m.type === 'job.event' && m.job_id === parentId && field(m, 'payload', 'kind') === 'tool_result' && field(m, 'payload', 'body', 'error') != null) ||
          (m.type === 'job.accepted' && typeof trace === 'string' && m.trace_id === trace && m.job_id !== parentId && String(field(m, 'payload', 'agent')).split('@')[0] === AGENTS.echo),
        'the child\'s job.accepted, the delegation\'s refusal or the delegator\'s terminal',
        Math.max(ctx.timeoutMs, 5000),
      );
      const refusalCode = refusalOf(first);
      if (refusalCode !== undefined) {
        // refusing an unbudgeted child is the other conformant answer
        require_(refusalCode === 'LEASE_SUBSET_VIOLATION', `the delegation was refused with ${refusalCode}, expected LEASE_SUBSET_VIOLATION or a grant`);
        return;
      }
      const childId = first.type === 'job.accepted' ? String(first.job_id) : field(inlineResult(first), 'child_job_id');
      require_(typeof childId === 'string', `the delegator reported neither a child nor a refusal: ${JSON.stringify(inlineResult(first))}`);
      let frames = s.conn.messages();
      if (!acceptedOf(frames, childId) && s.features.includes('subscribe')) {
        await subscribe(s, childId, { history: true, from_event_seq: 0 });
        frames = s.conn.messages();
      }
      const childAccepted = acceptedOf(frames, childId) ?? frames.find((m) => m.type === 'job.subscribed' && field(m, 'payload', 'job_id') === childId);
      if (!childAccepted) throw new NotApplicable('the child job\'s frames are not observable on the submitting session (neither routed nor subscribable)');
      const ceiling = usdCeiling(childAccepted);
      require_(ceiling !== undefined, `the child's ${childAccepted.type} shows no USD budget: it runs unbounded under a parent budgeted USD:${PARENT_USD.toFixed(2)} (§9.4, §10)`);
      require_(ceiling <= PARENT_USD, `the child's ${childAccepted.type} shows USD ${ceiling}, more than the parent's USD:${PARENT_USD.toFixed(2)}`);
    },
  }),
];
