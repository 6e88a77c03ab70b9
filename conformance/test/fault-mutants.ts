// The fault catalogue: each fault is a small source mutation of runtime-kit that breaks one
// normative statement where the wire can show it, and the checks that must catch it: MUST-level,
// or for a SHOULD statement no MUST shows (`grade: 'SHOULD'`), that statement's SHOULD checks.
// Faults never live in the product: fault-scratch.ts applies every mutation to a scratch copy
// of runtime-kit/ + generated/, each guarded by a switch (`$ON` below), so one transformed copy
// serves the whole suite. A mutation whose `find` text no longer occurs exactly once fails the
// suite: a refactor of the product must carry its faults along. State that outlives one run
// (module-level caches) must be bypassed while a fault is on, or the switch comes too late.

import { FAULTS_S2_S7 } from './fault-mutants-s2-s7.js';
import { FAULTS_S8_S14 } from './fault-mutants-s8-s14.js';
import { FAULTS_ATTACK } from './fault-mutants-attack.js';
import { FAULTS_INDEPENDENT_2 } from './fault-mutants-independent-2.js';

export interface Mutation {
  /** Path from the repository root. */
  readonly file: string;
  /** Exact text, present exactly once when this mutation is applied. */
  readonly find: string;
  /** Replacement; `$ON` is the fault's switch (a boolean expression). */
  readonly replace: string;
}

export interface Fault {
  readonly name: string;
  readonly what: string;
  /** The statement of conformance/statements.json it breaks. */
  readonly statement: string;
  /**
   * Checks at the fault's grade; the first must fail with the fault on (the others are
   * alternatives). MUST-level unless `grade` says otherwise.
   */
  readonly catchers: readonly string[];
  /**
   * 'SHOULD' for a fault that breaks a SHOULD statement no MUST shows on the wire: its catchers
   * are the statement's SHOULD checks, and catching it means they warn (a run still exits 0).
   */
  readonly grade?: 'SHOULD';
  readonly edits: readonly Mutation[];
  /** In-process target settings the fault needs to be observable. */
  readonly target?: { observers?: 'b-observes-a' };
  /** The harness profile the first catcher needs (e.g. a check that runs under --profile spec only). */
  readonly profile?: 'spec';
}

const SESSION = 'runtime-kit/runtime/session.ts';
const RESUME = 'runtime-kit/runtime/handlers/resume.ts';
const RUNNER = 'runtime-kit/runtime/job-runner.ts';
const LIST = 'runtime-kit/runtime/listing/list-jobs.ts';
const SUBMIT = 'runtime-kit/runtime/handlers/job-submit.ts';
const CANON = 'runtime-kit/authority/canonicalize.ts';
const AUTHORITY = 'runtime-kit/authority/job-authority.ts';
const DELEGATION = 'runtime-kit/runtime/delegation/delegation-service.ts';
const G = '(globalThis as any)';

