// §6.6 listing, walked the way a client pages it: filter + limit 1 + next_cursor until null. An
// inventory that a pager cannot complete is incomplete, whatever one big page shows — a runtime
// that filters after cutting the page, or whose cursor skips the next job, lists every job when
// limit is 1000 (found by attacking the harness, issue 8). Expectations are derived from the
// runtime's own unfiltered listing (its created_at and agent fields), so any timestamp
// resolution works; created_after is a strict bound.
import { field, type Envelope } from '../driver/wire.js';
import type { Session } from '../driver/session.js';
import { AGENTS, scenario } from './define.js';
import { NotApplicable, require_, Violation } from './outcomes.js';
import type { CheckDef } from './types.js';
import { listJobs } from './wire-probes.js';

interface Entry {
  jobId: string;
  agent: string;
  createdAt: string;
  createdMs: number;
  status: string;
}

function entriesOf(reply: Envelope): Entry[] {
  const jobs = field(reply, 'payload', 'jobs');
  return (Array.isArray(jobs) ? jobs : []).map((j) => ({ jobId: String(field(j, 'job_id')), agent: String(field(j, 'agent')), createdAt: String(field(j, 'created_at')), createdMs: Date.parse(String(field(j, 'created_at'))), status: String(field(j, 'status')) }));
}

/** Pages through a listing with limit 1; every page frame is kept (named in messages). */
async function walk(s: Session, filter: Record<string, unknown>, maxPages: number): Promise<{ ids: string[]; pages: Envelope[] }> {
  const ids: string[] = [];
  const pages: Envelope[] = [];
  let cursor: unknown = null;
  for (let i = 0; i < maxPages; i++) {
    const reply = await listJobs(s, { filter, limit: 1, ...(cursor ? { cursor } : {}) });
    require_(reply.type === 'session.jobs', `list_jobs answered by ${reply.type} ${String(field(reply, 'payload', 'code') ?? '')}`, reply);
    pages.push(reply);
    ids.push(...entriesOf(reply).map((e) => e.jobId));
    cursor = field(reply, 'payload', 'next_cursor');
    if (cursor === null || cursor === undefined) return { ids, pages };
  }
  throw new Violation(`paging did not end after ${maxPages} pages of limit 1`, { frame: pages[pages.length - 1] });
}

const nameOf = (agent: string) => agent.replace(/@[^@]*$/, '');

