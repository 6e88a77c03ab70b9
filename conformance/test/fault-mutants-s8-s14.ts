// Faults for the §8–§14 runtime statements that had none (issue 8 item 10): one per covered,
// wire-observable statement, each a bug an implementer could plausibly write, applied to the
// scratch copy only (fault-scratch.ts; `$ON` is the fault's switch). They are appended to FAULTS
// after the older catalogue, so a `find` may be the text an earlier fault left behind.
//
// Shape faults (§8.1, §8.2, §8.2.1, §8.4 mixing) also switch off the product's strict outbound
// validation (`validateOutbound`, an option of the runtime): our encoder would otherwise refuse the
// frame before it reaches the wire, while a peer without one sends it. The fault is then what the
// wire shows, and the harness's lenient schema and the check's own assertions judge it.
//
// SHOULD statements no MUST shows on the wire get a fault graded SHOULD (`grade`), caught when
// their SHOULD check warns: S8.2.1-02 (a total one short), S14-10 (no total result cap), S14-12
// (no per-principal session cap; heartbeats counted as traffic). S8.4-03, the other SHOULD, has a
// MUST-graded fault: binary sent as text breaks the MUST of S8.4-06 (its mirror, text sent as
// base64, assembles to the same bytes and stays unseen at any level).
import type { Fault, Mutation } from './fault-mutants.js';

const RUNTIME = 'runtime-kit/runtime/runtime.ts';
const SESSION = 'runtime-kit/runtime/session.ts';
const CONTEXT = 'runtime-kit/runtime/job-context.ts';
const RUNNER = 'runtime-kit/runtime/job-runner.ts';
const STREAM = 'runtime-kit/runtime/result-stream.ts';
const COMPILED = 'runtime-kit/authority/compiled-lease.ts';
const DERIVE = 'runtime-kit/authority/delegation.ts';
const EXPIRY = 'runtime-kit/authority/expiry.ts';
const TIMERS = 'runtime-kit/runtime/enforcement/expiry-timers.ts';
const BUDGET = 'runtime-kit/authority/budget.ts';
const CANCEL = 'runtime-kit/runtime/handlers/job-cancel.ts';

/** Strict outbound validation off while the fault is on (each fault chains onto the same text). */
const unvalidated: Mutation = { file: RUNTIME, find: 'validate: this.options.validateOutbound', replace: 'validate: this.options.validateOutbound && !$ON' };

/** The §9.5 "MAY proactively terminate" timer off, so the per-operation path is what is judged. */
export const noExpiryTimer: Mutation = { file: TIMERS, find: '  arm(job: Job, authority: ExpiringAuthority): void {\n', replace: '  arm(job: Job, authority: ExpiringAuthority): void {\n    if ($ON) return;\n' };

