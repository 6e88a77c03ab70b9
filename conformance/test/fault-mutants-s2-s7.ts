// Faults for the §2–§7 statements that had none (issue 8 item 10: one fault per covered
// statement where the wire can show it). Same rules as fault-mutants.ts, which concatenates this
// list after its own: each `find` occurs exactly once when applied (after every earlier fault),
// and no find text overlaps another fault's.
//
// S2.2-01 and S6.4-01 (SHOULD: an idle peer sends a session.ping at least once per interval)
// break no MUST the runtime is bound by (the only consequence is on the client's side: it MAY then
// declare the runtime dead, §6.4), so their faults are graded SHOULD and caught when
// 6.4/heartbeat/idle-peer-pings warns. That check ignores HEARTBEAT_LOST: a first version took
// the one a never-pinging mutant sends after two silent intervals for a keep-alive and passed.
import type { Fault } from './fault-mutants.js';

const SESSION = 'runtime-kit/runtime/session.ts';
const RESUME = 'runtime-kit/runtime/handlers/resume.ts';
const SUBMIT = 'runtime-kit/runtime/handlers/job-submit.ts';
const CANCEL = 'runtime-kit/runtime/handlers/job-cancel.ts';
const SUBSCRIBE = 'runtime-kit/runtime/subscriptions/subscribe.ts';
const G = '(globalThis as any)';

