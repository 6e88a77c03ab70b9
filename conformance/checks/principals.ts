// §6.6 listing, §7.6 subscription, §9.8/§14 credential redaction: isolation between principals
// and between sessions. Needs --token-b for the two-principal checks.
import { envelope, field, jobIdOf, type Envelope } from '../driver/wire.js';
import type { Session } from '../driver/session.js';
import { SeqOracle } from '../model/seq-oracle.js';
import { AGENTS, requireErrorCode, scenario } from './define.js';
import { require_ } from './outcomes.js';
import type { CheckDef } from './types.js';
import { listedJobIds, listJobs, subscribe } from './wire-probes.js';

function idsOf(reply: Envelope): string[] {
  const jobs = field(reply, 'payload', 'jobs');
  return Array.isArray(jobs) ? jobs.map((j) => String(field(j, 'job_id'))) : [];
}

/** listJobs(), requiring a session.jobs answer. */
async function jobsPage(s: Session, payload?: Record<string, unknown>): Promise<Envelope> {
  const reply = await listJobs(s, payload);
  require_(reply.type === 'session.jobs', `list_jobs answered by ${reply.type}`, reply);
  return reply;
}


/** subscribe(), requiring that the peer accepted. */
async function subscribed(s: Session, jobId: string, opts: { history?: boolean; from_event_seq?: number } = {}): Promise<Envelope> {
  const sub = await subscribe(s, jobId, opts);
  require_(sub.type === 'job.subscribed', `subscribe answered by ${sub.type}`, sub);
  return sub;
}

