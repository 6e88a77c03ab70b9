// §9.4 and §6.6/§14 as properties: random parent/child leases judged by a witness (a concrete
// target the child covers and the parent does not means the delegation expands authority and MUST
// be refused), and random submissions by two principals (each listing shows exactly its own jobs).
import fc from 'fast-check';
import { AGENTS, property } from '../checks/define.js';
import { require_, Violation } from '../checks/outcomes.js';
import type { CheckDef } from '../checks/types.js';
import { runOps } from '../checks/authority.js';
import { envelope, field, TERMINAL_TYPES } from '../driver/wire.js';
import type { Session } from '../driver/session.js';
import type { CheckContext } from '../runner/context.js';
import { globMatches } from '../model/lease-oracle.js';
import { runProperty } from './run-property.js';

const PARENT = ['/w/**', '/w/*', '/w/a/**', '/w/a/*', '/w/a/b'];
const CHILD = ['/w/**', '/w/*', '/w/a/**', '/w/a/*', '/w/a/b', '/w/b', '/**', '/v/*', '/w/a/b/c'];
const TARGETS = ['/w', '/w/a', '/w/b', '/w/a/b', '/w/a/c', '/w/a/b/c', '/w/x/y', '/v/a'];

/** A target the child grants and the parent does not, if the pool has one. */
function witness(child: readonly string[], parent: readonly string[]): string | undefined {
  return TARGETS.find((t) => child.some((c) => globMatches(c, t)) && !parent.some((p) => globMatches(p, t)));
}

let run = 0;

/** Whether `s` has seen (or sees within a moment, it was sent before the refusal) the job's terminal. */
async function endedFor(ctx: CheckContext, s: Session, jobId: string): Promise<boolean> {
  const seen = () => s.conn.messages().some((m) => m.job_id === jobId && TERMINAL_TYPES.has(m.type));
  if (seen()) return true;
  await ctx.sleep(Math.min(500, ctx.timeoutMs));
  return seen();
}

