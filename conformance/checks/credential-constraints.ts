// §9.7, §9.8.2, §9.8.3: what a provisioned credential's `constraints` echo says about the lease
// baked into it. The upstream is the enforcer and is not on the wire, but the echo is: a
// constraint wider than the job's lease (more models, a bigger spend cap, a later TTL) is a
// credential that outlives or outspends its lease, and a missing one is a capability left to
// agent self-reporting. Judged from job.accepted frames only, never from an agent's report.
import { Decimal } from 'decimal.js';
import { field, type Envelope } from '../driver/wire.js';
import type { Session } from '../driver/session.js';
import { patternCovered } from '../model/lease-oracle.js';
import { AGENTS, scenario } from './define.js';
import { delegate } from './delegation-child.js';
import { NotApplicable, require_, Violation } from './outcomes.js';
import type { CheckDef } from './types.js';

/** The lease a credential should mirror (only the capabilities §9.8.3 names). */
export interface MirroredLease {
  readonly models?: readonly string[];
  /** `currency:decimal` amounts (duplicates add up, §9.6). */
  readonly budget?: readonly string[];
  readonly expiresAt?: string;
}

export interface ConstraintJudgement {
  /** Lease capabilities the credential's constraints do not carry. */
  readonly missing: string[];
  /** Constraints the lease does not cover (the credential allows more than the lease). */
  readonly wider: string[];
}

function amounts(list: readonly unknown[]): Map<string, Decimal> | undefined {
  const out = new Map<string, Decimal>();
  for (const a of list) {
    const m = typeof a === 'string' ? /^([^:]+):([0-9]+(?:\.[0-9]+)?)$/.exec(a) : null;
    if (!m) return undefined;
    out.set(m[1], (out.get(m[1]) ?? new Decimal(0)).plus(m[2]));
  }
  return out;
}

/** Compares one credential's `constraints` with the lease it was issued under. */
export function judgeConstraints(credential: unknown, lease: MirroredLease): ConstraintJudgement {
  const c = field(credential, 'constraints');
  const missing: string[] = [];
  const wider: string[] = [];
  const models = field(c, 'model.use');
  if (lease.models) {
    if (!Array.isArray(models)) missing.push('model.use');
    else for (const p of models) if (typeof p !== 'string' || !lease.models.some((lp) => patternCovered(p, lp))) wider.push(`model.use ${JSON.stringify(p)} (lease ${JSON.stringify(lease.models)})`);
  }
  const caps = field(c, 'cost.budget');
  if (lease.budget) {
    const budget = amounts(lease.budget)!;
    const cap = Array.isArray(caps) ? amounts(caps) : undefined;
    if (Array.isArray(caps) && !cap) wider.push(`cost.budget ${JSON.stringify(caps)} is not a list of currency:decimal amounts`);
    for (const [currency, limit] of budget) {
      const v = cap?.get(currency);
      if (v === undefined) missing.push(`cost.budget ${currency}`);
      else if (v.greaterThan(limit)) wider.push(`cost.budget ${currency}:${v.toString()} (lease ${currency}:${limit.toString()})`);
    }
  }
  const ttl = field(c, 'expires_at');
  if (lease.expiresAt) {
    if (typeof ttl !== 'string') missing.push('expires_at');
    else if (!(Date.parse(ttl) <= Date.parse(lease.expiresAt))) wider.push(`expires_at ${ttl} (lease ${lease.expiresAt})`);
  }
  return { missing, wider };
}

/** The credentials of a job.accepted (or job.subscribed) frame. */
export function credentialsOf(m: Envelope | undefined): unknown[] {
  const list = field(m, 'payload', 'credentials');
  return Array.isArray(list) ? list : [];
}

