// §6.2 on every path that can emit a gated event kind: a session that did not negotiate
// `progress` or `result_chunk` must never receive one, whether the event comes from its own job,
// from a delegated child, from a job it subscribed to, or from a running job an idempotent
// resubmit attached it to. Each path is a different emitter in most runtimes.
import { field, jobIdOf, type Envelope } from '../driver/wire.js';
import type { Session } from '../driver/session.js';
import { AGENTS, scenario } from './define.js';
import { require_ } from './outcomes.js';
import type { CheckDef } from './types.js';
import { resubmit, subscribe } from './wire-probes.js';

const GATED = ['progress', 'result_chunk'];

function gatedFrames(frames: readonly Envelope[], jobIds: ReadonlyMap<string, string>): Envelope[] {
  return frames.filter((m) => m.type === 'job.event' && jobIds.has(String(m.job_id)) && GATED.includes(String(field(m, 'payload', 'kind'))));
}

function narrow(features: readonly string[]): string[] {
  return features.filter((f) => !GATED.includes(f));
}

export const gatedPathChecks: CheckDef[] = [
  scenario({
    id: '6.2/negotiation/gated-kinds-every-path',
    statements: ['S6.2-01'],
    spec: '§6.2, §7.2, §7.6, §10',
    level: 'MUST',
    title: 'a session without progress/result_chunk receives neither from its own job, a delegated child, a subscribed job or a job an idempotent resubmit attached it to',
    agents: [AGENTS.slow, AGENTS.streamer],
    needs: ['reconnect'],
    async run(ctx) {
      const owner = await ctx.open('A');
      require_(owner.features.includes('progress') && owner.features.includes('result_chunk'), 'the owner could not negotiate progress and result_chunk');
      const s: Session = await ctx.open('A', narrow(owner.features));
      require_(!s.features.some((f) => GATED.includes(f)), 'could not open a session without progress and result_chunk');
      // job id -> the path that brought its events to `s`
      const watched = new Map<string, string>();
      const paths: string[] = [];
      // own job
      const own = await ctx.submit(s, AGENTS.slow, { steps: 3, interval_ms: 20 });
      watched.set(own, 'own job');
      await ctx.terminal(s, own);
      paths.push('own job');
      // a job of another session it subscribed to (history and live)
      if (s.features.includes('subscribe')) {
        const streamed = await ctx.submit(owner, AGENTS.streamer, { chunks: 4, chunk_size: 8, encoding: 'utf8' });
        const slow = await ctx.submit(owner, AGENTS.slow, { steps: 6, interval_ms: 40 });
        for (const id of [streamed, slow]) {
          const sub = await subscribe(s, id, { history: true, from_event_seq: 0 });
          if (sub.type !== 'job.subscribed') continue;
          watched.set(id, id === streamed ? 'subscribed streamer' : 'subscribed slow job');
        }
        for (const id of [streamed, slow]) if (watched.has(id)) await ctx.terminal(s, id, Math.max(ctx.timeoutMs, 5000));
        paths.push('subscribed jobs');
      }
      // a running job an idempotent resubmit names (the runtime may attach the resubmitter)
      const key = `conf-gated-${Date.now()}-${ctx.config.seed}`;
      const input = { steps: 6, interval_ms: 40 };
      const shared = await ctx.submit(owner, AGENTS.slow, input, { idempotency_key: key });
      const again = await resubmit(s, AGENTS.slow, input, key, shared);
      if (again.type === 'job.accepted') {
        watched.set(shared, 'idempotent resubmit of a running job');
        await ctx.terminal(owner, shared, Math.max(ctx.timeoutMs, 5000));
        await ctx.sleep(Math.min(200, ctx.timeoutMs / 4));
        paths.push('idempotent resubmit');
      }
      // a delegated child (its events reach the parent's session)
      const parent = await ctx.submitRaw(s, AGENTS.delegator, { agent: AGENTS.slow, input: { steps: 3, interval_ms: 20 }, lease_request: {} }, { lease_request: { 'agent.delegate': ['conformance.*'] } });
      if (parent.type === 'job.accepted') {
        const parentId = String(jobIdOf(parent));
        await s.conn.arrives((m) => (m.type === 'job.result' || m.type === 'job.error') && m.job_id === parentId, Math.max(ctx.timeoutMs, 5000));
        for (const m of s.conn.messages()) if (m.type === 'job.accepted' && m.trace_id === parent.trace_id && m.job_id !== undefined && m.job_id !== parentId) watched.set(String(m.job_id), 'delegated child');
        paths.push('delegated child');
      }
      const leaked = gatedFrames(s.conn.messages(), watched);
      require_(
        leaked.length === 0,
        `paths ${paths.join(', ')}: ${leaked.length} ${String(field(leaked[0], 'payload', 'kind'))} event(s) reached a session that negotiated neither progress nor result_chunk (first: ${String(leaked[0]?.id)} event_seq ${String(leaked[0]?.event_seq)}, ${String(watched.get(String(leaked[0]?.job_id)))} ${String(leaked[0]?.job_id)})`,
      );
    },
  }),
];