export const principalProperties: CheckDef[] = [
  property({
    id: '9.4/delegation/random-leases',
    statements: ['S9.4-01'],
    spec: '§9.4, §10',
    level: 'MUST',
    title: 'random parent/child leases: a child lease that covers a target its parent does not (a witness) is refused LEASE_SUBSET_VIOLATION',
    agents: [AGENTS.delegator, AGENTS.echo],
    async run(ctx) {
      const arb = fc.record({
        parent: fc.subarray(PARENT, { minLength: 1, maxLength: 2 }),
        child: fc.subarray(CHILD, { minLength: 1, maxLength: 2 }),
      });
      await runProperty(ctx, arb, async ({ parent, child }) => {
        const s = await ctx.open('A');
        try {
          const r = await runOps(
            ctx,
            s,
            AGENTS.delegator,
            { agent: AGENTS.echo, input: {}, lease_request: { 'fs.read': child } },
            { lease_request: { 'agent.delegate': ['conformance.*'], 'fs.read': parent } },
          );
          const w = witness(child, parent);
          if (!w) return; // no expansion the oracle can prove: the runtime may grant or refuse
          const o = r.outcomes?.[0];
          if (!o || o.allowed !== false) throw new Violation(`child fs.read ${JSON.stringify(child)} under parent ${JSON.stringify(parent)} was granted, but it covers ${w} and the parent does not`);
          require_(o.code === 'LEASE_SUBSET_VIOLATION', `expanding delegation refused with ${String(o.code)}`);
        } finally {
          await s.conn.close('case done');
        }
      });
    },
  }),
  property({
    id: '7.6/subscribe/random-observers',
    statements: ['S7.4-02', 'S7.6-06', 'S7.6-08', 'S14-01', 'S14-02'],
    spec: '§7.6, §7.7, §14',
    level: 'MUST',
    title: 'random observers (same principal in other sessions, or principal B) subscribe and try to cancel: B is refused, same-principal subscribers follow the job to its terminal, no observer\'s cancel ends it',
    feature: 'subscribe',
    agents: [AGENTS.slow],
    needs: ['reconnect'],
    async run(ctx) {
      const observer = fc.record({ who: fc.constantFrom<'A' | 'B'>('A', 'B'), history: fc.boolean(), cancel: fc.boolean() });
      const arb = fc.array(observer, { minLength: 1, maxLength: 3 }).filter((os) => ctx.config.target.tokenB !== undefined || os.every((o) => o.who === 'A'));
      await runProperty(ctx, arb, async (observers) => {
        const owner = await ctx.open('A');
        const opened = [owner];
        try {
          const jobId = await ctx.submit(owner, AGENTS.slow, { steps: 5, interval_ms: 30 });
          const followers = [];
          for (const o of observers) {
            const s = await ctx.open(o.who);
            opened.push(s);
            const reply = await s.conn.request(envelope('job.subscribe', { job_id: jobId, history: o.history }, { session_id: s.sessionId }));
            if (o.who === 'B') {
              const code = field(reply, 'payload', 'code');
              require_(reply.type !== 'job.subscribed' && (code === 'PERMISSION_DENIED' || code === 'JOB_NOT_FOUND'), `principal B's subscribe answered by ${reply.type} ${String(code ?? '')}`, reply);
            } else if (reply.type !== 'job.subscribed' && field(reply, 'payload', 'code') === 'JOB_NOT_FOUND' && (await endedFor(ctx, owner, jobId))) {
              // catalog §9 #34: a job that has just finished may be JOB_NOT_FOUND to a new subscriber
              ctx.note(`job ${jobId} had ended before the subscribe: JOB_NOT_FOUND accepted (catalog §9 #34)`);
            } else {
              require_(reply.type === 'job.subscribed', `same-principal subscribe answered by ${reply.type} ${String(field(reply, 'payload', 'code') ?? '')}`, reply);
              followers.push(s);
            }
            if (o.cancel) s.conn.send(envelope('job.cancel', { reason: 'observer' }, { session_id: s.sessionId, job_id: jobId }));
          }
          const term = await ctx.terminal(owner, jobId);
          require_(term.type === 'job.result', `an observer's cancel ended the job: ${term.type} ${String(field(term, 'payload', 'code') ?? '')}`, term);
          for (const f of followers) await ctx.terminal(f, jobId);
        } finally {
          for (const s of opened) await s.conn.close('case done');
        }
      });
    },
  }),
  property({
    id: '6.6/list/random-principals',
    statements: ['S6.6-01', 'S6.6-04'],
    spec: '§6.6, §14',
    level: 'MUST',
    title: 'random submissions by two principals: each principal\'s listing includes all of its own live jobs and none of the other\'s',
    feature: 'list_jobs',
    agents: [AGENTS.slow],
    needs: ['two-principals'],
    async run(ctx) {
      const arb = fc.array(fc.constantFrom<'A' | 'B'>('A', 'B'), { minLength: 1, maxLength: 5 });
      await runProperty(ctx, arb, async (who) => {
        run += 1;
        const sessions = { A: await ctx.open('A'), B: await ctx.open('B') };
        try {
          const jobs: Record<'A' | 'B', string[]> = { A: [], B: [] };
          for (const p of who) jobs[p].push(await ctx.submit(sessions[p], AGENTS.slow, { steps: 10, interval_ms: 30, run }));
          for (const p of ['A', 'B'] as const) {
            const req = envelope('session.list_jobs', { limit: 1000 }, { session_id: sessions[p].sessionId });
            const reply = await sessions[p].conn.request(req);
            require_(reply.type === 'session.jobs', `list_jobs answered by ${reply.type}`, reply);
            const listed = ((field(reply, 'payload', 'jobs') as unknown[]) ?? []).map((j) => String(field(j, 'job_id')));
            const other = p === 'A' ? 'B' : 'A';
            for (const j of jobs[p]) require_(listed.includes(j), `principal ${p}'s job ${j} missing from its own listing`);
            for (const j of jobs[other]) require_(!listed.includes(j), `principal ${p} sees principal ${other}'s job ${j}`);
          }
        } finally {
          await sessions.A.conn.close('case done');
          await sessions.B.conn.close('case done');
        }
      });
    },
  }),
];