/** A lease over the §9.8.3 capabilities this session negotiated (empty when it negotiated none). */
function mirroredLease(s: Session, want: { models: string[]; budget: string[]; ttlMs: number }): { lease: MirroredLease; request: Record<string, string[]>; constraints?: { expires_at: string } } {
  const has = (f: string) => s.features.includes(f);
  const expiresAt = has('lease_expires_at') ? new Date(Date.now() + want.ttlMs).toISOString() : undefined;
  const lease: MirroredLease = {
    ...(has('model.use') ? { models: want.models } : {}),
    ...(has('cost.budget') ? { budget: want.budget } : {}),
    ...(expiresAt ? { expiresAt } : {}),
  };
  const request: Record<string, string[]> = {
    ...(lease.models ? { 'model.use': [...lease.models] } : {}),
    ...(lease.budget ? { 'cost.budget': [...lease.budget] } : {}),
  };
  return { lease, request, ...(expiresAt ? { constraints: { expires_at: expiresAt } } : {}) };
}

function credentialName(c: unknown, i: number): string {
  return `credential ${String(field(c, 'id') ?? i + 1)}`;
}

/** Submits an echo job under a lease naming every §9.8.3 capability negotiated; returns its credentials. */
async function issuedUnderLease(ctx: Parameters<CheckDef['run']>[0]): Promise<{ accepted: Envelope; creds: unknown[]; lease: MirroredLease }> {
  const s = await ctx.open('A');
  const { lease, request, constraints } = mirroredLease(s, { models: ['tier-fast/*'], budget: ['USD:2.50'], ttlMs: 600_000 });
  if (Object.keys(lease).length === 0) throw new NotApplicable('none of model.use, cost.budget, lease_expires_at is negotiated: no lease capability to bake in');
  const accepted = await ctx.submitRaw(s, AGENTS.echo, { credentials: 'mirror' }, { lease_request: request, ...(constraints ? { lease_constraints: constraints } : {}) });
  require_(accepted.type === 'job.accepted', `submit answered by ${accepted.type} ${String(field(accepted, 'payload', 'code') ?? '')}`, accepted);
  const creds = credentialsOf(accepted);
  if (creds.length === 0) throw new NotApplicable('the peer issued no credentials for this job (§9.8 MAY)');
  return { accepted, creds, lease };
}