export const FAULTS: readonly Fault[] = [
  // §8.3 sequencing
  {
    name: 'seq-skip',
    what: 'event_seq jumps by 2 before every 5th sequenced envelope',
    statement: 'S8.3-01',
    catchers: ['8.3/seq/gap-free-concurrent', '8.3/seq/random-concurrent-jobs'],
    edits: [{ file: SESSION, find: '  private allocateSeq(): number {\n', replace: '  private allocateSeq(): number {\n    if ($ON && (this.lastSeq + 1) % 5 === 0) return (this.lastSeq += 2);\n' }],
  },
  {
    name: 'seq-repeat',
    what: 'every 5th sequenced envelope re-uses the previous event_seq',
    statement: 'S8.3-01',
    catchers: ['8.3/seq/gap-free-concurrent', '8.3/seq/random-concurrent-jobs'],
    edits: [{ file: SESSION, find: '  private allocateSeq(): number {\n', replace: `  private allocateSeq(): number {\n    if ($ON && this.lastSeq > 0 && (${G}.__arcpSeqN = (${G}.__arcpSeqN ?? 0) + 1) % 5 === 0) return this.lastSeq;\n` }],
  },
  // §6.3 resume
  {
    name: 'resume-off-by-one',
    what: 'resume replays from last_event_seq + 2 (the first missed event is lost)',
    statement: 'S6.3-02',
    catchers: ['6.3/resume/replay-from-earlier-position', '6.3/resume/random-drops'],
    edits: [{ file: RESUME, find: 'session.framesAfter(req.lastEventSeq)', replace: 'session.framesAfter($ON ? req.lastEventSeq + 1 : req.lastEventSeq)' }],
  },
  {
    name: 'drop-while-away',
    what: 'events emitted while no transport is attached are not buffered',
    statement: 'S6.3-02',
    catchers: ['6.3/resume/replays-missed-events', '6.3/resume/random-drops'],
    edits: [{ file: SESSION, find: '      evicted = this.env.store.append(this.id, { seq, type, jobId, frame });', replace: '      if (!($ON && this.connection === undefined)) evicted = this.env.store.append(this.id, { seq, type, jobId, frame });' }],
  },
  {
    name: 'resume-token-reuse',
    what: 'a used resume token is accepted again',
    statement: 'S6.3-01',
    catchers: ['6.3/resume/token-single-use'],
    edits: [
      { file: RESUME, find: '  return tokensEqual(presented, session.resumeToken);', replace: `  if ($ON && (${G}.__arcpUsedTokens ??= new Set()).has(presented)) return true;\n  return tokensEqual(presented, session.resumeToken);` },
      { file: RESUME, find: '  session.resumeToken = mintResumeToken();', replace: `  if ($ON) (${G}.__arcpUsedTokens ??= new Set()).add(session.resumeToken);\n  session.resumeToken = mintResumeToken();` },
    ],
  },
  {
    name: 'resume-token-not-rotated',
    what: 'the welcome after a resume re-issues the same token',
    statement: 'S6.3-01',
    catchers: ['6.3/resume/token-rotates'],
    edits: [{ file: RESUME, find: '  session.resumeToken = mintResumeToken();', replace: '  if ($ON) return;\n  session.resumeToken = mintResumeToken();' }],
  },
  {
    name: 'resume-window-ignored',
    what: 'a detached session never expires: resume works long after resume_window_sec',
    statement: 'S6.3-03',
    catchers: ['6.3/resume/window-expired'],
    edits: [{ file: SESSION, find: "    return this.machine.is('detached') && nowMs - this.lastActivityMs > this.env.options.resumeWindowMs;", replace: "    return !$ON && this.machine.is('detached') && nowMs - this.lastActivityMs > this.env.options.resumeWindowMs;" }],
  },
  // §7 jobs
  {
    name: 'double-terminal',
    what: 'every job emits its terminal envelope twice',
    statement: 'S7.3-01',
    catchers: ['7.3/terminal/exactly-one', '8.3/seq/random-concurrent-jobs'],
    edits: [{ file: RUNNER, find: '    if (job.pendingOutput === 0) this.recordEnd(job);', replace: '    if ($ON) job.emit(job.terminal.type, job.terminal.payload);\n    if (job.pendingOutput === 0) this.recordEnd(job);' }],
  },
  {
    name: 'close-kills-jobs',
    what: 'session.close cancels the session\'s in-flight jobs',
    statement: 'S6.7-02',
    catchers: ['6.7/close/jobs-survive'],
    edits: [
      {
        file: 'runtime-kit/runtime/handlers/session-close.ts',
        find: "    if (msg.type === 'session.close') session.completeClose();",
        replace: "    if ($ON) for (const id of session.liveJobIds()) { const j = ctx.core.jobs.get(id); if (j) ctx.core.runner.cancel(j, 'session closed'); }\n    if (msg.type === 'session.close') session.completeClose();",
      },
    ],
  },
  {
    name: 'feature-outside-negotiated',
    what: 'progress/result_chunk events are sent even when not negotiated',
    statement: 'S6.2-01',
    catchers: ['6.2/negotiation/progress-only-if-negotiated', '6.2/negotiation/random-subsets'],
    edits: [
      { file: SESSION, find: " && !eventAllowed(this.features, payload)) return undefined;", replace: ' && !eventAllowed(this.features, payload) && !$ON) return undefined;' },
      { file: 'runtime-kit/runtime/job-context.ts', find: '    return this.job.owner.has(feature);', replace: '    return this.job.owner.has(feature) || $ON;' },
    ],
  },
  {
    name: 'forwarded-events-ungated',
    what: 'events of jobs the session does not own (subscribed, attached) skip the feature gate',
    statement: 'S6.2-01',
    catchers: ['6.2/negotiation/gated-kinds-every-path'],
    edits: [{ file: SESSION, find: "    if (type === 'job.event' && !eventAllowed(this.features, payload)", replace: "    if (type === 'job.event' && !($ON && !this.liveJobs.has(jobId)) && !eventAllowed(this.features, payload)" }],
  },
  {
    name: 'cancel-ignored',
    what: 'after job.cancel, an agent returning normally ends in job.result success',
    statement: 'S7.4-01',
    catchers: ['7.4/cancel/terminal-is-cancelled'],
    edits: [{ file: RUNNER, find: '    if (job.cancelRequested) {\n      return this.finishCancelled(', replace: '    if (job.cancelRequested && !$ON) {\n      return this.finishCancelled(' }],
  },
  {
    // (never enforcing it at all makes 7.1/max-runtime/timeout hit the runner's check timeout:
    // errored, not failed; see the report)
    name: 'max-runtime-wrong-code',
    what: 'a job over max_runtime_sec ends in job.error INTERNAL_ERROR instead of TIMEOUT / timed_out',
    statement: 'S7.3-03',
    catchers: ['7.1/max-runtime/timeout'],
    edits: [{ file: RUNNER, find: "this.finishError(job, arcpError('TIMEOUT', `job exceeded", replace: "this.finishError(job, arcpError($ON ? 'INTERNAL_ERROR' : 'TIMEOUT', `job exceeded" }],
  },
  {
    name: 'idempotent-finished-no-terminal',
    what: 'an idempotent hit on a finished job re-sends job.accepted but never the terminal',
    statement: 'S7.2-03',
    catchers: ['7.2/idempotency/finished-job-reaches-outcome'],
    edits: [
      { file: SUBMIT, find: '  if (job.terminal) ctx.core.runner.replayTerminal(session, job);', replace: '  if (job.terminal && !$ON) ctx.core.runner.replayTerminal(session, job);' },
      // the same for an ended job the key keeps only as a compact view (keyed-job.ts)
      { file: SUBMIT, find: '      session.emitSequenced(terminal.type, job.jobId, job.traceId, terminal.payload);', replace: '      if (!$ON) session.emitSequenced(terminal.type, job.jobId, job.traceId, terminal.payload);' },
    ],
  },
  {
    name: 'idempotency-key-global',
    what: 'idempotency keys are shared by all principals',
    statement: 'S7.2-04',
    catchers: ['7.2/idempotency/key-scoped-to-principal'],
    edits: [{ file: 'runtime-kit/runtime/idempotency.ts', find: 'function scope(principal: string, key: string): string {\n', replace: "function scope(principal: string, key: string): string {\n  if ($ON) principal = 'everyone';\n" }],
  },
  {
    name: 'unknown-agent-internal-error',
    what: 'an unregistered agent gets INTERNAL_ERROR instead of AGENT_NOT_AVAILABLE',
    statement: 'S7.5-06',
    catchers: ['12/submit/agent-not-available'],
    edits: [{ file: 'runtime-kit/runtime/agent-registry.ts', find: "      throw arcpError('AGENT_NOT_AVAILABLE',", replace: "      throw arcpError($ON ? 'INTERNAL_ERROR' : 'AGENT_NOT_AVAILABLE'," }],
  },
  {
    name: 'result-cap-wrong-code',
    what: 'a result over the chunk cap ends the job with INVALID_REQUEST instead of INTERNAL_ERROR',
    statement: 'S14-11',
    catchers: ['14/results/over-cap-internal-error'],
    edits: [{ file: 'runtime-kit/runtime/result-stream.ts', find: "    const error = arcpError('INTERNAL_ERROR', message, { retryable: true, details: { result_id: this.resultId } });", replace: "    const error = arcpError($ON ? 'INVALID_REQUEST' : 'INTERNAL_ERROR', message, { retryable: true, details: { result_id: this.resultId } });" }],
  },
  // §6.6 listing, §7.6 subscription, §14 isolation
  {
    name: 'list-other-principal',
    what: 'session.list_jobs lists every principal\'s jobs',
    statement: 'S6.6-04',
    catchers: ['6.6/list/other-principal-hidden', '6.6/list/random-principals'],
    // The handler reads only the caller's jobs when no policy is set: widened too, or the filter's fault has nothing to let through.
    edits: [{ file: LIST, find: '    if (!decideObserve(', replace: '    if (!$ON && !decideObserve(' }, { file: 'runtime-kit/runtime/handlers/session-list-jobs.ts', find: 'const jobs = policy ?', replace: 'const jobs = policy || $ON ?' }],
  },
  {
    name: 'list-omits-finished',
    what: 'session.list_jobs lists running jobs only',
    statement: 'S6.6-02',
    catchers: ['6.6/list/finished-listed-filters-narrow'],
    edits: [{ file: LIST, find: '    if (job.isTerminal && now - completedAtMs(job) > scope.retentionMs) continue;', replace: '    if (job.isTerminal && ($ON || now - completedAtMs(job) > scope.retentionMs)) continue;' }],
  },
  {
    name: 'list-filter-ignored',
    what: 'session.list_jobs ignores its filter',
    statement: 'S6.6-02',
    catchers: ['6.6/list/finished-listed-filters-narrow'],
    edits: [{ file: LIST, find: '    if (!matchesQuery(job, query)) continue;', replace: '    if (!$ON && !matchesQuery(job, query)) continue;' }],
  },
  {
    name: 'history-false-replays',
    what: 'job.subscribe replays the job\'s history even with history false',
    statement: 'S7.6-03',
    catchers: ['7.6/subscribe/no-history-no-replay'],
    edits: [{ file: 'runtime-kit/runtime/subscriptions/subscribe.ts', find: '  const history = req.history ? deps.history.after(', replace: '  const history = req.history || $ON ? deps.history.after(' }],
  },
  {
    name: 'unsubscribe-ignored',
    what: 'job.unsubscribe is accepted but delivery goes on',
    statement: 'S7.6-07',
    catchers: ['7.6/unsubscribe/stops-delivery'],
    edits: [{ file: 'runtime-kit/runtime/subscriptions/subscription-registry.ts', find: '  removeLink(subscriber: Session, jobId: string): boolean {\n', replace: '  removeLink(subscriber: Session, jobId: string): boolean {\n    if ($ON) return true;\n' }],
  },
  {
    name: 'list-subscribes',
    what: 'session.list_jobs subscribes the listing session to every live job it lists',
    statement: 'S6.6-05',
    catchers: ['6.6/list/does-not-subscribe'],
    edits: [
      {
        file: 'runtime-kit/runtime/handlers/session-list-jobs.ts',
        find: "  session.sendControl(envelope<SessionJobs>('session.jobs', { session_id: session.id }, payload));",
        replace: "  session.sendControl(envelope<SessionJobs>('session.jobs', { session_id: session.id }, payload));\n  if ($ON) for (const j of payload.jobs) { const job = ctx.core.jobs.get(j.job_id); if (job && !job.isTerminal && job.owner !== session) authorityServicesOf(ctx.core).subscriptions.add(job, session, false); }",
      },
    ],
  },
  {
    name: 'subscribed-without-lease',
    what: 'job.subscribed describes the job with an empty lease',
    statement: 'S7.6-01',
    catchers: ['7.6/subscribe/descriptor'],
    edits: [{ file: 'runtime-kit/runtime/subscriptions/subscribe.ts', find: '    lease: job.lease,\n    parent_job_id', replace: '    lease: $ON ? {} : job.lease,\n    parent_job_id' }],
  },
  {
    name: 'leak-credentials-to-observer',
    what: 'job.subscribed includes credentials for non-submitters',
    statement: 'S7.6-04',
    catchers: ['9.8/credentials/redacted-for-non-submitters'],
    target: { observers: 'b-observes-a' },
    edits: [{ file: 'runtime-kit/runtime/subscriptions/redaction.ts', find: '  return observerPrincipal === submitterPrincipal;', replace: '  return $ON || observerPrincipal === submitterPrincipal;' }],
  },
  {
    name: 'credentials-issued-late',
    what: 'credentials are left out of job.accepted (the client first sees them in job.subscribed)',
    statement: 'S9.8.2-01',
    catchers: ['9.8/credentials/issued-at-acceptance'],
    edits: [{ file: SUBMIT, find: '    if (credentials && credentials.length > 0) payload.credentials = credentials;', replace: '    if (credentials && credentials.length > 0 && !$ON) payload.credentials = credentials;' }],
  },
  {
    name: 'credential-without-endpoint',
    what: 'provisioned credentials carry an empty endpoint',
    statement: 'S9.8.1-01',
    catchers: ['9.8/credentials/issued-at-acceptance'],
    edits: [{ file: 'runtime-kit/authority/credentials/reference-provisioner.ts', find: "      endpoint: this.opts.endpoint ?? 'https://gateway.invalid/v1',", replace: "      endpoint: $ON ? '' : this.opts.endpoint ?? 'https://gateway.invalid/v1'," }],
  },
  {
    name: 'subscriber-can-cancel',
    what: 'any session of the submitting principal may cancel the job (a subscription confers cancel authority)',
    statement: 'S7.6-08',
    catchers: ['7.6/subscribe/no-cancel-authority', '7.6/subscribe/random-observers'],
    edits: [{ file: 'runtime-kit/runtime/handlers/job-cancel.ts', find: '    if (job.owner !== session) {', replace: '    if (job.owner !== session && !$ON) {' }],
  },
  {
    name: 'finished-job-visible-to-others',
    what: 'jobs of another principal can be subscribed to once they finished',
    statement: 'S6.6-04',
    catchers: ['6.6/isolation/finished-job-invisible'],
    edits: [{ file: 'runtime-kit/runtime/subscriptions/subscribe.ts', find: '  if (!decision.allowed) {', replace: '  if (!decision.allowed && !($ON && job.isTerminal)) {' }],
  },
  // §6.1 handshake
  {
    name: 'unauthenticated-stays-open',
    what: 'the transport stays open after session.error UNAUTHENTICATED',
    statement: 'S6.1-01',
    catchers: ['6.1/auth/refusal-closes-transport'],
    edits: [{ file: 'runtime-kit/runtime/connection.ts', find: "    void this.close(code === CLOSE_CODES.TOO_MANY ? 'rate limited' : 'authentication failed', code);", replace: "    if (!$ON) void this.close(code === CLOSE_CODES.TOO_MANY ? 'rate limited' : 'authentication failed', code);" }],
  },
  // §9 leases and budgets
  {
    name: 'glob-star-crosses-slash',
    what: 'a lease `*` matches across `/` (compiled like `**`)',
    statement: 'S9.2-01',
    catchers: ['9.2/glob/star-is-one-segment', '9.3/lease/random-ops'],
    edits: [
      { file: 'runtime-kit/authority/glob.ts', find: '        push(run >= 2 ? ANY : STAR);', replace: '        push(run >= 2 || $ON ? ANY : STAR);' },
      // the compiled-pattern cache outlives one run: the mutant neither reads nor fills it
      { file: 'runtime-kit/authority/glob.ts', find: '  let compiled = cache.get(pattern);', replace: '  let compiled = $ON ? undefined : cache.get(pattern);' },
      { file: 'runtime-kit/authority/glob.ts', find: '    cache.set(pattern, compiled);', replace: '    if (!$ON) cache.set(pattern, compiled);' },
    ],
  },
  {
    name: 'paths-not-canonicalised',
    what: 'fs targets are matched raw: dot segments are never resolved',
    statement: 'S9.2-01',
    catchers: ['9.2/targets/non-canonical-never-widen'],
    edits: [{ file: CANON, find: '  if (!NOT_ALREADY_CANONICAL.test(target)) return { ok: true, target };', replace: '  if ($ON || !NOT_ALREADY_CANONICAL.test(target)) return { ok: true, target };' }],
  },
  // No fault for percent-encoded separators: refusing them is a catalog position (§10 #30), not a
  // MUST of the spec, so it is checked at interop grade (9.2/targets/percent-encoded-never-widen).
  {
    name: 'literal-is-prefix',
    what: 'a literal lease pattern also matches every target it prefixes',
    statement: 'S9.2-01',
    catchers: ['9.2/targets/literal-and-empty-patterns'],
    edits: [{ file: 'runtime-kit/authority/compiled-lease.ts', find: '    if (m.literals.has(target)) return true;', replace: '    if (m.literals.has(target) || ($ON && [...m.literals].some((l) => target.startsWith(l)))) return true;' }],
  },
  {
    name: 'model-subset-unchecked',
    what: 'a child\'s model.use is granted without checking it against the parent\'s',
    statement: 'S9.4-06',
    catchers: ['9.4/delegation/model-subset'],
    edits: [{ file: 'runtime-kit/authority/lease-subset.ts', find: '    if (!patternsCovered(parentPatterns, patterns)) return', replace: "    if (!patternsCovered(parentPatterns, patterns) && !($ON && capability === 'model.use')) return" }],
  },
  {
    name: 'agent-reports-allowed',
    what: 'the conformance agents report every operation as allowed, whatever the runtime decided',
    statement: 'S9.3-02',
    catchers: ['9.2/glob/star-is-one-segment', '9.7/model/gate'],
    edits: [{ file: 'runtime-kit/agents/conformance-authority.ts', find: '  return d.allowed ? { allowed: true } : { allowed: false, code: d.error.code };', replace: '  return d.allowed || $ON ? { allowed: true } : { allowed: false, code: d.error.code };' }],
  },
  {
    name: 'ignore-expires-at',
    what: 'operations after lease_constraints.expires_at are still allowed',
    statement: 'S9.5-03',
    catchers: ['9.5/expiry/ops-after-expiry-fail'],
    edits: [
      { file: AUTHORITY, find: '    if (this.isExpired()) {\n      return deny(', replace: '    if (this.isExpired() && !$ON) {\n      return deny(' },
      // the proactive expiry timer would end the job anyway
      { file: 'runtime-kit/runtime/enforcement/expiry-timers.ts', find: '  arm(job: Job, authority: ExpiringAuthority): void {\n', replace: '  arm(job: Job, authority: ExpiringAuthority): void {\n    if ($ON) return;\n' },
    ],
  },
  {
    name: 'lease-expired-retryable',
    what: 'LEASE_EXPIRED errors carry retryable true',
    statement: 'S12-02',
    catchers: ['9.5/expiry/ops-after-expiry-fail', '12/errors/pinned-retryable'],
    // the pin lives in the error model: unpinning it is the realistic bug
    edits: [{ file: 'runtime-kit/errors/arcp-error.ts', find: '  if (info.pinned || requested === undefined) return info.retryable;', replace: "  if ($ON && code === 'LEASE_EXPIRED') return true;\n  if (info.pinned || requested === undefined) return info.retryable;" }],
  },
  {
    name: 'budget-float-drift',
    what: 'costs are rounded to binary32 before they are subtracted',
    statement: 'S9.6-02',
    catchers: ['9.6/budget/exact-decimal', '9.6/budget/random-costs', '9.6/budget/binary-inexact-sums'],
    edits: [{ file: 'runtime-kit/authority/budget.ts', find: '    counter.value = before.minus(new Decimal(value));', replace: '    counter.value = $ON ? new Decimal(Math.fround(Math.fround(before.toNumber()) - Math.fround(value))) : before.minus(new Decimal(value));' }],
  },
  {
    name: 'budget-binary64',
    what: 'budget counters are plain JavaScript numbers (1.00 - 10 x 0.10 = 1.4e-16)',
    statement: 'S9.6-05',
    catchers: ['9.6/budget/binary-inexact-sums'],
    // applied after budget-float-drift, inside its else branch
    edits: [{ file: 'runtime-kit/authority/budget.ts', find: 'before.minus(new Decimal(value));', replace: '($ON ? new Decimal(before.toNumber() - value) : before.minus(new Decimal(value)));' }],
  },
  {
    name: 'budget-unlimited-without-lease',
    what: 'a job without cost.budget is refused BUDGET_EXHAUSTED (no budget read as an empty one)',
    statement: 'S7.1-03',
    catchers: ['7.1/limits/inside-limits-succeed'],
    edits: [{ file: AUTHORITY, find: '    if (this.counters.isExhausted()) {', replace: '    if (this.counters.isExhausted() || ($ON && !this.hasBudget)) {' }],
  },
  // §9.4 / §10 / §11 delegation, from the child's side
  {
    name: 'child-runs-under-parent-lease',
    what: 'the child job gets the parent\'s lease instead of the derived one',
    statement: 'S10-02',
    catchers: ['10/delegation/child-side'],
    edits: [{ file: DELEGATION, find: '      lease: decision.lease,\n', replace: '      lease: $ON ? parent.lease : decision.lease,\n' }],
  },
  {
    name: 'child-new-trace',
    what: 'the child job does not carry the parent\'s trace_id',
    statement: 'S11-01',
    catchers: ['10/delegation/child-side'],
    edits: [{ file: DELEGATION, find: '      traceId: parent.traceId,', replace: "      traceId: $ON ? 'ffffffffffffffffffffffffffffffff' : parent.traceId," }],
  },
  {
    name: 'child-drops-expiry',
    what: 'a child that omits lease_constraints runs without the parent\'s expires_at',
    statement: 'S9.4-05',
    catchers: ['10/delegation/child-inherits-expiry'],
    edits: [{ file: DELEGATION, find: '      ...(decision.constraints !== undefined ? { leaseConstraints: decision.constraints } : {}),\n      traceId', replace: '      ...(decision.constraints !== undefined && !$ON ? { leaseConstraints: decision.constraints } : {}),\n      traceId' }],
  },
  // one fault per covered statement (second batch)
  {
    name: 'pong-wrong-nonce',
    what: 'session.pong echoes another nonce than the ping\'s',
    statement: 'S6.4-02',
    catchers: ['6.4/pong/answers-ping'],
    edits: [{ file: 'runtime-kit/runtime/handlers/session-heartbeat.ts', find: '        ping_nonce: ping.payload.nonce,', replace: "        ping_nonce: $ON ? 'p_other' : ping.payload.nonce," }],
  },
  {
    name: 'list-wrong-request-id',
    what: 'session.jobs carries a request_id that is not the list_jobs envelope id',
    statement: 'S6.6-01',
    catchers: ['6.6/list/own-jobs-listed'],
    edits: [{ file: LIST, find: '    request_id: requestId,', replace: "    request_id: $ON ? 'msg_other' : requestId," }],
  },
  {
    name: 'idempotent-new-job',
    what: 'an idempotent resubmit with identical parameters starts a new job',
    statement: 'S7.2-01',
    catchers: ['7.2/idempotency/same-accepted', '7.2/idempotency/random-resubmits'],
    edits: [{ file: 'runtime-kit/runtime/idempotency.ts', find: '    const record = this.records.get(scope(principal, key));', replace: '    const record = $ON ? undefined : this.records.get(scope(principal, key));' }],
  },
  {
    name: 'conflict-treated-same',
    what: 'a reused key with other parameters returns the first job instead of DUPLICATE_KEY',
    statement: 'S7.2-02',
    catchers: ['7.2/idempotency/conflict-duplicate-key', '7.2/idempotency/random-resubmits'],
    edits: [{ file: 'runtime-kit/runtime/idempotency.ts', find: "    const kind = record.payloadDigest === payloadDigest(submitPayload) ? 'same' : 'conflict';", replace: "    const kind = $ON || record.payloadDigest === payloadDigest(submitPayload) ? 'same' : 'conflict';" }],
  },
  {
    name: 'accepted-without-budget',
    what: 'job.accepted omits the initial budget counters',
    statement: 'S7.1-02',
    catchers: ['9.6/budget/accepted-counters'],
    edits: [{ file: SUBMIT, find: '    if (budget !== undefined) payload.budget = budget;', replace: '    if (budget !== undefined && !$ON) payload.budget = budget;' }],
  },
  {
    name: 'observe-any-principal',
    what: 'without a policy every principal may observe every job (subscribe, list)',
    statement: 'S14-01',
    catchers: ['7.6/subscribe/other-principal-denied', '7.6/subscribe/random-observers'],
    edits: [{ file: 'runtime-kit/runtime/subscriptions/subscribe-policy.ts', find: "  if (policy === undefined) return { allowed: false, reason: 'default policy: same principal only' };", replace: "  if (policy === undefined) return { allowed: $ON, reason: 'default policy: same principal only' };" }],
  },
  {
    name: 'negative-cost-accepted',
    what: 'a negative cost is applied (it raises the counter)',
    statement: 'S9.6-03',
    catchers: ['9.6/budget/negative-cost-no-decrement'],
    edits: [{ file: 'runtime-kit/authority/budget.ts', find: "    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {", replace: "    if (typeof value !== 'number' || !Number.isFinite(value) || (value < 0 && !$ON)) {" }],
  },
  {
    name: 'model-gate-open',
    what: 'every model is allowed once the lease has any model.use pattern',
    statement: 'S9.7-01',
    catchers: ['9.7/model/gate'],
    edits: [{ file: AUTHORITY, find: "    return this.compiled.covers('model.use', canonical.target) ? {", replace: "    return $ON || this.compiled.covers('model.use', canonical.target) ? {" }],
  },
  {
    name: 'child-budget-unchecked',
    what: 'a child cost.budget above the parent\'s remaining budget is granted',
    statement: 'S9.4-02',
    catchers: ['9.4/delegation/budget-within-remaining'],
    edits: [{ file: 'runtime-kit/authority/lease-subset.ts', find: '        if (amount.gt(ceiling)) return', replace: '        if (amount.gt(ceiling) && !$ON) return' }],
  },
  {
    name: 'child-patterns-unchecked',
    what: 'child patterns are granted without checking them against the parent\'s',
    statement: 'S9.4-01',
    catchers: ['9.4/delegation/subset-enforced', '9.4/delegation/random-leases'],
    // applied after model-subset-unchecked, on the same condition
    edits: [{ file: 'runtime-kit/authority/lease-subset.ts', find: '    if (!patternsCovered(parentPatterns, patterns)', replace: '    if (!$ON && !patternsCovered(parentPatterns, patterns)' }],
  },
  {
    name: 'malformed-frame-dropped',
    what: 'a frame that fails to decode is dropped without a reply (the TS reference runtime\'s behaviour)',
    statement: 'S12-01',
    catchers: ['12/invalid-request/malformed-json', '5/robustness/malformed-json'],
    edits: [{ file: 'runtime-kit/runtime/connection.ts', find: '      this.sendError(decoded.error, corr);\n      return;', replace: '      if (!$ON) this.sendError(decoded.error, corr);\n      return;' }],
  },
  {
    name: 'past-expiry-accepted',
    what: 'lease_constraints.expires_at in the past is accepted at submission',
    statement: 'S9.5-01',
    catchers: ['9.5/expiry/invalid-rejected'],
    edits: [{ file: 'runtime-kit/authority/lease-validation.ts', find: "    if (at <= nowMs) invalid(", replace: "    if (at <= nowMs && !$ON) invalid(" }],
  },
  {
    name: 'chunked-result-without-result-id',
    what: 'the job.result after result_chunk events names another result_id',
    statement: 'S8.4-05',
    catchers: ['8.4/chunks/utf8-assembly'],
    edits: [{ file: RUNNER, find: "      const payload: JobResultPayload = { final_status: 'success', result_id: stream.resultId,", replace: "      const payload: JobResultPayload = { final_status: 'success', result_id: $ON ? 'res_01JABCDEFGHJKMNPQRSTVWXYZ0' : stream.resultId," }],
  },
  {
    name: 'bare-name-runs-oldest',
    what: 'a bare agent name runs the oldest registered version instead of the advertised default',
    statement: 'S7.5-01',
    catchers: ['7.5/versions/default'],
    edits: [{ file: 'runtime-kit/runtime/agent-registry.ts', find: '    const version = defaultVersion(entry);\n    if (version === undefined) {', replace: '    const version = $ON ? [...entry.versions.keys()][0] : defaultVersion(entry);\n    if (version === undefined) {' }],
  },
  {
    name: 'history-from-wrong-position',
    what: 'job.subscribe with history replays from from_event_seq + 2 (skips one event)',
    statement: 'S7.6-02',
    // 7.6/subscribe/history-replay (from 0) misses it: the skipped event is status running
    catchers: ['7.6/subscribe/history-from-position'],
    edits: [{ file: 'runtime-kit/runtime/subscriptions/subscribe.ts', find: 'deps.history.after(job.jobId, req.fromEventSeq ?? 0)', replace: 'deps.history.after(job.jobId, (req.fromEventSeq ?? 0) + ($ON ? 1 : 0))' }],
  },
  // Invented by attacking the harness (chosen from the spec and the runtime, not from the checks).
  // Tried and left out because no MUST statement forbids them (interop-level checks or none see
  // them): next_cursor skipping one job per page boundary, limit + 1 entries per page, next_cursor
  // null with one job left (6.6/list/pagination, interop), the welcome listing every supported
  // feature (6.2/negotiation/welcome-subset-of-hello, interop), job.cancelled for an already
  // finished job, cost units matched case-insensitively (catalog-level rule), HEARTBEAT_LOST after
  // one silent interval instead of two (a MAY; unseen by every check).
  {
    name: 'seq-gap-after-resume',
    what: 'a resume skips one event_seq: the first live event after the welcome leaves a gap',
    statement: 'S8.3-01',
    catchers: ['6.3/resume/replays-missed-events', '6.3/resume/replay-from-earlier-position'],
    edits: [{ file: RESUME, find: '  connection.bind(session);\n', replace: '  connection.bind(session);\n  if ($ON) (session as any).lastSeq += 1;\n' }],
  },
  {
    name: 'ack-frees-one-more',
    what: 'session.ack frees one event past last_processed_seq (resume from the acked position is refused)',
    statement: 'S6.5-01',
    catchers: ['6.5/ack/frees-only-acknowledged'],
    edits: [{ file: SESSION, find: 'this.env.store.ack(this.id, Math.min(lastProcessedSeq, this.lastSeq));', replace: 'this.env.store.ack(this.id, Math.min($ON ? lastProcessedSeq + 1 : lastProcessedSeq, this.lastSeq));' }],
  },
  {
    name: 'history-mixes-jobs',
    what: 'job.subscribe history replays the events of every job in the history store, not only the subscribed job',
    statement: 'S7.6-02',
    // the single-job subscribe checks catch it only when earlier checks left jobs in the runtime
    catchers: ['7.6/subscribe/history-only-this-job'],
    edits: [{ file: 'runtime-kit/runtime/subscriptions/job-history.ts', find: '    for (let i = ring.head; i < ring.entries.length; i++) if (ring.entries[i]!.seq > fromSeq) out.push(ring.entries[i]!);', replace: '    for (const r of $ON ? [...this.jobs.values()] : [ring]) for (let i = r.head; i < r.entries.length; i++) if (r.entries[i]!.seq > fromSeq) out.push(r.entries[i]!);\n    if ($ON) out.sort((a, b) => a.seq - b.seq);' }],
  },
  {
    name: 'cancel-leaks-existence',
    what: 'job.cancel of another principal\'s job answers PERMISSION_DENIED (revealing it exists) instead of JOB_NOT_FOUND',
    statement: 'S7.4-01',
    catchers: ['6.6/isolation/cancel-no-existence-oracle'],
    edits: [{ file: 'runtime-kit/runtime/handlers/job-cancel.ts', find: 'if (!job || job.principal !== session.principal) {', replace: 'if (!job || (!$ON && job.principal !== session.principal)) {' }],
  },
  {
    name: 'chunk-seq-from-one',
    what: 'result_chunk chunk_seq starts at 1 instead of 0',
    statement: 'S8.4-01',
    catchers: ['8.4/chunks/utf8-assembly', '8.4/chunks/base64-assembly'],
    edits: [{ file: 'runtime-kit/runtime/result-stream.ts', find: 'chunk_seq: this.nextChunkSeq++,', replace: 'chunk_seq: $ON ? ++this.nextChunkSeq : this.nextChunkSeq++,' }],
  },
  {
    name: 'chunk-last-more-true',
    what: 'the final result_chunk carries more: true',
    statement: 'S8.4-01',
    catchers: ['8.4/chunks/utf8-assembly', '8.4/chunks/base64-assembly'],
    edits: [{ file: 'runtime-kit/runtime/result-stream.ts', find: '    this.flush(false);\n', replace: '    this.flush($ON);\n' }],
  },
  {
    name: 'chunk-base64-labelled-utf8',
    what: 'byte chunks are base64-encoded but labelled encoding utf8',
    statement: 'S8.4-01',
    catchers: ['8.4/chunks/base64-assembly'],
    edits: [{ file: 'runtime-kit/runtime/result-stream.ts', find: "{ data: Buffer.from(data).toString('base64'), encoding: 'base64' }", replace: "{ data: Buffer.from(data).toString('base64'), encoding: $ON ? 'utf8' : 'base64' }" }],
  },
  {
    name: 'budget-zero-not-exhausted',
    what: 'a counter at exactly zero is not exhausted (only below zero is)',
    statement: 'S9.6-01',
    catchers: ['9.6/budget/exact-decimal', '9.6/budget/binary-inexact-sums', '9.6/budget/random-costs'],
    edits: [{ file: 'runtime-kit/authority/budget.ts', find: 'for (const c of this.counters.values()) if (c.value.lte(0)) return true;', replace: 'for (const c of this.counters.values()) if ($ON ? c.value.lt(0) : c.value.lte(0)) return true;' }],
  },
  {
    name: 'internal-error-not-retryable',
    what: 'INTERNAL_ERROR is sent with retryable false',
    statement: 'S12-01',
    catchers: ['12/errors/pinned-retryable', '14/results/over-cap-internal-error'],
    edits: [{ file: 'runtime-kit/errors/arcp-error.ts', find: '  const info = ERROR_CODES[code];\n', replace: "  const info = ERROR_CODES[code];\n  if ($ON && code === 'INTERNAL_ERROR') return false;\n" }],
  },
  {
    name: 'resume-at-latest-refused',
    what: 'a resume whose last_event_seq is the latest event_seq (nothing missed) is refused',
    statement: 'S6.3-02',
    catchers: ['6.3/resume/keeps-cancel-authority', '6.3/resume/random-drops'],
    edits: [{ file: SESSION, find: '    if (lastEventSeq > this.lastSeq) return false;', replace: '    if ($ON ? this.lastSeq > 0 && lastEventSeq >= this.lastSeq : lastEventSeq > this.lastSeq) return false;' }],
  },
  {
    name: 'pong-without-received-at',
    what: 'session.pong leaves out received_at',
    statement: 'S6.4-02',
    catchers: ['6.4/pong/answers-ping', '6.4/heartbeat/outside-seq-space'],
    edits: [{ file: 'runtime-kit/runtime/handlers/session-heartbeat.ts', find: '        received_at: isoTime(ctx.core.timers.now()),', replace: '        ...($ON ? {} : { received_at: isoTime(ctx.core.timers.now()) }),' }],
  },
  ...FAULTS_S2_S7,
  ...FAULTS_S8_S14,
  ...FAULTS_ATTACK,
  ...FAULTS_INDEPENDENT_2,
];

export const FAULT_NAMES: readonly string[] = FAULTS.map((f) => f.name);