export const FAULTS_S8_S14: readonly Fault[] = [
  // §8.1 / §8.2 event envelope and bodies
  {
    name: 'event-without-session-id',
    what: 'job.event envelopes leave out session_id (the connection implies it); terminals keep it',
    statement: 'S8.1-01',
    catchers: ['8.2/chatty/log-events'],
    edits: [
      unvalidated,
      { file: SESSION, find: 'type, session_id: this.id, job_id: jobId, trace_id: traceId, event_seq: seq, payload }', replace: "type, ...($ON && type === 'job.event' ? {} : { session_id: this.id }), job_id: jobId, trace_id: traceId, event_seq: seq, payload }" },
    ],
  },
  {
    name: 'log-body-text',
    what: 'log bodies carry the line as `text` (the thought field) instead of `message`',
    statement: 'S8.2-01',
    catchers: ['8.2/chatty/log-events'],
    edits: [unvalidated, { file: CONTEXT, find: '    const body: LogBody = { level, message };', replace: '    const body: LogBody = $ON ? ({ level, text: message } as never) : { level, message };' }],
  },
  {
    name: 'progress-negative-current',
    what: 'progress with a total is sent as the work remaining with the sign flipped (current - total)',
    statement: 'S8.2.1-01',
    catchers: ['8.2.1/progress/shape'],
    edits: [unvalidated, { file: CONTEXT, find: '    const body: Record<string, unknown> = { current };', replace: '    const body: Record<string, unknown> = { current: $ON && opts.total !== undefined ? current - opts.total : current };' }],
  },
  {
    name: 'progress-total-one-short',
    what: 'progress reports total as the last 0-based index (total - 1), so the final step has current > total',
    statement: 'S8.2.1-02',
    grade: 'SHOULD',
    catchers: ['8.2.1/progress/within-total'],
    edits: [{ file: CONTEXT, find: '    if (opts.total !== undefined) body.total = opts.total;', replace: '    if (opts.total !== undefined) body.total = $ON ? opts.total - 1 : opts.total;' }],
  },
  // §8.4 result streaming
  {
    name: 'chunk-final-overtakes',
    what: 'held-back result chunks are handed to the sink on a microtask, the final one at once: it overtakes them',
    statement: 'S8.4-02',
    catchers: ['8.4/chunks/utf8-assembly', '8.4/chunks/base64-assembly'],
    edits: [
      {
        file: STREAM,
        find: '    this.held = undefined;\n    this.sink.chunk(',
        replace: '    this.held = undefined;\n    if ($ON && more) { const seq = this.nextChunkSeq; this.nextChunkSeq += 1; const body = { result_id: this.resultId, chunk_seq: seq, data, encoding, more }; queueMicrotask(() => this.sink.chunk(body)); return; }\n    this.sink.chunk(',
      },
    ],
  },
  {
    name: 'streamed-result-also-inline',
    what: 'the job.result after result_chunk events also carries the stream summary as an inline result',
    statement: 'S8.4-04',
    catchers: ['8.4/chunks/utf8-assembly'],
    edits: [unvalidated, { file: RUNNER, find: '      if (stream.summary !== undefined) payload.summary = stream.summary;', replace: '      if (stream.summary !== undefined) payload.summary = stream.summary;\n      if ($ON) payload.result = (stream.summary ?? null) as JobResultPayload[\'result\'];' }],
  },
  {
    // S8.4-03 is a SHOULD; binary sent as text has a MUST consequence: the bytes do not assemble (S8.4-06)
    name: 'binary-chunk-as-text',
    what: 'byte chunks are sent as text (latin1 characters labelled utf8) instead of base64: bytes >= 0x80 do not survive',
    statement: 'S8.4-03',
    catchers: ['8.4/chunks/base64-assembly'],
    edits: [{ file: STREAM, find: "this.held = text ? { data, encoding: 'utf8' } : ", replace: "this.held = text ? { data, encoding: 'utf8' } : $ON ? { data: Buffer.from(data).toString('latin1'), encoding: 'utf8' } : " }],
  },
  {
    name: 'end-overwrites-held-chunk',
    what: 'end() always closes with an empty chunk, overwriting the held-back last chunk (its bytes are lost)',
    statement: 'S8.4-06',
    catchers: ['8.4/chunks/utf8-assembly', '8.4/chunks/base64-assembly'],
    edits: [{ file: STREAM, find: "    if (!this.held) this.held = { data: '', encoding: 'utf8' };", replace: "    if (!this.held || $ON) this.held = { data: '', encoding: 'utf8' };" }],
  },
  // §9.1 / §9.3 enforcement
  {
    name: 'unnamed-capability-unrestricted',
    what: 'a capability the lease does not name is unrestricted (absent read as "no restriction")',
    statement: 'S9.1-01',
    catchers: ['9.3/lease/random-ops', '10/delegation/child-side'],
    edits: [{ file: COMPILED, find: '    if (m === undefined) return false;', replace: '    if (m === undefined) return $ON;' }],
  },
  {
    name: 'dispatch-before-lease-check',
    what: 'every operation is dispatched (tool_result allowed) before its lease decision; a denial follows as a second tool_result',
    statement: 'S9.3-01',
    catchers: ['9.3/lease/random-ops', '9.2/glob/star-is-one-segment'],
    edits: [{ file: CONTEXT, find: '    if (decision.allowed) this.control.emitEvent(', replace: '    if (decision.allowed || $ON) this.control.emitEvent(' }],
  },
  // §9.4 / §10 delegation bounds
  {
    name: 'child-expiry-compared-as-text',
    what: 'a child expires_at is compared with the parent\'s as text: "…:00.500Z" sorts before "…:00Z", so a later child is granted',
    statement: 'S9.4-03',
    catchers: ['9.4/delegation/expiry-not-later'],
    edits: [{ file: DERIVE, find: '  if (parseUtcTimestamp(childAt)! > parent.expiresAt.ms) {', replace: '  if ($ON ? childAt > parent.expiresAt.text : parseUtcTimestamp(childAt)! > parent.expiresAt.ms) {' }],
  },
  {
    name: 'child-expiry-must-equal',
    what: 'a child expires_at other than the parent\'s is refused (an earlier one too)',
    statement: 'S9.4-04',
    catchers: ['9.4/delegation/expiry-not-later'],
    // applied after child-expiry-compared-as-text, on its else branch
    edits: [{ file: DERIVE, find: 'parseUtcTimestamp(childAt)! > parent.expiresAt.ms) {', replace: '($ON ? parseUtcTimestamp(childAt)! !== parent.expiresAt.ms : parseUtcTimestamp(childAt)! > parent.expiresAt.ms)) {' }],
  },
  {
    name: 'child-unbudgeted',
    what: 'a child that names no cost.budget runs unbudgeted under a budgeted parent: the absent budget is neither inherited nor refused',
    statement: 'S10-01',
    catchers: ['10/delegation/child-inherits-budget'],
    edits: [
      { file: DERIVE, find: '  if (parent.budget !== undefined) {\n', replace: '  if (parent.budget !== undefined && !$ON) {\n' },
      { file: 'runtime-kit/authority/lease-subset.ts', find: '  if (opts.parentBudget !== undefined) {\n    // A currency the child does not budget', replace: '  if (opts.parentBudget !== undefined && !$ON) {\n    // A currency the child does not budget' },
    ],
  },
  // §9.5 expiry
  {
    name: 'expiry-evaluated-at-acceptance',
    what: 'expires_at is evaluated once, when the lease is compiled at acceptance, not on every operation',
    statement: 'S9.5-02',
    catchers: ['9.5/expiry/ops-after-expiry-fail'],
    edits: [
      noExpiryTimer,
      { file: EXPIRY, find: '    this.deadline = clock.monotonic() + (expiresAtMs - clock.now()) + graceMs;\n', replace: '    this.deadline = clock.monotonic() + (expiresAtMs - clock.now()) + graceMs;\n    if ($ON) (this as any).frozen = clock.monotonic() >= this.deadline;\n' },
      { file: EXPIRY, find: '    return this.clock.monotonic() >= this.deadline;', replace: '    if ($ON) return (this as any).frozen === true;\n    return this.clock.monotonic() >= this.deadline;' },
    ],
  },
  {
    name: 'expired-op-job-goes-on',
    what: 'an operation after expiry gets its LEASE_EXPIRED tool_result but the job runs on (and ends in job.result)',
    statement: 'S9.5-04',
    catchers: ['9.5/expiry/ops-after-expiry-fail'],
    edits: [noExpiryTimer, { file: CONTEXT, find: "    if (decision.error.code === 'LEASE_EXPIRED') this.control.fail(decision.error);", replace: "    if (decision.error.code === 'LEASE_EXPIRED' && !$ON) this.control.fail(decision.error);" }],
  },
  // §9.6 budget
  {
    name: 'budget-first-currency-only',
    what: 'only the first budgeted currency is checked before an operation',
    statement: 'S9.6-04',
    catchers: ['9.6/budget/every-counter-checked'],
    edits: [{ file: BUDGET, find: '  isExhausted(): boolean {\n', replace: '  isExhausted(): boolean {\n    if ($ON) { const first = this.counters.values().next().value; return first !== undefined && first.value.lte(0); }\n' }],
  },
  // §9.8 credentials
  {
    name: 'credential-reused-for-same-scope',
    what: 'credentials are cached per principal and scope: a later job with the same lease gets the earlier job\'s value',
    statement: 'S9.8.2-03',
    catchers: ['9.8/credentials/unique-per-job'],
    edits: [
      {
        file: 'runtime-kit/authority/credentials/credential-manager.ts',
        find: '      creds = await withRetries(() => this.opts.provisioner.issue(job, scope), this.opts.retry);',
        replace:
          '      const reuseKey = `${job.principal} ${JSON.stringify(scope)}`;\n      const reused: Credential[] | undefined = $ON ? (this as any).__reuse?.get(reuseKey) : undefined;\n      creds = reused ?? await withRetries(() => this.opts.provisioner.issue(job, scope), this.opts.retry);\n      if ($ON) ((this as any).__reuse ??= new Map()).set(reuseKey, creds);',
      },
    ],
  },
  // §12 taxonomy
  {
    name: 'cancel-unknown-invalid-request',
    what: 'job.cancel of an unknown job answers INVALID_REQUEST ("no such job") instead of JOB_NOT_FOUND',
    statement: 'S12-03',
    catchers: ['7.4/cancel/unknown-job'],
    edits: [{ file: CANCEL, find: "arcpError('JOB_NOT_FOUND', `no job ${jobId}`)", replace: "arcpError($ON && !job ? 'INVALID_REQUEST' : 'JOB_NOT_FOUND', `no job ${jobId}`)" }],
  },
  // §14 security
  {
    name: 'subscription-grants-cancel',
    what: 'a session subscribed to the job is allowed to cancel it (the subscription link is read as cancel authority)',
    statement: 'S14-02',
    catchers: ['7.6/subscribe/no-cancel-authority', '7.6/subscribe/random-observers'],
    edits: [
      { file: CANCEL, find: "import { envelope } from '../envelope.js';", replace: "import { envelope } from '../envelope.js';\nimport { authorityServicesOf } from '../enforcement/authority-services.js';" },
      // applied after subscriber-can-cancel, on the same condition
      { file: CANCEL, find: 'if (job.owner !== session', replace: 'if (job.owner !== session && !($ON && authorityServicesOf(ctx.core).subscriptions.isSubscribed(session, jobId))' },
    ],
  },
  {
    name: 'listing-carries-credentials',
    what: 'session.list_jobs entries carry the job\'s credentials (copied from its job.accepted) for every lister',
    statement: 'S14-08',
    catchers: ['9.8/credentials/redacted-for-non-submitters'],
    target: { observers: 'b-observes-a' },
    edits: [
      unvalidated,
      { file: 'runtime-kit/runtime/listing/list-jobs.ts', find: '    last_event_seq: job.lastEventSeq,\n  };', replace: '    last_event_seq: job.lastEventSeq,\n    ...($ON ? { credentials: (job.acceptedPayload as { credentials?: unknown } | undefined)?.credentials } : {}),\n  } as JobListEntry;' },
    ],
  },
  {
    name: 'result-total-uncapped',
    what: 'only the chunk cap is enforced: a streamed result of any number of chunks is delivered whole',
    statement: 'S14-10',
    grade: 'SHOULD',
    catchers: ['14/results/caps-enforced'],
    edits: [{ file: STREAM, find: '    if (this.totalBytes + bytes > this.limits.maxTotalBytes) {', replace: '    if (!$ON && this.totalBytes + bytes > this.limits.maxTotalBytes) {' }],
  },
  {
    name: 'session-cap-global-only',
    what: 'maxSessionsPerPrincipal is never applied: one principal may open sessions up to the runtime-wide cap',
    statement: 'S14-12',
    grade: 'SHOULD',
    catchers: ['14/sessions/per-principal-cap'],
    edits: [{ file: 'runtime-kit/runtime/limits/session-budget.ts', find: '  while (mine.size >= limits.maxSessionsPerPrincipal) {', replace: '  while (!$ON && mine.size >= limits.maxSessionsPerPrincipal) {' }],
  },
  {
    name: 'heartbeats-count-as-traffic',
    what: 'a session.ping or session.pong from the client resets the idle deadline, so a client that only heartbeats is never disconnected',
    statement: 'S14-12',
    grade: 'SHOULD',
    catchers: ['14/sessions/zero-throughput-disconnect'],
    edits: [{ file: 'runtime-kit/runtime/connection.ts', find: '    if (!HEARTBEATS.has(msg.type)) this.lastTraffic = this.lastInbound;', replace: '    if ($ON || !HEARTBEATS.has(msg.type)) this.lastTraffic = this.lastInbound;' }],
  },
];
