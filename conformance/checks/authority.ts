// §9 leases, expiry, budgets, models and §9.4/§10 delegation, driven through the conformance
// agents (tools, spender, model, delegator) and judged by the harness's own oracle (model/).
import { field, type Envelope } from '../driver/wire.js';
import type { Session } from '../driver/session.js';
import type { CheckContext, SubmitOptions } from '../runner/context.js';
import { leaseAllows } from '../model/lease-oracle.js';
import { AGENTS, inlineResult, requireErrorCode, scenario } from './define.js';
import { require_, Violation } from './outcomes.js';
import type { CheckDef } from './types.js';
import { opsOnWire } from './wire-probes.js';

export interface Outcome {
  allowed: boolean;
  code?: string;
}

/** Runs an authority agent and returns its terminal and reported outcomes. */
export async function runOps(
  ctx: CheckContext,
  s: Session,
  agent: string,
  input: unknown,
  opts: SubmitOptions,
): Promise<{ term: Envelope; outcomes: Outcome[] | undefined; jobId: string }> {
  const jobId = await ctx.submit(s, agent, input, opts);
  const term = await ctx.terminal(s, jobId);
  const raw = field(inlineResult(term), 'outcomes');
  const outcomes = Array.isArray(raw) ? raw.map((o) => ({ allowed: field(o, 'allowed') === true, code: field(o, 'code') as string | undefined })) : undefined;
  // The verdict is the wire's (the job's tool_result frames); the agent's report must agree with it.
  const wire = opsOnWire(s.conn.messages(), jobId);
  if (wire.length === 0 || !outcomes) return { term, outcomes, jobId };
  const differs = outcomes.length !== wire.length || outcomes.some((o, i) => o.allowed !== wire[i].allowed || (!o.allowed && o.code !== wire[i].code));
  if (differs) throw new Violation(`the agent reported ${JSON.stringify(outcomes)} but the wire shows ${JSON.stringify(wire.map((w) => ({ allowed: w.allowed, code: w.code })))} (${wire.map((w) => w.frame).join(', ')})`);
  return { term, outcomes: wire.map((w) => ({ allowed: w.allowed, ...(w.code ? { code: w.code } : {}) })), jobId };
}

export function requireOutcomes(outcomes: Outcome[] | undefined, expected: Outcome[], what: string): void {
  if (!outcomes) throw new Violation(`${what}: the agent reported no outcomes`);
  require_(outcomes.length === expected.length, `${what}: ${outcomes.length} outcomes, expected ${expected.length}`);
  expected.forEach((e, i) => {
    const got = outcomes[i];
    if (got.allowed !== e.allowed) throw new Violation(`${what}: op ${i + 1} ${got.allowed ? 'allowed' : `denied (${String(got.code)})`}, expected ${e.allowed ? 'allowed' : `denied ${String(e.code)}`}`);
    if (!e.allowed && e.code && got.code !== e.code) throw new Violation(`${what}: op ${i + 1} denied with ${String(got.code)}, expected ${e.code}`);
  });
}

export const DENIED: Outcome = { allowed: false, code: 'PERMISSION_DENIED' };
export const ALLOWED: Outcome = { allowed: true };