export const credentialConstraintChecks: CheckDef[] = [
  scenario({
    id: '9.8/credentials/constraints-mirror-lease',
    statements: ['S9.8.3-01'],
    spec: '§9.8.3',
    level: 'SHOULD',
    title: 'a credential\'s constraints bake in the lease: cost.budget as a spend cap no larger than the budget, model.use within the lease, expires_at no later than the lease\'s',
    feature: 'provisioned_credentials',
    agents: [AGENTS.echo],
    async run(ctx) {
      const { accepted, creds, lease } = await issuedUnderLease(ctx);
      const problems: string[] = [];
      creds.forEach((c, i) => {
        const j = judgeConstraints(c, { ...(lease.budget ? { budget: lease.budget } : {}), ...(lease.expiresAt ? { expiresAt: lease.expiresAt } : {}) });
        if (j.wider.length) problems.push(`${credentialName(c, i)} allows more than the lease: ${j.wider.join('; ')}`);
      });
      // the job's credentials together must carry each capability (one upstream may enforce only some)
      const carried = (cap: MirroredLease) => creds.some((c) => judgeConstraints(c, cap).missing.length === 0);
      if (lease.budget && !carried({ budget: lease.budget })) problems.push(`no credential carries the lease's cost.budget ${JSON.stringify(lease.budget)} as a spend cap`);
      if (lease.expiresAt && !carried({ expiresAt: lease.expiresAt })) problems.push(`no credential carries the lease's expires_at ${lease.expiresAt} as its TTL`);
      if (problems.length) throw new Violation(`job.accepted ${String(accepted.id)}: ${problems.join('; ')}`);
    },
  }),
  scenario({
    id: '9.7/model/credential-carries-model-constraint',
    statements: ['S9.7-02'],
    spec: '§9.7, §9.8.3',
    level: 'SHOULD',
    title: 'a credential issued under a model.use lease carries the same model constraint (within the lease\'s model.use, never wider)',
    feature: 'provisioned_credentials',
    agents: [AGENTS.echo],
    async run(ctx) {
      const { accepted, creds, lease } = await issuedUnderLease(ctx);
      if (!lease.models) throw new NotApplicable('model.use is not negotiated');
      const models = { models: lease.models };
      const wider = creds.flatMap((c, i) => judgeConstraints(c, models).wider.map((w) => `${credentialName(c, i)}: ${w}`));
      require_(wider.length === 0, `job.accepted ${String(accepted.id)}: a credential allows models the lease does not: ${wider.join('; ')}`);
      require_(creds.some((c) => judgeConstraints(c, models).missing.length === 0), `job.accepted ${String(accepted.id)}: no credential carries the lease's model.use ${JSON.stringify(lease.models)} in its constraints`);
    },
  }),
  scenario({
    id: '9.8/credentials/child-within-child-lease',
    statements: ['S9.8.2-06', 'S9.8.2-03'],
    spec: '§9.8.2, §10',
    level: 'MUST',
    title: 'a delegated child\'s credentials are its own (no value of the parent\'s) and constrained at or below the child\'s lease: no model, spend cap or TTL beyond it',
    feature: 'provisioned_credentials',
    agents: [AGENTS.delegator, AGENTS.echo],
    async run(ctx) {
      const probe = await ctx.open('A');
      const parent = mirroredLease(probe, { models: ['tier-fast/*', 'tier-slow/*'], budget: ['USD:5.00'], ttlMs: 600_000 });
      const child = mirroredLease(probe, { models: ['tier-fast/small'], budget: ['USD:1.00'], ttlMs: 300_000 });
      if (!parent.lease.models && !parent.lease.budget) throw new NotApplicable('neither model.use nor cost.budget is negotiated: a child lease narrower than its parent\'s cannot be expressed');
      const d = await delegate(
        ctx,
        probe,
        { agent: AGENTS.echo, input: { child: true }, lease_request: child.request, ...(child.constraints ? { lease_constraints: child.constraints } : {}) },
        { lease_request: { 'agent.delegate': ['conformance.*'], ...parent.request }, ...(parent.constraints ? { lease_constraints: parent.constraints } : {}) },
      );
      const childCreds = credentialsOf(d.childAccepted);
      if (childCreds.length === 0) throw new NotApplicable('the peer issued no credentials to the delegated child (§9.8.2 MAY)');
      const parentValues = new Set(credentialsOf(d.parentAccepted).map((c) => String(field(c, 'value'))));
      const shared = childCreds.filter((c) => parentValues.has(String(field(c, 'value'))));
      require_(shared.length === 0, `the child's ${String(d.childAccepted.type)} ${String(d.childAccepted.id)} hands on the parent's credential value (${shared.map((c, i) => credentialName(c, i)).join(', ')}): it is neither bounded by the child job nor by the child's lease`);
      // the child's own lease as its job.accepted states it, else what was asked for
      const stated = field(d.childAccepted, 'payload', 'lease') as Record<string, unknown> | undefined;
      const models = Array.isArray(stated?.['model.use']) ? (stated['model.use'] as string[]) : child.lease.models;
      const budget = Array.isArray(stated?.['cost.budget']) ? (stated['cost.budget'] as string[]) : child.lease.budget;
      const at = field(d.childAccepted, 'payload', 'lease_constraints', 'expires_at');
      const expiresAt = typeof at === 'string' ? at : child.lease.expiresAt;
      const lease: MirroredLease = { ...(models ? { models } : {}), ...(budget ? { budget } : {}), ...(expiresAt ? { expiresAt } : {}) };
      const wider = childCreds.flatMap((c, i) => judgeConstraints(c, lease).wider.map((w) => `${credentialName(c, i)}: ${w}`));
      require_(wider.length === 0, `the child's ${String(d.childAccepted.type)} ${String(d.childAccepted.id)} carries a credential above the child's lease: ${wider.join('; ')}`);
    },
  }),
];
