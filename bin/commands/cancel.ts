// `arcp cancel JOB`: ask the runtime to cancel a job (§7.4). Only the submitting session may
// cancel, so with `--session` and `--resume-token` (what `arcp submit --json` prints in its
// accepted line) the command resumes that session first (§6.3); without them the runtime's
// refusal (PERMISSION_DENIED) is reported as such.
import type { Command } from 'commander';
import { addRemoteOptions, exitStatusHelp, finish, OK, outcomeOf, UsageError, withSession, type RemoteFlags } from './remote.js';

interface CancelFlags extends RemoteFlags {
  reason: string;
  session?: string;
  resumeToken?: string;
}

export function registerCancel(program: Command): void {
  addRemoteOptions(
    program
      .command('cancel')
      .description('cancel a job (§7.4); only its submitting session may, so pass that session to resume it')
      .argument('<job>', 'job id')
      .option('--reason <text>', 'reason sent with job.cancel', 'cancelled from the arcp CLI')
      .option('--session <id>', 'resume this session (the submitter\'s) before cancelling')
      .option('--resume-token <token>', 'resume token of --session'),
  )
    .addHelpText('after', `
Examples:
  $ arcp submit demo.countdown --input '{"from": 60}' --url ws://127.0.0.1:7777/arcp --token secret --json
    (its "accepted" line carries job_id, session_id and resume_token)
  $ arcp cancel job_01JDXKA0B1C2D3E4F5G6H7J8K9 --session sess_01J... --resume-token <resume_token> --url ws://127.0.0.1:7777/arcp --token secret
  $ ARCP_URL=ws://127.0.0.1:7777/arcp ARCP_TOKEN=secret arcp cancel job_01JDXKA0B1C2D3E4F5G6H7J8K9 --json

${exitStatusHelp()}`)
    .action(async (jobId: string, flags: CancelFlags) => {
      process.exitCode = await runCancel(jobId, flags);
    });
}

export function runCancel(jobId: string, flags: CancelFlags): Promise<number> {
  if ((flags.session === undefined) !== (flags.resumeToken === undefined)) {
    return Promise.resolve(finish(flags, outcomeOf(new UsageError('--session and --resume-token go together'))));
  }
  const resume = flags.session !== undefined && flags.resumeToken !== undefined
    ? { sessionId: flags.session, resumeToken: flags.resumeToken, lastEventSeq: 0 }
    : undefined;
  return withSession(
    flags,
    async (client) => {
      await client.job(jobId).cancel(flags.reason);
      return { ...OK, finalStatus: 'cancelled' };
    },
    resume ? (client, transport) => client.resume(transport, resume) : undefined,
  );
}