export const authorityChecks: CheckDef[] = [
  scenario({
    id: '9.2/glob/star-is-one-segment',
    statements: ['S9.2-01', 'S9.3-02'],
    spec: '§9.2, §9.3',
    level: 'MUST',
    title: 'a lease pattern `*` matches one path segment only, `**` any depth (catalog §6.14)',
    agents: [AGENTS.tools],
    async run(ctx) {
      const s = await ctx.open('A');
      const lease = { 'fs.read': ['/w/*'], 'fs.write': ['/w/**'] };
      const ops = [
        { capability: 'fs.read', target: '/w/a' },
        { capability: 'fs.read', target: '/w/a/b' },
        { capability: 'fs.write', target: '/w/a/b/c' },
        { capability: 'net.fetch', target: 'https://example.com/x' },
      ];
      const { outcomes } = await runOps(ctx, s, AGENTS.tools, { ops }, { lease_request: lease });
      requireOutcomes(outcomes, ops.map((o) => (leaseAllows(lease, o.capability, o.target) ? ALLOWED : DENIED)), 'glob segments');
    },
  }),
  scenario({
    id: '9.5/expiry/invalid-rejected',
    statements: ['S9.5-01'],
    spec: '§9.5',
    level: 'MUST',
    title: 'lease_constraints.expires_at in the past or not UTC `Z` is rejected with INVALID_REQUEST',
    feature: 'lease_expires_at',
    agents: [AGENTS.echo],
    async run(ctx) {
      const s = await ctx.open('A');
      for (const bad of ['2001-01-01T00:00:00Z', new Date(Date.now() + 3_600_000).toISOString().replace('Z', '+00:00')]) {
        // raw: the non-`Z` form fails our own strict schema, which is the point
        const reply = await ctx.submitRaw(s, AGENTS.echo, {}, { lease_constraints: { expires_at: bad } }, { raw: true });
        requireErrorCode(reply, ['INVALID_REQUEST'], `expires_at ${bad}`);
      }
    },
  }),
  scenario({
    id: '9.5/expiry/ops-after-expiry-fail',
    statements: ['S7.3-02', 'S9.5-02', 'S9.5-03', 'S9.5-04'],
    spec: '§9.5, §12',
    level: 'MUST',
    title: 'an operation after expires_at fails LEASE_EXPIRED and the job ends in job.error LEASE_EXPIRED, final_status "error", retryable false',
    feature: 'lease_expires_at',
    agents: [AGENTS.tools],
    async run(ctx) {
      const s = await ctx.open('A');
      // expiry 1 s ahead, the op 2.5 s after submit: past any ~1 s grace (§14), so only a real
      // grant after expiry fails the check, never scheduling noise.
      const ops = [{ capability: 'fs.read', target: '/w/a' }];
      const late = await ctx.submitRaw(s, AGENTS.tools, { ops, delay_ms: 2500 }, { lease_request: { 'fs.read': ['/w/**'] }, lease_constraints: { expires_at: new Date(Date.now() + 1000).toISOString() } });
      require_(late.type === 'job.accepted', `submit answered by ${late.type}`, late);
      const term = await ctx.terminal(s, String(late.job_id), Math.max(ctx.timeoutMs, 8000));
      const allowedLate = s.conn.messages().filter((m) => m.job_id === late.job_id && field(m, 'payload', 'kind') === 'tool_result' && field(m, 'payload', 'body', 'result', 'allowed') === true);
      require_(allowedLate.length === 0, 'an operation 1.5 s after expires_at was allowed');
      require_(term.type === 'job.error' && field(term, 'payload', 'code') === 'LEASE_EXPIRED', `expired job ended with ${term.type} ${String(field(term, 'payload', 'code'))}`, term);
      require_(field(term, 'payload', 'final_status') === 'error', `final_status ${String(field(term, 'payload', 'final_status'))}`, term);
      require_(field(term, 'payload', 'retryable') === false, 'LEASE_EXPIRED sent with retryable true', term);
    },
  }),
  scenario({
    id: '9.6/budget/exact-decimal',
    statements: ['S9.6-02', 'S9.6-05'],
    spec: '§9.6',
    level: 'MUST',
    title: 'budget arithmetic is exact to the cent: USD:0.30 minus 3 x 0.10, and USD:0.70 minus 0.70, leave 0, so the next op is BUDGET_EXHAUSTED',
    feature: 'cost.budget',
    agents: [AGENTS.spender],
    async run(ctx) {
      const s = await ctx.open('A');
      // 0.1 x 3 drifts above 0 in binary64; 0.70 rounds below itself in binary32: both must be exact.
      const cases: { budget: string; costs: number[] }[] = [
        { budget: '0.30', costs: [0.1, 0.1, 0.1] },
        { budget: '0.70', costs: [0.7] },
      ];
      for (const c of cases) {
        const { outcomes, term } = await runOps(
          ctx,
          s,
          AGENTS.spender,
          { costs: c.costs.map((amount) => ({ amount, currency: 'USD' })), op: { capability: 'tool.call', target: 'search' } },
          { lease_request: { 'cost.budget': [`USD:${c.budget}`], 'tool.call': ['search'] } },
        );
        const what = `budget ${c.budget} - ${c.costs.join(' - ')}`;
        if (term.type === 'job.error') {
          // the fatal form is allowed (§9.6 MAY)
          require_(field(term, 'payload', 'code') === 'BUDGET_EXHAUSTED', `${what}: spender ended with ${String(field(term, 'payload', 'code'))}`, term);
          continue;
        }
        requireOutcomes(outcomes, [...c.costs.slice(1).map(() => ALLOWED), { allowed: false, code: 'BUDGET_EXHAUSTED' }], what);
      }
    },
  }),
  scenario({
    id: '9.6/budget/accepted-counters',
    statements: ['S7.1-02', 'S9.6-01'],
    spec: '§7.1, §9.6',
    level: 'MUST',
    title: 'job.accepted echoes initial budget counters per currency (duplicates add up)',
    feature: 'cost.budget',
    agents: [AGENTS.echo],
    async run(ctx) {
      const s = await ctx.open('A');
      const reply = await ctx.submitRaw(s, AGENTS.echo, {}, { lease_request: { 'cost.budget': ['USD:5.00', 'credits:1000'] } });
      require_(reply.type === 'job.accepted', `submit answered by ${reply.type}`, reply);
      const b = field(reply, 'payload', 'budget');
      require_(Number(field(b, 'USD')) === 5 && Number(field(b, 'credits')) === 1000, `job.accepted budget is ${JSON.stringify(b)}`);
    },
  }),
  scenario({
    id: '9.7/model/gate',
    statements: ['S9.7-01'],
    spec: '§9.7',
    level: 'MUST',
    title: 'model invocations outside the lease\'s model.use globs fail PERMISSION_DENIED',
    feature: 'model.use',
    agents: [AGENTS.model],
    async run(ctx) {
      const s = await ctx.open('A');
      const lease = { 'model.use': ['tier-fast/*'] };
      const models = ['tier-fast/a', 'tier-slow/a', 'tier-fast/a/b'];
      const { outcomes } = await runOps(ctx, s, AGENTS.model, { models }, { lease_request: lease });
      requireOutcomes(outcomes, models.map((m) => (leaseAllows(lease, 'model.use', m) ? ALLOWED : DENIED)), 'model gate');
    },
  }),
];
