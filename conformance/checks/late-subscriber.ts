// The set-up of the "history false replays nothing" checks: a slow job has emitted progress 2
// to its owner when a second session of the same principal subscribes with `opts`; the
// subscriber then waits for the job's end. Returns the progress events it received that the
// owner had already seen before the subscribe (every one of them is a replay).
import { field, type Envelope } from '../driver/wire.js';
import type { CheckContext } from '../runner/context.js';
import { AGENTS } from './define.js';
import { require_ } from './outcomes.js';
import { eventsOf, progressCurrents, subscribe } from './wire-probes.js';

export async function replayedToLateSubscriber(ctx: CheckContext, opts: { history: boolean; from_event_seq?: number }): Promise<Envelope[]> {
  const owner = await ctx.open('A');
  const jobId = await ctx.submit(owner, AGENTS.slow, { steps: 8, interval_ms: 60 });
  await owner.conn.expect((m) => m.job_id === jobId && field(m, 'payload', 'kind') === 'progress' && Number(field(m, 'payload', 'body', 'current')) >= 2, 'progress 2 (owner)');
  const watcher = await ctx.open('A');
  const seenBefore = Math.max(...progressCurrents(owner.conn.messages(), jobId));
  const sub = await subscribe(watcher, jobId, opts);
  require_(sub.type === 'job.subscribed', `subscribe answered by ${sub.type} ${String(field(sub, 'payload', 'code') ?? '')}`, sub);
  await ctx.terminal(watcher, jobId);
  return eventsOf(watcher.conn.messages(), jobId, 'progress').filter((m) => Number(field(m, 'payload', 'body', 'current')) <= seenBefore);
}