export const principalChecks: CheckDef[] = [
  scenario({
    id: '6.6/list/own-jobs-listed',
    statements: ['S6.6-01'],
    spec: '§6.6',
    level: 'MUST',
    title: 'session.list_jobs answers with request_id and lists the principal\'s running job',
    feature: 'list_jobs',
    agents: [AGENTS.slow],
    async run(ctx) {
      const a = await ctx.open('A');
      const jobId = await ctx.submit(a, AGENTS.slow, { steps: 20, interval_ms: 25 });
      require_((await listedJobIds(a)).includes(jobId), 'the running job is missing from its own principal\'s listing');
    },
  }),
  scenario({
    id: '6.6/list/other-principal-hidden',
    statements: ['S6.6-03', 'S6.6-04'],
    spec: '§6.6, §14',
    level: 'MUST',
    title: 'a job is never listed to a principal not authorised to know about it',
    feature: 'list_jobs',
    agents: [AGENTS.slow],
    needs: ['two-principals'],
    async run(ctx) {
      const a = await ctx.open('A');
      const jobId = await ctx.submit(a, AGENTS.slow, { steps: 20, interval_ms: 25 });
      const b = await ctx.open('B');
      require_(!(await listedJobIds(b)).includes(jobId), 'principal B sees principal A\'s job in its listing');
    },
  }),
  scenario({
    id: '7.6/subscribe/other-principal-denied',
    statements: ['S6.6-04', 'S7.6-06', 'S14-01'],
    spec: '§7.6, §14',
    level: 'MUST',
    title: 'by default, subscribing to another principal\'s job (with or without history) gets PERMISSION_DENIED (or JOB_NOT_FOUND: existence not leaked)',
    feature: 'subscribe',
    agents: [AGENTS.slow],
    needs: ['two-principals'],
    async run(ctx) {
      const a = await ctx.open('A');
      const jobId = await ctx.submit(a, AGENTS.slow, { steps: 20, interval_ms: 25 });
      const b = await ctx.open('B');
      // with and without history: a live-only subscription needs the same authorisation
      for (const history of [true, false]) {
        const reply = await subscribe(b, jobId, { history });
        requireErrorCode(reply, ['PERMISSION_DENIED', 'JOB_NOT_FOUND'], `cross-principal subscribe (history ${history})`);
      }
    },
  }),
  scenario({
    id: '7.6/subscribe/no-cancel-authority',
    statements: ['S7.4-02', 'S7.6-08', 'S14-02'],
    spec: '§7.6, §7.7, §14',
    level: 'MUST',
    title: 'a subscriber (same principal, other session) cannot cancel the job (catalog §9 #35: the job is not cancelled)',
    feature: 'subscribe',
    agents: [AGENTS.slow],
    needs: ['reconnect'],
    async run(ctx) {
      const a = await ctx.open('A');
      const jobId = await ctx.submit(a, AGENTS.slow, { steps: 6, interval_ms: 40 });
      const watcher = await ctx.open('A');
      await subscribed(watcher, jobId);
      watcher.conn.send(envelope('job.cancel', { reason: 'not mine' }, { session_id: watcher.sessionId, job_id: jobId }));
      const term = await ctx.terminal(a, jobId);
      require_(term.type === 'job.result', `the subscriber's cancel ended the job: ${term.type} ${String(field(term, 'payload', 'code'))}`, term);
    },
  }),
  scenario({
    id: '7.6/subscribe/live-events-own-seq-space',
    statements: ['S7.6-05'],
    spec: '§7.6, §8.3',
    level: 'MUST',
    title: 'a subscriber receives the job\'s live events in its own gap-free seq space, through the terminal',
    feature: 'subscribe',
    agents: [AGENTS.slow, AGENTS.echo],
    needs: ['reconnect'],
    async run(ctx) {
      // a job of its own first: the watcher's seq space is then ahead of the owner's, so events
      // forwarded with the owner's event_seq cannot pass for the watcher's own
      const watcher = await ctx.open('A');
      await ctx.terminal(watcher, await ctx.submit(watcher, AGENTS.echo, { own: true }));
      const a = await ctx.open('A');
      const jobId = await ctx.submit(a, AGENTS.slow, { steps: 5, interval_ms: 40 });
      await subscribed(watcher, jobId, { history: true });
      await ctx.terminal(watcher, jobId);
      const oracle = new SeqOracle().observeAll(watcher.conn.messages());
      require_(oracle.violations.length === 0, oracle.violations.join('; '), oracle.firstOffender);
    },
  }),
  scenario({
    id: '7.6/subscribe/history-replay',
    statements: ['S7.6-02'],
    spec: '§7.6',
    level: 'MUST',
    title: 'subscribe with history replays the job\'s earlier events, then streams live: every progress step exactly once, through the terminal',
    feature: 'subscribe',
    agents: [AGENTS.slow],
    needs: ['reconnect'],
    async run(ctx) {
      const a = await ctx.open('A');
      const steps = 6;
      const jobId = await ctx.submit(a, AGENTS.slow, { steps, interval_ms: 40 });
      await a.conn.expect((m) => m.job_id === jobId && field(m, 'payload', 'kind') === 'progress', 'first progress event');
      const watcher = await ctx.open('A');
      await subscribed(watcher, jobId, { history: true, from_event_seq: 0 });
      await ctx.terminal(watcher, jobId);
      const currents = watcher.conn
        .messages()
        .filter((m) => m.job_id === jobId && field(m, 'payload', 'kind') === 'progress')
        .map((m) => Number(field(m, 'payload', 'body', 'current')));
      if (currents.length > 0 || watcher.features.includes('progress')) {
        require_(JSON.stringify(currents) === JSON.stringify([1, 2, 3, 4, 5, 6]), `subscriber saw progress ${JSON.stringify(currents)}, expected 1..${steps} once each`);
      }
    },
  }),
  scenario({
    id: '6.6/list/pagination',
    statements: ['S6.6-02'],
    spec: '§6.6',
    level: 'interop',
    gradeReason: 'limit and cursor semantics are not specified (catalog §10 #28); only running jobs are paged, so the MUST inventory rule S6.6-02 is not asserted in full here',
    title: 'filter, limit and the opaque cursor page through every running job exactly once (catalog §6.7)',
    feature: 'list_jobs',
    agents: [AGENTS.slow],
    needs: ['reconnect'],
    async run(ctx) {
      const a = await ctx.open('A');
      const mine = [];
      for (let i = 0; i < 3; i++) mine.push(await ctx.submit(a, AGENTS.slow, { steps: 20, interval_ms: 25 }));
      const seen: string[] = [];
      let cursor: unknown = null;
      // the filter keeps the walk short on a peer that retains many finished jobs (catalog §9 #32)
      const filter = { status: ['pending', 'running'], agent: AGENTS.slow };
      for (let page = 0; page < 200; page++) {
        const reply = await jobsPage(a, { filter, limit: 1, ...(cursor ? { cursor } : {}) });
        const ids = idsOf(reply);
        require_(ids.length <= 1, `limit 1 returned ${ids.length} jobs`);
        seen.push(...ids);
        cursor = field(reply, 'payload', 'next_cursor');
        if (cursor === null || cursor === undefined) break;
      }
      require_(new Set(seen).size === seen.length, 'a job appeared on two pages');
      for (const j of mine) require_(seen.includes(j), `job ${j} never appeared while paging`);
    },
  }),
  scenario({
    id: '9.8/credentials/redacted-for-non-submitters',
    statements: ['S7.6-04', 'S14-08'],
    spec: '§7.6, §9.8, §14',
    level: 'MUST',
    title: 'credentials never reach a principal other than the submitter (listings, job.subscribed, a rotated value in a history replay)',
    feature: 'provisioned_credentials',
    agents: [AGENTS.slow],
    needs: ['two-principals'],
    async run(ctx) {
      const a = await ctx.open('A');
      const accepted = await ctx.submitRaw(a, AGENTS.slow, { steps: 20, interval_ms: 25 });
      require_(accepted.type === 'job.accepted', `submit answered by ${accepted.type}`, accepted);
      const jobId = String(accepted.job_id);
      const secrets = ((field(accepted, 'payload', 'credentials') as unknown[]) ?? []).map((c) => String(field(c, 'value')));
      const b = await ctx.open('B');
      if (b.features.includes('list_jobs')) await listJobs(b);
      if (b.features.includes('subscribe')) {
        await subscribe(b, jobId, { history: true });
      }
      // a rotated value reaches an observer on another path: the forwarded status (live, or in a
      // history replay after the job ended); the optional rotator makes one (docs/conformance-agents.md)
      const inventory = field(a.welcome.payload, 'capabilities', 'agents');
      const hostsRotator = Array.isArray(inventory) && inventory.some((e) => field(e, 'name') === AGENTS.rotator);
      if (hostsRotator && b.features.includes('subscribe')) {
        const lease: Record<string, string[]> = a.features.includes('model.use') ? { 'model.use': ['tier-fast/*'] } : {};
        const rotating = await ctx.submitRaw(a, AGENTS.rotator, {}, { lease_request: lease });
        if (rotating.type === 'job.accepted') {
          const rotId = String(jobIdOf(rotating));
          await ctx.terminal(a, rotId);
          for (const c of (field(rotating, 'payload', 'credentials') as unknown[]) ?? []) secrets.push(String(field(c, 'value')));
          for (const m of a.conn.messages()) {
            if (m.job_id !== rotId || field(m, 'payload', 'kind') !== 'status' || field(m, 'payload', 'body', 'phase') !== 'credential_rotated') continue;
            const body = field(m, 'payload', 'body');
            for (const v of [field(body, 'details', 'value'), field(body, 'value')]) if (typeof v === 'string' && v !== '') secrets.push(v);
          }
          await subscribe(b, rotId, { history: true, from_event_seq: 0 });
        }
      }
      await ctx.sleep(50);
      const leaked = b.conn.received.filter((f) => f.text.includes('"credentials"') || secrets.some((v) => v && f.text.includes(v)));
      require_(leaked.length === 0, `principal B received credential material: ${leaked[0]?.text.slice(0, 200)}`);
    },
  }),
];
