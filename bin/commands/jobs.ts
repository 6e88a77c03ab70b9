// `arcp jobs`: list the caller's jobs (§6.6 session.list_jobs) with filters, one page at a time
// (`--cursor` from the previous page's next cursor) or every page with `--all`.
import { InvalidArgumentError, type Command } from 'commander';
import type { JobStatus, JobSummary, ListJobsOptions } from '../../runtime-kit/client/index.js';
import { addRemoteOptions, exitStatusHelp, jsonLine, OK, UsageError, withSession, type RemoteFlags } from './remote.js';

const STATUSES: readonly JobStatus[] = ['pending', 'running', 'success', 'error', 'cancelled', 'timed_out'];

interface JobsFlags extends RemoteFlags {
  status?: JobStatus[];
  agent?: string;
  createdAfter?: string;
  createdBefore?: string;
  limit?: number;
  cursor?: string;
  all?: boolean;
}

function statusList(value: string): JobStatus[] {
  const list = value.split(',').map((s) => s.trim()).filter(Boolean);
  const bad = list.find((s) => !(STATUSES as readonly string[]).includes(s));
  if (bad !== undefined) throw new InvalidArgumentError(`unknown status ${bad}; one of ${STATUSES.join(', ')}`);
  return list as JobStatus[];
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('must be a positive integer');
  return n;
}

function isoTime(flag: string, value: string | undefined): void {
  if (value !== undefined && (!/Z$/.test(value) || Number.isNaN(Date.parse(value)))) throw new UsageError(`${flag} must be an ISO 8601 UTC time ending in Z`);
}

function row(job: JobSummary): string {
  return `${job.jobId}  ${job.status.padEnd(9)}  ${job.agent}  ${job.createdAt}`;
}

export function registerJobs(program: Command): void {
  addRemoteOptions(
    program
      .command('jobs')
      .description('list jobs visible to the caller (§6.6), newest first as the runtime orders them')
      .option('--status <list>', `comma-separated statuses (${STATUSES.join(', ')})`, statusList)
      .option('--agent <name>', 'only jobs of this agent')
      .option('--created-after <iso>', 'only jobs created after this time (UTC, ends in Z)')
      .option('--created-before <iso>', 'only jobs created before this time (UTC, ends in Z)')
      .option('--limit <n>', 'page size', positiveInt)
      .option('--cursor <cursor>', 'continue from a previous page (its next_cursor)')
      .option('--all', 'follow next cursors until the last page'),
  )
    .addHelpText('after', `
Examples:
  $ arcp jobs --url ws://127.0.0.1:7777/arcp --token secret
  $ ARCP_URL=ws://127.0.0.1:7777/arcp ARCP_TOKEN=secret arcp jobs --status running,pending --json
  $ arcp jobs --agent demo.countdown --limit 20 --cursor <next_cursor of the previous page>

${exitStatusHelp()}`)
    .action(async (flags: JobsFlags) => {
      process.exitCode = await runJobs(flags);
    });
}

export function runJobs(flags: JobsFlags): Promise<number> {
  return withSession(flags, async (client) => {
    isoTime('--created-after', flags.createdAfter);
    isoTime('--created-before', flags.createdBefore);
    const filter = {
      ...(flags.status ? { status: flags.status } : {}),
      ...(flags.agent ? { agent: flags.agent } : {}),
      ...(flags.createdAfter ? { createdAfter: flags.createdAfter } : {}),
      ...(flags.createdBefore ? { createdBefore: flags.createdBefore } : {}),
    };
    let cursor: string | null | undefined = flags.cursor;
    for (;;) {
      const opts: ListJobsOptions = { filter, ...(flags.limit !== undefined ? { limit: flags.limit } : {}), ...(cursor ? { cursor } : {}) };
      const page = await client.listJobs(opts);
      for (const job of page.jobs) {
        if (flags.json) {
          jsonLine({ type: 'job', job_id: job.jobId, agent: job.agent, status: job.status, created_at: job.createdAt, parent_job_id: job.parentJobId, last_event_seq: job.lastEventSeq });
        } else process.stdout.write(`${row(job)}\n`);
      }
      cursor = page.nextCursor;
      if (!flags.all || !cursor) {
        if (flags.json) jsonLine({ type: 'page', next_cursor: cursor ?? null });
        else if (cursor) process.stderr.write(`more: arcp jobs --cursor ${cursor}\n`);
        return OK;
      }
    }
  });
}
