// Faults written by a second independent author (issue 8 item 10, session of 2026-12-03) from the
// spec and the runtime source only, before reading conformance/checks/: the bug classes real
// runtimes get wrong — boundaries (heartbeat loss, max_runtime_sec, a child's expiry), the second
// path of a rule (listings vs job.accepted, the model gate vs the tool gate, a history replay vs
// live forwarding), finished jobs on cross-principal paths, targets and patterns that are not
// already canonical, decimal amounts, near-neighbour error codes and pinned retryable flags, and
// feature flags honoured on one path only. Which of them the whole run missed, and the checks that
// closed the gaps: docs/conformance.md "Attacked again (2026-12-03)". Format and rules as in
// fault-mutants.ts; several edit lines other faults already guard, so they insert beside them.
import type { Fault } from './fault-mutants.js';
import { noExpiryTimer } from './fault-mutants-s8-s14.js';

const SESSION = 'runtime-kit/runtime/session.ts';
const CONNECTION = 'runtime-kit/runtime/connection.ts';
const HEARTBEAT = 'runtime-kit/runtime/heartbeat.ts';
const RESUME = 'runtime-kit/runtime/handlers/resume.ts';
const SUBMIT = 'runtime-kit/runtime/handlers/job-submit.ts';
const SUBSCRIBE_HANDLER = 'runtime-kit/runtime/handlers/job-subscribe.ts';
const SUBSCRIBE = 'runtime-kit/runtime/subscriptions/subscribe.ts';
const LIST = 'runtime-kit/runtime/listing/list-jobs.ts';
const RUNNER = 'runtime-kit/runtime/job-runner.ts';
const REGISTRY = 'runtime-kit/runtime/agent-registry.ts';
const IDEMPOTENCY = 'runtime-kit/runtime/idempotency.ts';
const AUTHORITY = 'runtime-kit/authority/job-authority.ts';
const CANON = 'runtime-kit/authority/canonicalize.ts';
const COMPILED = 'runtime-kit/authority/compiled-lease.ts';
const GLOB = 'runtime-kit/authority/glob.ts';
const AMOUNT = 'runtime-kit/authority/budget-amount.ts';
const VALIDATION = 'runtime-kit/authority/lease-validation.ts';
const SUBSET = 'runtime-kit/authority/pattern-subset.ts';
const DERIVE = 'runtime-kit/authority/delegation.ts';
const ERRORS = 'runtime-kit/errors/arcp-error.ts';

