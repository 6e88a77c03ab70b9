// What an observer session (a same-principal subscriber, §7.6) receives: only the kinds its own
// negotiated features allow (§6.2, on the forwarding path too), and a history that does not
// depend on what the owner session has acknowledged (§6.5 frees the owner's buffer, not the job's).
import { envelope, field, type Envelope } from '../driver/wire.js';
import type { Session } from '../driver/session.js';
import { AGENTS, scenario } from './define.js';
import { require_ } from './outcomes.js';
import type { CheckDef } from './types.js';
import { barrier } from './wire-probes.js';

async function subscribed(s: Session, jobId: string, opts: { history?: boolean; from_event_seq?: number }): Promise<Envelope> {
  const sub = await s.conn.request(envelope('job.subscribe', { job_id: jobId, history: opts.history ?? false, ...opts }, { session_id: s.sessionId }));
  require_(sub.type === 'job.subscribed', `subscribe answered by ${sub.type} ${String(field(sub, 'payload', 'code') ?? '')}`, sub);
  return sub;
}

function progressOf(frames: readonly Envelope[], jobId: string): number[] {
  return frames.filter((m) => m.job_id === jobId && field(m, 'payload', 'kind') === 'progress').map((m) => Number(field(m, 'payload', 'body', 'current')));
}

export const observerChecks: CheckDef[] = [
  scenario({
    id: '6.2/negotiation/forwarded-kinds-gated',
    statements: ['S6.2-01'],
    spec: '§6.2, §7.6',
    level: 'MUST',
    title: 'a subscriber that negotiated subscribe but not progress never receives progress events forwarded from the job it watches',
    feature: 'subscribe',
    agents: [AGENTS.slow],
    needs: ['reconnect'],
    async run(ctx) {
      const owner = await ctx.open('A');
      require_(owner.features.includes('progress'), 'the owner did not negotiate progress');
      // long enough that the watcher subscribes while it runs, even on a loaded machine (a finished job may be JOB_NOT_FOUND, catalog §9 #34)
      const jobId = await ctx.submit(owner, AGENTS.slow, { steps: 12, interval_ms: 40 });
      await owner.conn.expect((m) => m.job_id === jobId && field(m, 'payload', 'kind') === 'progress', 'first progress event (owner)');
      const watcher = await ctx.open('A', owner.features.filter((f) => f !== 'progress'));
      require_(!watcher.features.includes('progress') && watcher.features.includes('subscribe'), 'could not open a subscribe-without-progress session');
      await subscribed(watcher, jobId, { history: true });
      await ctx.terminal(watcher, jobId);
      const leaked = progressOf(watcher.conn.messages(), jobId);
      require_(leaked.length === 0, `the subscriber received ${leaked.length} progress event(s) it did not negotiate (currents ${JSON.stringify(leaked)})`);
    },
  }),
  scenario({
    id: '7.6/subscribe/history-independent-of-acks',
    statements: ['S7.6-02'],
    spec: '§7.6, §6.5',
    level: 'MUST',
    title: 'subscribe with history after the owner acknowledged events still replays every event of the job (acks free the owner\'s buffer, not the job\'s history)',
    feature: 'subscribe',
    agents: [AGENTS.slow],
    needs: ['reconnect'],
    async run(ctx) {
      const owner = await ctx.open('A');
      require_(owner.features.includes('ack'), 'the owner did not negotiate ack');
      const steps = 6;
      const jobId = await ctx.submit(owner, AGENTS.slow, { steps, interval_ms: 40 });
      const first = await owner.conn.expect((m) => m.job_id === jobId && field(m, 'payload', 'kind') === 'progress', 'first progress event');
      owner.conn.send(envelope('session.ack', { last_processed_seq: Number(first.event_seq) }, { session_id: owner.sessionId }));
      // the ack is handled before the subscribe (a ping round trip through the inbound queue), not after a guessed pause
      if (owner.features.includes('heartbeat')) await barrier(owner);
      else await ctx.sleep(20);
      const watcher = await ctx.open('A');
      await subscribed(watcher, jobId, { history: true, from_event_seq: 0 });
      await ctx.terminal(watcher, jobId);
      const currents = progressOf(watcher.conn.messages(), jobId);
      const all = Array.from({ length: steps }, (_, i) => i + 1);
      require_(JSON.stringify(currents) === JSON.stringify(all), `subscriber saw progress ${JSON.stringify(currents)} after the owner acked seq ${String(first.event_seq)}, expected ${JSON.stringify(all)}`);
    },
  }),
];