export const FAULTS_S2_S7: readonly Fault[] = [
  // §5 wire format
  {
    name: 'unknown-envelope-field-rejected',
    what: 'the decoder checks envelopes against a closed list of known top-level fields and rejects any other',
    statement: 'S5-01',
    catchers: ['5/envelope/unknown-fields-ignored'],
    edits: [
      {
        file: 'runtime-kit/protocol/codec.ts',
        find: '  const partial = partialIds(envelope);\n',
        replace:
          "  const partial = partialIds(envelope);\n  if ($ON) { const extra = Object.keys(envelope).find((k) => !['arcp', 'id', 'type', 'session_id', 'trace_id', 'job_id', 'event_seq', 'payload', 'extensions'].includes(k)); if (extra) return reject(`unknown envelope field /${extra}`, `/${extra}`, partial); }\n",
      },
    ],
  },
  // §6.2 hello / welcome
  {
    name: 'welcome-without-heartbeat-interval',
    what: 'the welcome negotiates `heartbeat` but leaves out heartbeat_interval_sec',
    statement: 'S6.2-02',
    catchers: ['6.2/welcome/required-fields'],
    edits: [{ file: 'runtime-kit/runtime/handlers/welcome.ts', find: "  if (session.has('heartbeat')) {", replace: "  if (session.has('heartbeat') && !$ON) {" }],
  },
  {
    name: 'features-not-intersected',
    what: 'the effective feature set is everything the runtime supports: the hello\'s features are ignored',
    statement: 'S6.2-03',
    // 6.2/negotiation/welcome-subset-of-hello sees the welcome too, but is interop-graded
    catchers: ['6.2/negotiation/progress-only-if-negotiated', '6.2/negotiation/random-subsets'],
    edits: [{ file: 'runtime-kit/runtime/handlers/welcome.ts', find: '  return new Set(advertised.filter((f) => wanted.has(f)));', replace: '  return new Set($ON ? advertised : advertised.filter((f) => wanted.has(f)));' }],
  },
  // §6.3 resume
  {
    name: 'resume-any-principal',
    what: 'a resume is checked against the session and token only, not the principal: another principal holding the token takes the session over',
    statement: 'S6.3-04',
    catchers: ['6.3/resume/other-principal-refused'],
    edits: [{ file: RESUME, find: '  if (principal !== undefined && principal !== session.principal) return refuse(opaque);', replace: '  if (!$ON && principal !== undefined && principal !== session.principal) return refuse(opaque);' }],
  },
  // §6.4 heartbeats
  {
    name: 'heartbeat-loss-cancels-jobs',
    what: 'on heartbeat loss the runtime cancels the session\'s in-flight jobs',
    statement: 'S6.4-03',
    catchers: ['6.4/heartbeat/loss-keeps-jobs'],
    edits: [
      {
        file: 'runtime-kit/runtime/connection.ts',
        find: "    this.unbind('heartbeat_lost');\n",
        replace: "    if ($ON && this.session) for (const id of this.session.liveJobIds()) { const j = this.core.jobs.get(id); if (j) this.core.runner.cancel(j, 'heartbeat lost'); }\n    this.unbind('heartbeat_lost');\n",
      },
    ],
  },
  {
    name: 'pong-takes-a-seq',
    what: 'answering a session.ping takes the next event_seq (ping/pong share the event counter), so job events skip one',
    statement: 'S6.4-04',
    catchers: ['6.4/heartbeat/outside-seq-space'],
    edits: [{ file: 'runtime-kit/runtime/handlers/session-heartbeat.ts', find: '    const ping = msg as SessionPing;\n', replace: '    const ping = msg as SessionPing;\n    if ($ON) (session as any).allocateSeq();\n' }],
  },
  {
    name: 'idle-session-never-pinged',
    what: 'the heartbeat monitor never pings: an idle session hears nothing from the runtime',
    statement: 'S6.4-01',
    grade: 'SHOULD',
    catchers: ['6.4/heartbeat/idle-peer-pings'],
    edits: [{ file: 'runtime-kit/runtime/heartbeat.ts', find: '    if (now - lastOut >= this.pingAfterMs()) {', replace: '    if (!$ON && now - lastOut >= this.pingAfterMs()) {' }],
  },
  {
    name: 'ping-every-third-interval',
    what: 'an idle session is pinged only after three intervals of outbound silence (the interval read as the whole loss window plus one)',
    statement: 'S2.2-01',
    grade: 'SHOULD',
    catchers: ['6.4/heartbeat/idle-peer-pings'],
    edits: [{ file: 'runtime-kit/runtime/heartbeat.ts', find: '    return this.intervalMs - Math.min(this.intervalMs * PING_LEAD, PING_LEAD_MAX_MS);', replace: '    return ($ON ? 3 : 1) * this.intervalMs - Math.min(this.intervalMs * PING_LEAD, PING_LEAD_MAX_MS);' }],
  },
  {
    name: 'heartbeat-lost-after-one-interval',
    what: 'HEARTBEAT_LOST after one silent interval instead of two',
    statement: 'S6.4-05',
    catchers: ['6.4/heartbeat/no-early-loss'],
    edits: [
      { file: 'runtime-kit/runtime/heartbeat.ts', find: '    if (silentFor >= 2 * this.intervalMs) {', replace: '    if (silentFor >= ($ON ? 1 : 2) * this.intervalMs) {' },
      { file: 'runtime-kit/runtime/heartbeat.ts', find: '    const lossDue = this.peer.lastInboundMs() + 2 * this.intervalMs - now;', replace: '    const lossDue = this.peer.lastInboundMs() + ($ON ? 1 : 2) * this.intervalMs - now;' },
    ],
  },
  // §6.5 acknowledgement
  {
    name: 'delivery-frees-events',
    what: 'an event written to an attached transport is freed at once (the buffer holds only undelivered events, as if delivery were an ack)',
    statement: 'S6.5-02',
    catchers: ['6.3/resume/replay-from-earlier-position'],
    edits: [{ file: SESSION, find: '    if (connection) this.whenDurable(() => connection.sendFrame(frame));\n', replace: '    if (connection) this.whenDurable(() => connection.sendFrame(frame));\n    if ($ON && connection) this.env.store.ack(this.id, seq);\n' }],
  },
  {
    name: 'ack-takes-a-seq',
    what: 'a session.ack takes the next event_seq (counted like a message of the stream), so job events skip one',
    statement: 'S6.5-04',
    catchers: ['6.4/heartbeat/outside-seq-space'],
    edits: [{ file: SESSION, find: '  ack(lastProcessedSeq: number): void {\n', replace: '  ack(lastProcessedSeq: number): void {\n    if ($ON) this.allocateSeq();\n' }],
  },
  {
    name: 'resume-replays-from-ack',
    what: 'a resume replays everything after the acknowledged position, not after last_event_seq',
    statement: 'S6.5-05',
    catchers: ['6.3/resume/replay-from-earlier-position'],
    edits: [{ file: RESUME, find: '    for (const frame of frames) connection.sendFrame(frame);', replace: '    for (const frame of $ON ? session.framesAfter((session as any).ackedThrough) : frames) connection.sendFrame(frame);' }],
  },
  // §6.6 listing
  {
    name: 'list-default-any-principal',
    what: 'without a policy, listing (read-only) shows every principal\'s jobs; only subscribe defaults to same principal',
    statement: 'S6.6-03',
    catchers: ['6.6/list/other-principal-hidden', '6.6/list/random-principals'],
    edits: [
      {
        file: 'runtime-kit/runtime/subscriptions/subscribe-policy.ts',
        find: 'export function decideObserve(policy: SubscribePolicy | undefined, req: ObserveRequest): ObserveDecision {\n',
        replace: "export function decideObserve(policy: SubscribePolicy | undefined, req: ObserveRequest): ObserveDecision {\n  if ($ON && policy === undefined && req.action === 'list') return { allowed: true, reason: 'listing is read-only' };\n",
      },
      // The same belief in the handler, which otherwise reads only the caller's jobs when no policy is set.
      { file: 'runtime-kit/runtime/handlers/session-list-jobs.ts', find: ': ctx.core.jobs.ofPrincipal(', replace: ': $ON ? ctx.core.jobs.values() : ctx.core.jobs.ofPrincipal(' },
    ],
  },
  // §6.7 close
  {
    name: 'closed-reply-lost',
    what: 'session.close detaches the session before the reply, so session.closed is never sent (the transport just closes)',
    statement: 'S6.7-01',
    // under the default interop profile a plain transport close answers session.close (peers that only know session.bye)
    profile: 'spec',
    catchers: ['6.7/close/closed-reply'],
    edits: [
      {
        file: 'runtime-kit/runtime/handlers/session-close.ts',
        find: "    session.beginClose(msg.type === 'session.close' ? 'close' : 'bye');\n",
        replace: "    session.beginClose(msg.type === 'session.close' ? 'close' : 'bye');\n    if ($ON && msg.type === 'session.close') session.completeClose();\n",
      },
    ],
  },
  // §7.1 submission
  {
    name: 'accepted-without-constraints',
    what: 'job.accepted does not echo lease_constraints',
    statement: 'S7.1-01',
    catchers: ['7.1/submit/accepted-echoes-constraints'],
    edits: [{ file: SUBMIT, find: '    if (constraints !== undefined) payload.lease_constraints = constraints;', replace: '    if (constraints !== undefined && !$ON) payload.lease_constraints = constraints;' }],
  },
  // §7.3 lifecycle
  {
    name: 'lease-expired-timed-out',
    what: 'a job ended by LEASE_EXPIRED gets final_status "timed_out" (expiry read as a time-out) instead of "error"',
    statement: 'S7.3-02',
    catchers: ['9.5/expiry/ops-after-expiry-fail'],
    edits: [{ file: 'runtime-kit/runtime/job-runner.ts', find: "error.code === 'TIMEOUT' ? 'timed_out' : 'error'", replace: "error.code === 'TIMEOUT' || ($ON && error.code === 'LEASE_EXPIRED') ? 'timed_out' : 'error'" }],
  },
  // §7.4 cancellation
  {
    name: 'cancel-finished-acknowledged-first',
    what: 'job.cancel of a finished job is acknowledged with job.cancelled before authority is checked (anyone\'s cancel of it is acknowledged)',
    statement: 'S7.4-02',
    catchers: ['6.6/isolation/finished-job-invisible'],
    edits: [
      {
        file: CANCEL,
        find: '    if (!job && ctx.core.persistence?.cluster) return ctx.core.persistence.cluster.cancelRemote(session, jobId, reason, corr);\n',
        replace:
          "    if (!job && ctx.core.persistence?.cluster) return ctx.core.persistence.cluster.cancelRemote(session, jobId, reason, corr);\n    if ($ON && job?.isTerminal) return session.sendControl(envelope<JobCancelled>('job.cancelled', { session_id: session.id, job_id: jobId, trace_id: job.traceId }, { job_id: jobId, reason } as JobCancelled['payload']));\n",
      },
    ],
  },
  // §7.5 agent versions
  {
    name: 'missing-version-runs-default',
    what: 'name@version with an unregistered version runs the default version instead of AGENT_VERSION_NOT_AVAILABLE',
    statement: 'S7.5-03',
    catchers: ['7.5/versions/unknown-version'],
    edits: [{ file: 'runtime-kit/runtime/agent-registry.ts', find: '      const handler = entry.versions.get(ref.version);', replace: "      const handler = entry.versions.get(ref.version) ?? ($ON ? entry.versions.get(defaultVersion(entry) ?? '') ?? entry.unversioned : undefined);" }],
  },
  {
    name: 'accepted-agent-as-submitted',
    what: 'job.accepted names the agent as submitted (a bare name stays bare) instead of the resolved name@version',
    statement: 'S7.5-04',
    catchers: ['7.5/versions/default'],
    edits: [{ file: SUBMIT, find: '{ request_id: msg.id, job_id: job.jobId, agent: agent.ref, lease,', replace: '{ request_id: msg.id, job_id: job.jobId, agent: $ON ? String(p.agent) : agent.ref, lease,' }],
  },
  // §7.6 subscription
  {
    name: 'forwarded-owner-seq',
    what: 'live events forwarded to a subscriber keep the owner session\'s event_seq instead of the subscriber\'s next one',
    statement: 'S7.6-05',
    catchers: ['7.6/subscribe/live-events-own-seq-space'],
    edits: [
      {
        file: 'runtime-kit/runtime/subscriptions/subscription-registry.ts',
        find: "import { redactForwardedPayload } from './redaction.js';\n",
        replace: "import { redactForwardedPayload } from './redaction.js';\nimport { envelope as faultEnvelope } from '../envelope.js';\n",
      },
      {
        file: 'runtime-kit/runtime/subscriptions/subscription-registry.ts',
        find: '      this.subscriber.emitSequenced(type, job.jobId, job.traceId, redactForwardedPayload(type, payload, this.showCredentials));',
        replace:
          '      if ($ON) this.subscriber.connection?.send(faultEnvelope(type, { session_id: this.subscriber.id, job_id: job.jobId, trace_id: job.traceId, event_seq: job.lastEventSeq }, redactForwardedPayload(type, payload, this.showCredentials) as never));\n      else this.subscriber.emitSequenced(type, job.jobId, job.traceId, redactForwardedPayload(type, payload, this.showCredentials));',
      },
    ],
  },
  {
    name: 'live-subscribe-unchecked',
    what: 'authorisation is checked only for a subscribe that replays history: a live-only subscription (history false) is granted to anyone',
    statement: 'S7.6-06',
    catchers: ['7.6/subscribe/other-principal-denied', '7.6/subscribe/random-observers'],
    edits: [
      {
        file: SUBSCRIBE,
        find: "  const decision = decideObserve(deps.policy, { principal: session.principal, sessionId: session.id, job, action: 'subscribe' });",
        replace: "  const decision = $ON && !req.history ? { allowed: true, reason: 'live only: nothing replayed' } : decideObserve(deps.policy, { principal: session.principal, sessionId: session.id, job, action: 'subscribe' });",
      },
    ],
  },
  // §7.7 resumed sessions
  {
    name: 'cancel-authority-per-transport',
    what: 'cancel authority is bound to the transport that submitted the job: after a resume the session can no longer cancel it',
    statement: 'S7.7-01',
    catchers: ['6.3/resume/keeps-cancel-authority'],
    edits: [
      { file: SUBMIT, find: '    core.jobs.add(job);\n', replace: `    core.jobs.add(job);\n    if ($ON) (${G}.__arcpSubmitConn ??= new WeakMap()).set(job, session.connection);\n` },
      {
        file: CANCEL,
        find: '    if (job.isTerminal || job.cancelRequested) return;\n',
        replace: `    if ($ON && ${G}.__arcpSubmitConn?.get(job) !== ctx.connection) return session.sendError(arcpError('PERMISSION_DENIED', \`job \${jobId} was submitted on another transport\`), corr);\n    if (job.isTerminal || job.cancelRequested) return;\n`,
      },
    ],
  },
];
