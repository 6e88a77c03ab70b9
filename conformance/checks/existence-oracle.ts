// §6.6 "existence is not leaked": a refusal is only opaque if it is the same refusal a job that
// does not exist gets. Found by attacking the harness with a runtime that answered another
// principal's cancel with PERMISSION_DENIED and an unknown job's with JOB_NOT_FOUND: each code
// alone is an accepted refusal, so no check compared the two. Attacked again with a runtime that
// kept the rule for running jobs only (a finished job of another principal answered subscribe
// with PERMISSION_DENIED): the comparison now covers every (action, job state) pair.
import { envelope, field, type Envelope } from '../driver/wire.js';
import type { Session } from '../driver/session.js';
import { AGENTS, scenario } from './define.js';
import { require_, Skip, Violation } from './outcomes.js';
import type { CheckDef } from './types.js';
import { listedJobIds, subscribe } from './wire-probes.js';

const GHOST = 'job_01JZZZZZZZZZZZZZZZZZZZZZZZ';

async function cancelAnswer(s: Session, jobId: string): Promise<Envelope> {
  return s.conn.request(envelope('job.cancel', { reason: 'conformance' }, { session_id: s.sessionId, job_id: jobId }));
}

export const existenceOracleChecks: CheckDef[] = [
  scenario({
    id: '6.6/isolation/cancel-no-existence-oracle',
    statements: ['S6.6-04'],
    spec: '§6.6, §7.4, §12',
    level: 'MUST',
    title: 'principal B\'s job.cancel of A\'s running job gets the same refusal code as a cancel of a job that does not exist (the code is no existence oracle)',
    agents: [AGENTS.slow],
    needs: ['two-principals'],
    async run(ctx) {
      const a = await ctx.open('A');
      const jobId = await ctx.submit(a, AGENTS.slow, { steps: 20, interval_ms: 25 });
      const b = await ctx.open('B');
      // a deployment policy may let B observe A's jobs; then B may learn that the job exists
      if (b.features.includes('list_jobs') && (await listedJobIds(b, { limit: 1000 })).includes(jobId)) {
        throw new Skip('principal B may observe A\'s jobs here (they are listed to B)');
      }
      const real = await cancelAnswer(b, jobId);
      if (real.type === 'job.cancelled') throw new Violation('principal B\'s job.cancel of A\'s job was acknowledged', { frame: real });
      const ghost = await cancelAnswer(b, GHOST);
      const codes = [String(field(real, 'payload', 'code')), String(field(ghost, 'payload', 'code'))];
      require_(codes[0] === codes[1], `A's job is refused with ${codes[0]} but an unknown job with ${codes[1]}: the code tells B the job exists`);
    },
  }),
  scenario({
    id: '6.6/isolation/no-existence-oracle-any-state',
    statements: ['S6.6-04', 'S12-03'],
    spec: '§6.6, §7.4, §7.6, §12',
    level: 'MUST',
    title: 'principal B\'s job.subscribe of A\'s running or finished job, and job.cancel of A\'s finished job, get the same refusal code as the same request for a job that does not exist',
    agents: [AGENTS.slow, AGENTS.echo],
    needs: ['two-principals'],
    async run(ctx) {
      const a = await ctx.open('A');
      const running = await ctx.submit(a, AGENTS.slow, { steps: 40, interval_ms: 25 });
      const finished = await ctx.submit(a, AGENTS.echo, { n: 1 });
      await ctx.terminal(a, finished);
      const b = await ctx.open('B');
      if (b.features.includes('list_jobs')) {
        const visible = await listedJobIds(b, { limit: 1000 });
        if (visible.includes(running) || visible.includes(finished)) throw new Skip('principal B may observe A\'s jobs here (they are listed to B)');
      }
      const actions: Array<{ what: string; ask: (jobId: string) => Promise<Envelope> }> = [{ what: 'job.cancel', ask: (id) => cancelAnswer(b, id) }];
      if (b.features.includes('subscribe')) actions.push({ what: 'job.subscribe', ask: (id) => subscribe(b, id, { history: true, from_event_seq: 0 }) });
      for (const { what, ask } of actions) {
        const ghost = await ask(GHOST);
        const ghostCode = String(field(ghost, 'payload', 'code'));
        for (const [state, jobId] of [['running', running], ['finished', finished]] as const) {
          if (what === 'job.cancel' && state === 'running') continue; // 6.6/isolation/cancel-no-existence-oracle
          const real = await ask(jobId);
          if (real.type === 'job.cancelled' || real.type === 'job.subscribed') throw new Violation(`principal B's ${what} of A's ${state} job was accepted (${real.type})`, { frame: real });
          const code = String(field(real, 'payload', 'code'));
          if (code !== ghostCode) throw new Violation(`${what}: A's ${state} job is refused with ${code} but an unknown job with ${ghostCode}: the code tells B the job exists`, { frame: real });
        }
      }
    },
  }),
];
