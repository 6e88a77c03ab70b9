// Faults written by an independent author ("attack-harness", issue 8) from the spec and the
// runtime source only, before reading the rest of the catalogue: the kind of bug real SDKs ship
// (off-by-ones, a filter applied after the limit, one filter field not wired, a stale snapshot,
// the wrong element removed, a leak on the second path). Each names the check that must catch
// it; the ones the whole run missed before got a new check (see docs/conformance.md,
// "Attacked by an independent author"). Same format and rules as fault-mutants.ts.
import type { Fault } from './fault-mutants.js';

const LIST = 'runtime-kit/runtime/listing/list-jobs.ts';
const SUBSCRIBE = 'runtime-kit/runtime/subscriptions/subscribe.ts';
const REGISTRY = 'runtime-kit/runtime/subscriptions/subscription-registry.ts';
const RESUME = 'runtime-kit/runtime/handlers/resume.ts';
const SESSION = 'runtime-kit/runtime/session.ts';
const RUNNER = 'runtime-kit/runtime/job-runner.ts';
const BUDGET = 'runtime-kit/authority/budget.ts';
const DELEGATION = 'runtime-kit/runtime/delegation/delegation-service.ts';

export const FAULTS_ATTACK: readonly Fault[] = [
  {
    name: 'attack-list-cursor-skips-next',
    what: 'next_cursor encodes the first job after the page (the "next item") while the cursor is read as exclusive: a pager never sees that job',
    statement: 'S6.6-02',
    catchers: ['6.6/list/paged-filters-complete'],
    edits: [{ file: LIST, find: 'encodeCursor(position(page[page.length - 1]!))', replace: 'encodeCursor(position(($ON ? matches[page.length] : undefined) ?? page[page.length - 1]!))' }],
  },
  {
    name: 'attack-list-filter-after-limit',
    what: 'session.list_jobs cuts the page to `limit` first and filters afterwards: a filtered page comes back short (or empty) while matching jobs exist',
    statement: 'S6.6-02',
    catchers: ['6.6/list/paged-filters-complete'],
    edits: [
      // list-filter-ignored (fault-mutants.ts) already guards this line: extend its condition
      { file: LIST, find: ' && !matchesQuery(job, query)) continue;', replace: ' && !$ON && !matchesQuery(job, query)) continue;' },
      { file: LIST, find: 'const page = matches.slice(0, query.limit);', replace: 'const page = $ON ? matches.slice(0, query.limit).filter((j) => matchesQuery(j, query)) : matches.slice(0, query.limit);' },
    ],
  },
  {
    name: 'attack-list-created-after-ignored',
    what: 'filter.created_after is parsed but never applied (one filter field not wired)',
    statement: 'S6.6-02',
    catchers: ['6.6/list/paged-filters-complete'],
    edits: [{ file: LIST, find: 'if (q.createdAfterMs !== undefined && !(job.createdAtMs > q.createdAfterMs)) return false;', replace: 'if (!$ON && q.createdAfterMs !== undefined && !(job.createdAtMs > q.createdAfterMs)) return false;' }],
  },
  {
    name: 'attack-subscribe-from-seq-inclusive',
    what: 'job.subscribe history replays events with seq >= from_event_seq instead of seq > from_event_seq',
    statement: 'S7.6-02',
    catchers: ['7.6/subscribe/history-from-position'],
    edits: [{ file: SUBSCRIBE, find: '(req.fromEventSeq ?? 0) + (', replace: '(req.fromEventSeq ?? 0) - ($ON ? 1 : 0) + (' }], // history-from-wrong-position guards the same call,
  },
  {
    name: 'attack-subscribe-from-seq-implies-history',
    what: 'a from_event_seq without history: true is taken to mean history: true, so a history-false subscribe replays',
    statement: 'S7.6-03',
    catchers: ['7.6/subscribe/from-seq-without-history'],
    edits: [{ file: SUBSCRIBE, find: 'const history = req.history ||', replace: 'const history = req.history || ($ON && req.fromEventSeq !== undefined) ||' }], // after history-false-replays,
  },
  {
    name: 'attack-subscribed-budget-from-acceptance',
    what: 'job.subscribed.budget shows the counters from job.accepted (a cached snapshot), not the current ones',
    statement: 'S7.6-01',
    catchers: ['7.6/subscribe/descriptor-is-current'],
    edits: [{ file: SUBSCRIBE, find: 'const budget = job.authority?.budget();', replace: 'const budget = $ON ? job.acceptedPayload?.budget : job.authority?.budget();' }],
  },
  {
    name: 'attack-subscribed-status-stale-for-finished',
    what: 'job.subscribed.current_status of a finished job still says running (status cached before the terminal)',
    statement: 'S7.6-01',
    catchers: ['7.6/subscribe/descriptor-is-current'],
    edits: [{ file: SUBSCRIBE, find: 'current_status: job.state,', replace: "current_status: $ON && job.isTerminal ? 'running' : job.state," }],
  },
  {
    name: 'attack-unsubscribe-removes-wrong-job',
    what: 'job.unsubscribe removes the session\'s first subscription whatever job_id it names: unsubscribing X stops delivery of Y',
    statement: 'S7.6-05',
    catchers: ['7.6/unsubscribe/only-the-named-job'],
    edits: [{ file: REGISTRY, find: 'const sub = this.bySession.get(subscriber)?.get(jobId);', replace: 'const sub = $ON ? [...(this.bySession.get(subscriber)?.values() ?? [])][0] : this.bySession.get(subscriber)?.get(jobId);' }],
  },
  {
    name: 'attack-resume-replays-boundary-event',
    what: 'resume replays from last_event_seq inclusive: the client gets the event it already had again (a repeated event_seq)',
    statement: 'S6.3-02',
    catchers: ['6.3/resume/replays-missed-events'],
    edits: [{ file: RESUME, find: ' ? req.lastEventSeq + 1 : req.lastEventSeq)', replace: ' ? req.lastEventSeq + 1 : req.lastEventSeq - ($ON ? 1 : 0))' }], // after resume-off-by-one,
  },
  {
    name: 'attack-resume-covers-one-freed',
    what: 'the coverage test is off by one: a resume from one before the freed prefix is accepted and silently skips the freed event',
    statement: 'S6.3-03',
    catchers: ['6.3/resume/below-freed-prefix'],
    edits: [{ file: SESSION, find: 'return lastEventSeq >= this.env.store.stats(this.id).freedThrough;', replace: 'return lastEventSeq + ($ON ? 1 : 0) >= this.env.store.stats(this.id).freedThrough;' }],
  },
  {
    name: 'attack-timeout-final-status-error',
    what: 'a max_runtime_sec timeout ends with code TIMEOUT but final_status "error" instead of "timed_out" (the encoder refuses that pair, so the wire shows INTERNAL_ERROR: same symptom as max-runtime-wrong-code)',
    statement: 'S7.3-03',
    catchers: ['7.1/max-runtime/timeout'],
    edits: [{ file: RUNNER, find: "error.code === 'TIMEOUT' || (", replace: "(error.code === 'TIMEOUT' && !$ON) || (" }], // after lease-expired-timed-out,
  },
  {
    name: 'attack-subscribe-unknown-invalid-request',
    what: 'job.subscribe of an unknown job answers INVALID_REQUEST ("no such job") instead of JOB_NOT_FOUND, while another principal\'s job still gets JOB_NOT_FOUND',
    statement: 'S12-03',
    catchers: ['7.6/subscribe/unknown-job'],
    edits: [{ file: SUBSCRIBE, find: "    audit('not_found', 'unknown job');\n    return session.sendError(arcpError('JOB_NOT_FOUND',", replace: "    audit('not_found', 'unknown job');\n    return session.sendError(arcpError($ON ? 'INVALID_REQUEST' : 'JOB_NOT_FOUND'," }],
  },
  {
    name: 'attack-list-status-stale-for-finished',
    what: 'a session.list_jobs entry of a finished job says status running (the status filter reads the live state, the entry a stale copy)',
    statement: 'S6.6-02',
    catchers: ['6.6/list/paged-filters-complete'],
    edits: [{ file: LIST, find: '    status: job.state,', replace: "    status: $ON && job.isTerminal ? 'running' : job.state," }],
  },
  {
    name: 'attack-budget-gauge-before-decrement',
    what: 'the cost.budget.remaining gauge reports the counter before the charge that triggered it',
    statement: 'S9.6-02',
    catchers: ['9.6/budget/remaining-gauge-tracks-costs'],
    edits: [{ file: BUDGET, find: 'return { remaining: [{ currency: metric.unit as string, value: counter.value.toNumber() }] };', replace: 'return { remaining: [{ currency: metric.unit as string, value: ($ON ? before : counter.value).toNumber() }] };' }],
  },
  {
    name: 'attack-list-agent-version-ignored',
    what: 'filter.agent "name@version" matches every version of the name (the version half of the filter is not wired)',
    statement: 'S6.6-02',
    catchers: ['6.6/list/agent-version-filter'],
    edits: [{ file: LIST, find: 'if (q.agent.version !== undefined && job.agent.version !== q.agent.version) return false;', replace: 'if (!$ON && q.agent.version !== undefined && job.agent.version !== q.agent.version) return false;' }],
  },
  {
    name: 'attack-subscribed-without-constraints',
    what: 'job.subscribed leaves out the job\'s lease_constraints (job.accepted echoes them)',
    statement: 'S7.6-01',
    catchers: ['7.6/subscribe/descriptor-is-current'],
    edits: [{ file: SUBSCRIBE, find: 'if (job.leaseConstraints !== undefined) payload.lease_constraints = job.leaseConstraints;', replace: 'if (!$ON && job.leaseConstraints !== undefined) payload.lease_constraints = job.leaseConstraints;' }],
  },
  {
    name: 'attack-child-accepted-without-constraints',
    what: 'a delegated child\'s own job.accepted leaves out its lease_constraints (the inherited expires_at is enforced but not echoed)',
    statement: 'S7.1-01',
    catchers: ['10/delegation/child-inherits-expiry'],
    edits: [{ file: DELEGATION, find: 'if (child.leaseConstraints !== undefined) payload.lease_constraints = child.leaseConstraints;', replace: 'if (!$ON && child.leaseConstraints !== undefined) payload.lease_constraints = child.leaseConstraints;' }],
  },
  {
    name: 'attack-child-accepted-without-budget',
    what: 'a delegated child\'s own job.accepted leaves out its initial budget counters (the submit path has them)',
    statement: 'S7.1-02',
    catchers: ['10/delegation/child-accepted-budget'],
    edits: [{ file: DELEGATION, find: 'const budget = child.authority.budget();\n    if (budget !== undefined) payload.budget = budget;', replace: 'const budget = child.authority.budget();\n    if (!$ON && budget !== undefined) payload.budget = budget;' }],
  },
];
