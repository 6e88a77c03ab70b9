// §7.5: once resolved, a job's agent version is fixed; a running job is never migrated. The wire
// cannot show a runtime's registry changing, but it shows every place the version is named while
// the job runs and after: job.accepted, listings, and the version the agent reports it ran, with
// another version of the same agent started and finished in between (a runtime that tracks "the
// current version of a name" migrates here). The job is kept running by the optional `delay_ms`
// of conformance.versioned (docs/conformance-agents.md); a peer that ignores it is skipped.
import { field, jobIdOf } from '../driver/wire.js';
import type { Session } from '../driver/session.js';
import { AGENTS, inlineResult, scenario } from './define.js';
import { require_, Skip } from './outcomes.js';
import type { CheckDef } from './types.js';
import { listJobs } from './wire-probes.js';

const PINNED = `${AGENTS.versioned}@1.0.0`;
const ENDED = new Set(['success', 'error', 'cancelled', 'timed_out', 'completed', 'failed']);

function ended(s: Session, jobId: string): boolean {
  return s.conn.messages().some((m) => (m.type === 'job.result' || m.type === 'job.error') && m.job_id === jobId);
}

/**
 * The listing entry of `jobId`, requiring that it names the pinned version. A running job must be
 * listed; whether a finished one is listed is §6.6's question (its own checks), not this one's.
 */
async function listedAgent(s: Session, jobId: string, when: string): Promise<unknown> {
  const reply = await listJobs(s, { limit: 1000 });
  require_(reply.type === 'session.jobs', `list_jobs answered by ${reply.type} ${String(field(reply, 'payload', 'code') ?? '')}`, reply);
  const jobs = field(reply, 'payload', 'jobs');
  const entry = (Array.isArray(jobs) ? jobs : []).find((j) => field(j, 'job_id') === jobId);
  if (entry === undefined) {
    require_(ended(s, jobId), `session.jobs ${String(reply.id)} ${when} does not list the running pinned job ${jobId}`);
    return undefined;
  }
  const agent = field(entry, 'agent');
  require_(agent === PINNED, `session.jobs ${String(reply.id)} ${when} names the pinned job's agent ${JSON.stringify(agent)}, not ${PINNED}`);
  return entry;
}

export const versionPinningChecks: CheckDef[] = [
  scenario({
    id: '7.5/versions/running-job-not-migrated',
    statements: ['S7.5-05', 'S7.5-04'],
    spec: '§7.5',
    level: 'MUST',
    title: 'a job pinned to name@1.0.0 stays at 1.0.0 while it runs and after: job.accepted and every listing say name@1.0.0 and it reports 1.0.0, although the default 2.0.0 ran meanwhile',
    feature: 'agent_versions',
    agents: [AGENTS.versioned],
    async run(ctx) {
      const s = await ctx.open('A');
      const accepted = await ctx.submitRaw(s, PINNED, { delay_ms: 1500 });
      require_(accepted.type === 'job.accepted', `submit of ${PINNED} answered by ${accepted.type} ${String(field(accepted, 'payload', 'code') ?? '')}`, accepted);
      const jobId = String(jobIdOf(accepted));
      require_(field(accepted, 'payload', 'agent') === PINNED, `job.accepted ${String(accepted.id)} names agent ${String(field(accepted, 'payload', 'agent'))}, not ${PINNED}`, accepted);
      // another version of the same name, started and finished while the pinned job runs
      const other = await ctx.submit(s, AGENTS.versioned, {});
      await ctx.terminal(s, other);
      let seenRunning = !ended(s, jobId);
      if (s.features.includes('list_jobs')) {
        const entry = await listedAgent(s, jobId, 'while it runs');
        const status = field(entry, 'status');
        if (entry === undefined || ended(s, jobId) || (typeof status === 'string' && ENDED.has(status))) seenRunning = false;
      }
      const term = await ctx.terminal(s, jobId, Math.max(ctx.timeoutMs, 6000));
      require_(term.type === 'job.result', `the pinned job ended with ${term.type} ${String(field(term, 'payload', 'code') ?? '')}`, term);
      require_(field(inlineResult(term), 'version') === '1.0.0', `the pinned job reports it ran version ${JSON.stringify(field(inlineResult(term), 'version'))} (${String(term.id)}): migrated from 1.0.0`, term);
      if (s.features.includes('list_jobs')) await listedAgent(s, jobId, 'after it ended');
      if (!seenRunning) {
        throw new Skip(`implement the optional delay_ms of ${AGENTS.versioned} (docs/conformance-agents.md): the pinned job had ended before it could be watched running (what the wire showed agreed on 1.0.0)`);
      }
    },
  }),
];