export const listingWalkChecks: CheckDef[] = [
  scenario({
    id: '6.6/list/paged-filters-complete',
    statements: ['S6.6-02'],
    spec: '§6.6',
    level: 'MUST',
    title: 'paging a filtered listing (agent, created_after, limit 1, next_cursor) reaches every matching job, finished ones included, and never one the filter excludes; a finished job is listed with its final status',
    feature: 'list_jobs',
    agents: [AGENTS.echo, AGENTS.failer],
    async run(ctx) {
      const s = await ctx.open('A');
      const marker = await ctx.submit(s, AGENTS.echo, { marker: true });
      await ctx.terminal(s, marker);
      await ctx.sleep(20);
      const mine = new Map<string, Envelope>();
      for (let i = 0; i < 3; i++) {
        for (const agent of [AGENTS.echo, AGENTS.failer]) {
          const id = await ctx.submit(s, agent, agent === AGENTS.echo ? { page: i } : {});
          mine.set(id, await ctx.terminal(s, id));
        }
      }
      const full = await listJobs(s, { limit: 1000 });
      require_(full.type === 'session.jobs', `list_jobs answered by ${full.type}`, full);
      const all = entriesOf(full);
      const markerEntry = all.find((e) => e.jobId === marker);
      require_(markerEntry !== undefined && Number.isFinite(markerEntry.createdMs), `the finished marker job ${marker} is not listed with a created_at`, full);
      const after = markerEntry!.createdAt;
      const wanted = (e: Entry) => nameOf(e.agent) === AGENTS.echo && e.createdMs > markerEntry!.createdMs;
      const { ids, pages } = await walk(s, { agent: AGENTS.echo, created_after: after }, all.length + 5);
      for (const e of all.filter(wanted)) {
        if (!ids.includes(e.jobId)) throw new Violation(`job ${e.jobId} (${e.agent}, created ${new Date(e.createdMs).toISOString()}) matches filter agent ${AGENTS.echo} + created_after ${after} but never appeared while paging (${pages.length} pages)`, { frame: pages[pages.length - 1] });
      }
      for (const id of ids) {
        const e = all.find((x) => x.jobId === id);
        if (e && !wanted(e)) throw new Violation(`paging with filter agent ${AGENTS.echo} + created_after ${after} listed ${id} (${e.agent}, created ${new Date(e.createdMs).toISOString()}), which the filter excludes`, { frame: pages.find((p) => entriesOf(p).some((x) => x.jobId === id)) });
      }
      for (const [id, term] of mine) {
        const e = all.find((x) => x.jobId === id);
        require_(e !== undefined, `finished job ${id} of this session is missing from the unfiltered listing`, full);
        const final = String(field(term, 'payload', 'final_status'));
        require_(e!.status === final, `the listing says job ${id} is ${e!.status}; it ended ${final} (${String(term.type)} ${String(term.id)})`, full);
      }
    },
  }),
  scenario({
    id: '6.6/list/agent-version-filter',
    statements: ['S6.6-02'],
    spec: '§6.6, §7.5',
    level: 'MUST',
    title: 'filter.agent "name@version" lists only jobs that ran that version; the bare name lists both versions and nothing else (a name that is only a prefix of agent names lists none of them)',
    feature: 'list_jobs',
    agents: [AGENTS.versioned, AGENTS.echo],
    async run(ctx) {
      const s = await ctx.open('A');
      if (!s.features.includes('agent_versions')) throw new NotApplicable('needs agent_versions');
      const v1 = await ctx.submit(s, `${AGENTS.versioned}@1.0.0`, {});
      const v2 = await ctx.submit(s, `${AGENTS.versioned}@2.0.0`, {});
      await ctx.terminal(s, v1);
      await ctx.terminal(s, v2);
      const pinned = await listJobs(s, { filter: { agent: `${AGENTS.versioned}@1.0.0` }, limit: 1000 });
      require_(pinned.type === 'session.jobs', `list_jobs answered by ${pinned.type}`, pinned);
      const pinnedIds = entriesOf(pinned).map((e) => e.jobId);
      require_(pinnedIds.includes(v1), `filter agent ${AGENTS.versioned}@1.0.0 dropped the job that ran 1.0.0`, pinned);
      require_(!pinnedIds.includes(v2), `filter agent ${AGENTS.versioned}@1.0.0 still lists ${v2}, which ran 2.0.0`, pinned);
      const bare = await listJobs(s, { filter: { agent: AGENTS.versioned }, limit: 1000 });
      const bareIds = entriesOf(bare).map((e) => e.jobId);
      require_(bareIds.includes(v1) && bareIds.includes(v2), `filter agent ${AGENTS.versioned} (bare name) does not list both versions' jobs`, bare);
      // The bare name is the whole name, not a prefix: neither of another agent whose name shares
      // the prefix nor of one whose name the filter is a prefix of (a startsWith on "name@version").
      const other = await ctx.submit(s, AGENTS.echo, {});
      await ctx.terminal(s, other);
      const again = await listJobs(s, { filter: { agent: AGENTS.versioned }, limit: 1000 });
      require_(!entriesOf(again).some((e) => e.jobId === other), `filter agent ${AGENTS.versioned} lists ${other}, a job of ${AGENTS.echo}`, again);
      const prefix = AGENTS.versioned.slice(0, AGENTS.versioned.indexOf('.'));
      const byPrefix = await listJobs(s, { filter: { agent: prefix }, limit: 1000 });
      const leaked = entriesOf(byPrefix).filter((e) => [v1, v2, other].includes(e.jobId));
      require_(leaked.length === 0, `filter agent "${prefix}" (a prefix of the agents' names, not a name) lists ${leaked.map((e) => e.jobId).join(', ')}`, byPrefix);
    },
  }),
];