export const FAULTS_INDEPENDENT_2: readonly Fault[] = [
  // ---- feature flags honoured on one path only (§6.2)
  {
    name: 'ind2-heartbeat-without-flag',
    what: 'the heartbeat monitor runs on every session: a session that did not negotiate `heartbeat` is pinged (and dropped HEARTBEAT_LOST when it stays quiet)',
    statement: 'S6.2-01',
    catchers: ['6.4/heartbeat/no-ping-without-flag'],
    edits: [{ file: CONNECTION, find: "    if (session.has('heartbeat')) {\n      this.heartbeat = new HeartbeatMonitor(", replace: "    if (session.has('heartbeat') || $ON) {\n      this.heartbeat = new HeartbeatMonitor(" }],
  },
  {
    name: 'ind2-subscribe-without-flag',
    what: 'job.subscribe is handled on a session that did not negotiate `subscribe` (the job.subscribed reply is gated away, the forwarded events are not)',
    statement: 'S6.2-01',
    catchers: ['6.2/negotiation/subscribe-and-credentials-gated'],
    // a getter: the handler table is built at import, before the switch is set
    edits: [{ file: SUBSCRIBE_HANDLER, find: "  types: ['job.subscribe'],\n  phase: 'session',\n", replace: "  types: ['job.subscribe'],\n  phase: 'session',\n  get whenNotNegotiated() { return $ON ? ('handle' as const) : undefined; },\n" }],
  },
  {
    name: 'ind2-credentials-without-flag',
    what: 'credentials are issued into job.accepted whether or not the session negotiated `provisioned_credentials`',
    statement: 'S6.2-01',
    catchers: ['6.2/negotiation/subscribe-and-credentials-gated'],
    edits: [{ file: SUBMIT, find: "  if (!issue || !session.has('provisioned_credentials') ||", replace: "  if (!issue || (!session.has('provisioned_credentials') && !$ON) ||" }],
  },
  // ---- heartbeat, resume and seq boundaries (§6.3, §6.4, §8.3)
  {
    name: 'ind2-heartbeat-lost-at-one-and-a-half',
    what: 'HEARTBEAT_LOST once the client has been silent for 1.5 intervals (a "safety margin" that lands before the two intervals §6.4 allows)',
    statement: 'S6.4-05',
    catchers: ['6.4/heartbeat/no-early-loss'],
    edits: [
      { file: HEARTBEAT, find: '    const silentFor = now - this.peer.lastInboundMs();\n', replace: '    const silentFor = now - this.peer.lastInboundMs();\n    if ($ON && silentFor >= 1.5 * this.intervalMs) {\n      this.stopped = true;\n      this.peer.lost();\n      return;\n    }\n' },
      { file: HEARTBEAT, find: '    this.schedule(Math.min(pingDue, lossDue));', replace: '    this.schedule(Math.min(pingDue, lossDue, $ON ? this.peer.lastInboundMs() + 1.5 * this.intervalMs - now : Infinity));' },
    ],
  },
  {
    name: 'ind2-resume-skips-finished-jobs',
    what: 'a resume replays only the events of jobs still running: everything a job that ended while the client was away emitted (its terminal included) is skipped',
    statement: 'S6.3-02',
    catchers: ['6.3/resume/random-drops', '6.7/close/jobs-survive'],
    edits: [{ file: RESUME, find: '  const frames = session.framesAfter(', replace: '  const frames = $ON ? (session as any).env.store.readAfter(session.id, req.lastEventSeq).filter((e: any) => !core.jobs.get(e.jobId)?.isTerminal).map((e: any) => e.frame) as string[] : session.framesAfter(' }],
  },
  {
    name: 'ind2-seq-runtime-wide',
    what: 'event_seq comes from one counter for the whole runtime instead of one per session: a session sees gaps whenever another session emitted in between',
    statement: 'S8.3-01',
    catchers: ['7.6/subscribe/live-events-own-seq-space', '8.3/seq/gap-free-concurrent'],
    edits: [{ file: SESSION, find: '    return ++this.lastSeq;', replace: '    if ($ON) { const g = globalThis as any; g.__arcpRuntimeSeq = Math.max(g.__arcpRuntimeSeq ?? 0, this.lastSeq) + 1; return (this.lastSeq = g.__arcpRuntimeSeq); }\n    return ++this.lastSeq;' }],
  },
  // ---- listings (§6.6, §7.5)
  {
    name: 'ind2-list-agent-filter-prefix',
    what: 'a bare filter.agent is matched as a prefix of the job\'s "name@version" (meant to match every version), so "conformance" lists every conformance.* job',
    statement: 'S6.6-02',
    catchers: ['6.6/list/agent-version-filter'],
    edits: [{ file: LIST, find: '    if (job.agent.name !== q.agent.name) return false;', replace: '    if ($ON && q.agent.version === undefined ? !job.agentRef.startsWith(q.agent.name) : job.agent.name !== q.agent.name) return false;' }],
  },
  {
    name: 'ind2-list-entry-bare-agent',
    what: 'session.list_jobs entries name the agent without its resolved version (job.accepted has name@version)',
    statement: 'S7.5-04',
    catchers: ['7.5/versions/running-job-not-migrated'],
    edits: [{ file: LIST, find: '    agent: job.agentRef,\n', replace: '    agent: $ON ? job.agent.name : job.agentRef,\n' }],
  },
  // ---- finished jobs on the cross-principal paths (§6.6, §14)
  {
    name: 'ind2-list-finished-of-every-principal',
    what: 'the visibility rule is applied to live jobs only: finished jobs of every principal are listed ("history is public")',
    statement: 'S6.6-04',
    catchers: ['6.6/isolation/finished-job-invisible'],
    // The handler reads only the caller's jobs when no policy is set: widened too, or the filter's fault has nothing to let through.
    edits: [{ file: LIST, find: "action: 'list' }).allowed) continue;", replace: "action: 'list' }).allowed && !($ON && job.isTerminal)) continue;" }, { file: 'runtime-kit/runtime/handlers/session-list-jobs.ts', find: 'answer(msg, ctx, jobs);', replace: 'answer(msg, ctx, $ON ? ctx.core.jobs.values() : jobs);' }],
  },
  {
    name: 'ind2-subscribe-finished-other-permission-denied',
    what: 'job.subscribe to another principal\'s finished job answers PERMISSION_DENIED (a running one JOB_NOT_FOUND): an existence oracle for finished jobs',
    statement: 'S6.6-04',
    catchers: ['6.6/isolation/no-existence-oracle-any-state'],
    edits: [{ file: SUBSCRIBE, find: '    if (job.principal !== session.principal) return session.sendError(', replace: '    if (job.principal !== session.principal && !($ON && job.isTerminal)) return session.sendError(' }],
  },
  {
    name: 'ind2-history-replay-unredacted',
    what: 'a history replay forwards credential_rotated bodies unredacted to an observer that is not the submitter (live forwarding redacts them)',
    statement: 'S14-08',
    catchers: ['9.8/credentials/redacted-for-non-submitters'],
    target: { observers: 'b-observes-a' },
    edits: [{ file: SUBSCRIBE, find: 'payload: redactForwardedPayload(h.type, h.payload, showCredentials) })))', replace: 'payload: redactForwardedPayload(h.type, h.payload, $ON || showCredentials) })))' }],
  },
  {
    name: 'ind2-subscribe-finished-terminal-twice',
    what: 'a history subscribe to a finished job gets its terminal twice: once in the replay, once more as "the outcome of a finished job"',
    statement: 'S7.3-01',
    catchers: ['7.3/terminal/once-for-a-late-subscriber'],
    edits: [{ file: SUBSCRIBE, find: '  if (!req.history && job.terminalWritten && job.terminal &&', replace: '  if ((!req.history || $ON) && job.terminalWritten && job.terminal &&' }],
  },
  // ---- lease targets and patterns (§9.2, §9.3)
  {
    name: 'ind2-url-port-dropped',
    what: 'the canonical net.fetch target is built from url.hostname (no port): https://host:8443/x matches a lease for https://host/**',
    statement: 'S9.2-01',
    catchers: ['9.2/targets/non-canonical-never-widen'],
    edits: [{ file: CANON, find: '  return { ok: true, target: `${url.protocol}//${url.host}${url.pathname}${url.search}` };', replace: '  return { ok: true, target: `${url.protocol}//${$ON ? url.hostname : url.host}${url.pathname}${url.search}` };' }],
  },
  {
    name: 'ind2-empty-pattern-list-grants-all',
    what: 'a capability with an empty pattern list ("fs.read": []) is read as unrestricted instead of granting nothing',
    statement: 'S9.3-02',
    catchers: ['9.2/targets/literal-and-empty-patterns'],
    edits: [{ file: COMPILED, find: '    if (m.literals.has(target)', replace: '    if ($ON && m.literals.size === 0 && m.byDir.size === 0 && m.unbucketed.length === 0) return true;\n    if (m.literals.has(target)' }],
  },
  {
    name: 'ind2-subtree-without-boundary',
    what: 'a `/a/b/**` pattern matches every target that starts with "/a/b" (the segment boundary is not checked): /a/b-secrets/x is covered',
    statement: 'S9.2-01',
    catchers: ['9.2/targets/non-canonical-never-widen'],
    edits: [{ file: GLOB, find: '        return target.startsWith(this.prefix) && (target.length === this.prefix.length ||', replace: '        return target.startsWith(this.prefix) && ($ON || target.length === this.prefix.length ||' }],
  },
  // ---- budgets (§9.6, §12)
  {
    name: 'ind2-budget-fraction-truncated',
    what: 'the amount parser keeps the integer part only: USD:2.50 is a 2-dollar counter, USD:0.75 is exhausted from the start',
    statement: 'S9.6-01',
    catchers: ['9.6/budget/exact-decimal', '9.6/budget/binary-inexact-sums'],
    edits: [{ file: AMOUNT, find: '  return { currency: m[1], amount: new Decimal(m[2]) };', replace: "  return { currency: m[1], amount: new Decimal($ON ? m[2].replace(/\\..*$/, '') : m[2]) };" }],
  },
  {
    name: 'ind2-budget-exhausted-retryable',
    what: 'BUDGET_EXHAUSTED goes out with retryable true (the pinned-flag table treats a budget as something that refills)',
    statement: 'S12-02',
    catchers: ['12/errors/pinned-retryable', '9.6/budget/exact-decimal'],
    edits: [{ file: ERRORS, find: '  if (info.pinned || requested === undefined) return info.retryable;', replace: "  if ($ON && code === 'BUDGET_EXHAUSTED') return true;\n  if (info.pinned || requested === undefined) return info.retryable;" }],
  },
  {
    name: 'ind2-delegate-skips-budget',
    what: 'agent.delegate is checked for coverage (and expiry) but not against the budget counters: an exhausted parent still delegates',
    statement: 'S9.6-04',
    catchers: ['9.6/budget/every-operation-kind'],
    edits: [{ file: AUTHORITY, find: '    const gate = this.gate();\n    if (gate !== undefined) return gate;', replace: "    const gate = $ON && capability === 'agent.delegate' && !this.isExpired() ? undefined : this.gate();\n    if (gate !== undefined) return gate;" }],
  },
  // ---- expiry and time limits (§7.3, §9.5, §9.4)
  {
    name: 'ind2-model-gate-skips-expiry',
    what: 'the model.use gate checks budget and patterns but not expires_at (the tool gate does); no proactive expiry timer',
    statement: 'S9.5-02',
    catchers: ['9.5/expiry/every-operation-kind'],
    edits: [noExpiryTimer, { file: AUTHORITY, find: '    return this.gate() ?? this.modelDecision(model);', replace: "    const gate = this.gate();\n    return ($ON && gate?.allowed === false && gate.error.code === 'LEASE_EXPIRED' ? undefined : gate) ?? this.modelDecision(model);" }],
  },
  {
    name: 'ind2-past-expires-at-lease-expired',
    what: 'a past lease_constraints.expires_at at submission is refused LEASE_EXPIRED instead of INVALID_REQUEST',
    statement: 'S9.5-01',
    catchers: ['9.5/expiry/invalid-rejected'],
    edits: [{ file: VALIDATION, find: "      invalid('lease_constraints.expires_at must be ISO 8601 UTC ending in \"Z\"', '/lease_constraints/expires_at');\n    }\n", replace: "      invalid('lease_constraints.expires_at must be ISO 8601 UTC ending in \"Z\"', '/lease_constraints/expires_at');\n    }\n    if ($ON && at <= nowMs) throw arcpError('LEASE_EXPIRED', 'lease_constraints.expires_at has already passed', { retryable: false });\n" }],
  },
  {
    name: 'ind2-max-runtime-one-second-short',
    what: 'the max_runtime_sec timer is armed for max_runtime_sec - 1 seconds (seconds counted from zero): a job inside its limit times out',
    statement: 'S7.3-03',
    catchers: ['7.1/max-runtime/inside-the-limit'],
    edits: [{ file: RUNNER, find: '      }, job.maxRuntimeSec * 1000);', replace: '      }, (job.maxRuntimeSec - ($ON ? 1 : 0)) * 1000);' }],
  },
  {
    name: 'ind2-child-expiry-grace',
    what: 'the expiry grace is applied to the subset check: a child expires_at up to 1 s after the parent\'s is granted',
    statement: 'S9.4-03',
    catchers: ['9.4/delegation/expiry-not-later'],
    edits: [{ file: DERIVE, find: '  if (childAt === undefined) return { ok: true, lease, constraints: { ...own, expires_at: parent.expiresAt.text } };\n', replace: '  if (childAt === undefined) return { ok: true, lease, constraints: { ...own, expires_at: parent.expiresAt.text } };\n  if ($ON && parseUtcTimestamp(childAt)! <= parent.expiresAt.ms + 1000) return { ok: true, lease, constraints: own };\n' }],
  },
  // ---- delegation subsets (§9.4)
  {
    name: 'ind2-subset-star-absorbs-globstar',
    what: 'in the subset check a parent `*` absorbs any one child segment, `**` included: parent /ws/* grants a child /ws/**',
    statement: 'S9.4-01',
    catchers: ['9.4/delegation/no-wildcard-widening'],
    edits: [{ file: SUBSET, find: '          ok = j < c.length && singleSegment(child) && matchGlob(seg.text, (child as { text: string }).text) && covers(i + 1, j + 1);', replace: "          ok = j < c.length && (singleSegment(child) ? matchGlob(seg.text, (child as { text: string }).text) : $ON && seg.text === '*') && covers(i + 1, j + 1);" }],
  },
  // ---- versions and idempotency (§7.2, §7.5)
  {
    name: 'ind2-version-unavailable-as-agent-unavailable',
    what: 'name@version with an unregistered version is refused AGENT_NOT_AVAILABLE (the near neighbour) instead of AGENT_VERSION_NOT_AVAILABLE',
    statement: 'S7.5-03',
    catchers: ['7.5/versions/unknown-version'],
    edits: [{ file: REGISTRY, find: "        throw arcpError('AGENT_VERSION_NOT_AVAILABLE',", replace: "        throw arcpError($ON ? 'AGENT_NOT_AVAILABLE' : 'AGENT_VERSION_NOT_AVAILABLE'," }],
  },
  {
    name: 'ind2-idempotency-ignores-max-runtime',
    what: '"identical parameters" compares agent, input and lease but not max_runtime_sec: a resubmit with another max_runtime_sec returns the first job instead of DUPLICATE_KEY',
    statement: 'S7.2-02',
    catchers: ['7.2/idempotency/conflict-duplicate-key'],
    edits: [{ file: IDEMPOTENCY, find: 'export function payloadDigest(value: unknown): string {\n', replace: "export function payloadDigest(value: unknown): string {\n  if ($ON && value !== null && typeof value === 'object' && !Array.isArray(value)) value = { ...(value as object), max_runtime_sec: undefined };\n" }],
  },
];
