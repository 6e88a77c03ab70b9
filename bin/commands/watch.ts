// `arcp watch JOB`: subscribe to a job (§7.6), by default with its history replayed, print its
// events until the terminal, and exit with the job's outcome.
import { InvalidArgumentError, type Command } from 'commander';
import { addRemoteOptions, exitStatusHelp, jsonLine, OK, outcomeOf, withSession, type RemoteFlags } from './remote.js';

interface WatchFlags extends RemoteFlags {
  history: boolean;
  fromSeq?: number;
}

function nonNegativeInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('must be a non-negative integer');
  return n;
}

export function registerWatch(program: Command): void {
  addRemoteOptions(
    program
      .command('watch')
      .description('subscribe to a job (§7.6) and print its events (history first) until it ends')
      .argument('<job>', 'job id, e.g. job_01J...')
      .option('--no-history', 'only events from now on')
      .option('--from-seq <n>', 'replay history after this event_seq (the job listing\'s last_event_seq)', nonNegativeInt),
  )
    .addHelpText('after', `
Examples:
  $ arcp watch job_01JDXKA0B1C2D3E4F5G6H7J8K9 --url ws://127.0.0.1:7777/arcp --token secret
  $ ARCP_URL=ws://127.0.0.1:7777/arcp ARCP_TOKEN=secret arcp watch job_01JDXKA0B1C2D3E4F5G6H7J8K9 --json
  $ arcp jobs --status running --json    # find the job ids to watch

A job that ends in error exits with its code's status (the final record carries code, retryable
and final_status). ${exitStatusHelp()}`)
    .action(async (jobId: string, flags: WatchFlags) => {
      process.exitCode = await runWatch(jobId, flags);
    });
}

export function runWatch(jobId: string, flags: WatchFlags): Promise<number> {
  return withSession(flags, async (client) => {
    const sub = await client.subscribe(jobId, { history: flags.history, ...(flags.fromSeq !== undefined ? { fromEventSeq: flags.fromSeq } : {}) });
    if (flags.json) jsonLine({ type: 'subscribed', job_id: sub.jobId, agent: sub.agent, status: sub.currentStatus, replayed: sub.replayed });
    else process.stderr.write(`watching ${sub.jobId} (${sub.agent}, ${sub.currentStatus})\n`);
    for await (const ev of sub.handle.events()) {
      if (flags.json) jsonLine({ type: 'event', seq: ev.seq, kind: ev.kind, ts: ev.ts, body: ev.body });
      else process.stdout.write(`[${ev.kind}] ${JSON.stringify(ev.body)}\n`);
    }
    try {
      const result = await sub.handle.done;
      if (flags.json) jsonLine({ type: 'result', final_status: result.finalStatus, result: result.result });
      else process.stdout.write(`${JSON.stringify(result.result)}\n`);
      return { ...OK, finalStatus: result.finalStatus };
    } catch (err) {
      return { ...outcomeOf(err), finalStatus: sub.handle.finalStatus ?? 'error' };
    }
  });
}
