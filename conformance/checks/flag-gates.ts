// §6.2 for what a flag gates besides event kinds: a runtime ping (`heartbeat`), the events of a
// subscription (`subscribe`) and credentials in job.accepted (`provisioned_credentials`). Found by
// a second independent attack: a runtime that ran its heartbeat monitor, handled job.subscribe or
// issued credentials on every session passed the whole run, because every other check negotiates
// the full feature list. Each part runs on a session that left exactly that flag out. The ping
// check sits with the other heartbeat timing checks (§6.4): like them it needs a short interval.
import { envelope, field, jobIdOf, type Envelope } from '../driver/wire.js';
import { AGENTS, scenario } from './define.js';
import { NotApplicable, require_, Skip, Violation } from './outcomes.js';
import type { CheckDef } from './types.js';
import { credentialsOf } from './credential-constraints.js';

/** Longest heartbeat interval the ping check waits for (it waits one and a half intervals). */
const MAX_HEARTBEAT_SEC = 5;

function without(features: readonly string[], flag: string): string[] {
  return features.filter((f) => f !== flag);
}


export const flagGateChecks: CheckDef[] = [
  scenario({
    id: '6.4/heartbeat/no-ping-without-flag',
    statements: ['S6.2-01'],
    spec: '§6.2, §6.4',
    level: 'MUST',
    title: 'a session that did not negotiate heartbeat is never sent a session.ping (nor dropped HEARTBEAT_LOST) while it stays silent for one and a half of the peer\'s heartbeat intervals',
    feature: 'heartbeat',
    needs: ['reconnect'],
    async run(ctx) {
      const probe = await ctx.open('A');
      const intervalSec = Number(field(probe.welcome.payload, 'heartbeat_interval_sec') ?? 30);
      await probe.conn.close();
      if (intervalSec > MAX_HEARTBEAT_SEC) throw new Skip(`heartbeat_interval_sec ${intervalSec} s is too long for this check; run the peer with <= ${MAX_HEARTBEAT_SEC} s`);
      const s = await ctx.open('A', without(probe.features, 'heartbeat'));
      require_(!s.features.includes('heartbeat'), 'could not open a session without heartbeat', s.welcome);
      s.conn.autoPong = false;
      const closed = await s.conn.waitClosed(1.5 * intervalSec * 1000);
      const ping = s.conn.messages().find((m) => m.type === 'session.ping');
      if (ping) throw new Violation(`the peer pinged a session that did not negotiate heartbeat (interval ${intervalSec} s)`, { frame: ping });
      const lost = s.conn.messages().find((m) => m.type === 'session.error' && field(m, 'payload', 'code') === 'HEARTBEAT_LOST');
      if (lost) throw new Violation('the peer declared HEARTBEAT_LOST on a session that did not negotiate heartbeat', { frame: lost });
      require_(!closed, `the peer closed a silent session that did not negotiate heartbeat within ${1.5 * intervalSec} s`);
    },
  }),
  scenario({
    id: '6.2/negotiation/subscribe-and-credentials-gated',
    statements: ['S6.2-01'],
    spec: '§6.2, §7.6, §9.8',
    level: 'MUST',
    title: 'a session without subscribe receives no event of a job it sent job.subscribe for; a session without provisioned_credentials gets no credentials in job.accepted (its own job or a delegated child)',
    agents: [AGENTS.slow, AGENTS.echo, AGENTS.delegator],
    needs: ['reconnect'],
    async run(ctx) {
      const owner = await ctx.open('A');
      const parts: string[] = [];
      if (owner.features.includes('subscribe')) {
        const s = await ctx.open('A', without(owner.features, 'subscribe'));
        require_(!s.features.includes('subscribe'), 'could not open a session without subscribe', s.welcome);
        const jobId = await ctx.submit(owner, AGENTS.slow, { steps: 6, interval_ms: 30 });
        // the client oversteps (§6.2 binds it too); the runtime must still not deliver the feature
        s.conn.send(envelope('job.subscribe', { job_id: jobId, history: true, from_event_seq: 0 }, { session_id: s.sessionId }));
        await ctx.terminal(owner, jobId, Math.max(ctx.timeoutMs, 5000));
        await ctx.sleep(Math.min(200, ctx.timeoutMs / 4));
        const leaked = s.conn.messages().find((m) => m.job_id === jobId && (m.type === 'job.event' || m.type === 'job.result' || m.type === 'job.error' || m.type === 'job.subscribed'));
        if (leaked) throw new Violation(`a session that did not negotiate subscribe received ${leaked.type} of job ${jobId} after sending job.subscribe`, { frame: leaked });
        parts.push('subscribe');
      }
      if (owner.features.includes('provisioned_credentials')) {
        const s = await ctx.open('A', without(owner.features, 'provisioned_credentials'));
        require_(!s.features.includes('provisioned_credentials'), 'could not open a session without provisioned_credentials', s.welcome);
        // what a provisioner bakes into a credential (§9.8.3), so a runtime that issues any would issue one here
        const models: Record<string, string[]> = s.features.includes('model.use') ? { 'model.use': ['tier-fast/*'] } : {};
        const accepted = await ctx.submitRaw(s, AGENTS.echo, { n: 1 }, { lease_request: models });
        require_(accepted.type === 'job.accepted', `submit answered by ${accepted.type} ${String(field(accepted, 'payload', 'code') ?? '')}`, accepted);
        if (credentialsOf(accepted).length > 0) throw new Violation('job.accepted carries credentials on a session that did not negotiate provisioned_credentials', { frame: accepted });
        await ctx.terminal(s, String(jobIdOf(accepted)));
        const parent = await ctx.submitRaw(s, AGENTS.delegator, { agent: AGENTS.echo, input: { n: 2 }, lease_request: {} }, { lease_request: { ...models, 'agent.delegate': ['conformance.*'] } });
        if (parent.type === 'job.accepted') {
          await ctx.terminal(s, String(jobIdOf(parent)), Math.max(ctx.timeoutMs, 5000));
          const child = s.conn.messages().find((m) => m.type === 'job.accepted' && field(m, 'payload', 'parent_job_id') === String(jobIdOf(parent)));
          if (child && credentialsOf(child).length > 0) throw new Violation('a delegated child\'s job.accepted carries credentials on a session that did not negotiate provisioned_credentials', { frame: child });
        }
        parts.push('provisioned_credentials');
      }
      if (parts.length === 0) throw new NotApplicable('the peer offers neither subscribe nor provisioned_credentials');
    },
  }),
];
