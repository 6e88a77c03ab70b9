// §7.6 history belongs to one job: found by attacking the harness with a runtime whose history
// store replayed every job's events to a subscriber. Each subscribe check ran a single job, so
// that bug only showed when leftovers of earlier checks happened to share the runtime.
import { field, type Envelope } from '../driver/wire.js';
import { AGENTS, canonicalJson, scenario } from './define.js';
import { require_ } from './outcomes.js';
import type { CheckDef } from './types.js';
import { eventsOf, subscribe } from './wire-probes.js';

/** Event payloads without `ts`: a forwarded copy may be stamped anew, its kind and body may not change. */
function bodies(events: readonly Envelope[]): string[] {
  return events.map((m) => {
    const { ts: _ts, ...rest } = (field(m, 'payload') ?? {}) as Record<string, unknown>;
    return canonicalJson(rest);
  });
}

export const historyScopeChecks: CheckDef[] = [
  scenario({
    id: '7.6/subscribe/history-only-this-job',
    statements: ['S7.6-02'],
    spec: '§7.6',
    level: 'MUST',
    title: 'with another job of the session finished earlier, subscribe with history replays the subscribed job\'s events and no other job\'s: the subscriber sees exactly the owner\'s events of that job',
    feature: 'subscribe',
    agents: [AGENTS.chatty, AGENTS.slow],
    needs: ['reconnect'],
    async run(ctx) {
      const a = await ctx.open('A');
      const other = await ctx.submit(a, AGENTS.chatty, { n: 3 });
      await ctx.terminal(a, other);
      const jobId = await ctx.submit(a, AGENTS.slow, { steps: 4, interval_ms: 40 });
      const watcher = await ctx.open('A');
      const sub = await subscribe(watcher, jobId, { history: true, from_event_seq: 0 });
      require_(sub.type === 'job.subscribed', `subscribe answered by ${sub.type}`, sub);
      await ctx.terminal(watcher, jobId);
      await ctx.terminal(a, jobId);
      const owner = bodies(eventsOf(a.conn.messages(), jobId));
      const seen = bodies(eventsOf(watcher.conn.messages(), jobId));
      const extra = seen.filter((b) => !owner.includes(b));
      require_(extra.length === 0, `the subscriber got ${extra.length} event(s) of job ${jobId} its owner never saw, e.g. ${extra[0]?.slice(0, 160)}`);
      require_(JSON.stringify(seen) === JSON.stringify(owner), `the subscriber saw ${seen.length} event(s) of the job, its owner ${owner.length}`);
    },
  }),
];
