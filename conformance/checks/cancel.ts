// §7.4 cancellation and §7.2 idempotency.
import { envelope, field } from '../driver/wire.js';
import { AGENTS, canonicalJson, requireErrorCode, scenario } from './define.js';
import { require_ } from './outcomes.js';
import type { CheckDef } from './types.js';
import type { SubmitOptions } from '../runner/context.js';

export const cancelChecks: CheckDef[] = [
  scenario({
    id: '7.4/cancel/ack-then-cancelled',
    statements: ['S7.4-01'],
    spec: '§7.4',
    level: 'MUST',
    title: 'job.cancel from the submitting session is acknowledged with job.cancelled, then job.error CANCELLED / final_status "cancelled"',
    agents: [AGENTS.slow],
    async run(ctx) {
      const s = await ctx.open('A');
      const jobId = await ctx.submit(s, AGENTS.slow, { steps: 50, interval_ms: 50 });
      // the acknowledgement is the cancel's reply (correlator); the terminal is judged first
      const ack = s.conn.request(envelope('job.cancel', { reason: 'conformance' }, { session_id: s.sessionId, job_id: jobId })).catch((e: Error) => e);
      const term = await ctx.terminalAfterCancel(s, jobId);
      require_(term.type === 'job.error', `cancelled job ended with ${term.type}`, term);
      require_(field(term, 'payload', 'code') === 'CANCELLED', `code is ${String(field(term, 'payload', 'code'))}`, term);
      require_(field(term, 'payload', 'final_status') === 'cancelled', `final_status is ${String(field(term, 'payload', 'final_status'))}`, term);
      const reply = await ack;
      require_(!(reply instanceof Error) && reply.type === 'job.cancelled', `no job.cancelled acknowledgement (${reply instanceof Error ? reply.message : `the cancel was answered by ${reply.type} ${String(field(reply, 'payload', 'code') ?? '')}`})`, reply);
    },
  }),
  scenario({
    id: '7.4/cancel/terminal-is-cancelled',
    statements: ['S7.4-01'],
    spec: '§7.4',
    level: 'MUST',
    title: 'after job.cancel the terminal is job.error CANCELLED even when the agent then returns normally (catalog §10 #18)',
    agents: [AGENTS.delegator, AGENTS.slow],
    async run(ctx) {
      const s = await ctx.open('A');
      // conformance.delegator awaits its child's result and then returns normally: cancelling the
      // parent while the child runs exercises "an agent that finishes normally after cancel".
      const jobId = await ctx.submit(
        s,
        AGENTS.delegator,
        { agent: AGENTS.slow, input: { steps: 4, interval_ms: 40 }, lease_request: {} },
        { lease_request: { 'agent.delegate': ['conformance.*'] } },
      );
      await ctx.sleep(30);
      s.conn.send(envelope('job.cancel', { reason: 'conformance' }, { session_id: s.sessionId, job_id: jobId }));
      const term = await ctx.terminalAfterCancel(s, jobId);
      require_(term.type === 'job.error' && field(term, 'payload', 'code') === 'CANCELLED', `cancelled job ended with ${term.type} ${String(field(term, 'payload', 'code') ?? '')}`, term);
      require_(field(term, 'payload', 'final_status') === 'cancelled', `final_status is ${String(field(term, 'payload', 'final_status'))}`, term);
    },
  }),
  scenario({
    id: '7.4/cancel/unknown-job',
    statements: ['S12-03'],
    spec: '§7.4, §12',
    level: 'MUST',
    title: 'job.cancel for an unknown job gets JOB_NOT_FOUND (§12: referenced job_id does not exist; catalog §10 #18 agrees)',
    async run(ctx) {
      const s = await ctx.open('A');
      const ghost = 'job_01JZZZZZZZZZZZZZZZZZZZZZZZ';
      const reply = await s.conn.request(envelope('job.cancel', { reason: 'conformance' }, { session_id: s.sessionId, job_id: ghost }));
      requireErrorCode(reply, ['JOB_NOT_FOUND'], 'cancel of an unknown job');
    },
  }),
  scenario({
    id: '7.2/idempotency/same-accepted',
    statements: ['S7.2-01'],
    spec: '§7.2',
    level: 'MUST',
    title: 'the same idempotency_key with identical parameters returns the same job.accepted payload (same job_id)',
    agents: [AGENTS.echo],
    async run(ctx) {
      const s = await ctx.open('A');
      const key = `conf-${Date.now()}-${Math.random().toString(36).slice(2)}`;
      const first = await ctx.submitRaw(s, AGENTS.echo, { v: 1 }, { idempotency_key: key });
      require_(first.type === 'job.accepted', `first submit answered by ${first.type}`, first);
      await ctx.terminal(s, String(first.job_id));
      const second = await ctx.submitRaw(s, AGENTS.echo, { v: 1 }, { idempotency_key: key });
      require_(second.type === 'job.accepted', `repeat submit answered by ${second.type}`, second);
      require_(field(second, 'payload', 'job_id') === field(first, 'payload', 'job_id'), 'repeat submit created a different job', second);
      // catalog §9 #30 H: the same payload (request_id correlation keys may differ)
      const strip = (p: unknown) => ({ ...(p as object), request_id: undefined });
      require_(canonicalJson(strip(first.payload)) === canonicalJson(strip(second.payload)), 'repeat job.accepted payload differs', first);
    },
  }),
  scenario({
    id: '7.2/idempotency/across-sessions',
    statements: [],
    spec: '§7.2',
    level: 'interop',
    title: 'an idempotency key is scoped to the principal, not the session: a second session resubmitting gets the same job (catalog §10 #17)',
    agents: [AGENTS.echo],
    needs: ['reconnect'],
    async run(ctx) {
      const key = `conf-x-${Date.now()}-${Math.random().toString(36).slice(2)}`;
      const s1 = await ctx.open('A');
      const first = await ctx.submitRaw(s1, AGENTS.echo, { v: 1 }, { idempotency_key: key });
      require_(first.type === 'job.accepted', `first submit answered by ${first.type}`, first);
      const s2 = await ctx.open('A');
      const second = await ctx.submitRaw(s2, AGENTS.echo, { v: 1 }, { idempotency_key: key });
      require_(second.type === 'job.accepted', `resubmit from another session answered by ${second.type}`, second);
      require_(field(second, 'payload', 'job_id') === field(first, 'payload', 'job_id'), 'resubmit from another session of the same principal created a new job', second);
    },
  }),
  scenario({
    id: '7.2/idempotency/conflict-duplicate-key',
    statements: ['S7.2-02'],
    spec: '§7.2, §12',
    level: 'MUST',
    title: 'the same idempotency_key with different parameters gets DUPLICATE_KEY, whichever parameter differs (input, max_runtime_sec, lease_request)',
    agents: [AGENTS.echo],
    async run(ctx) {
      const s = await ctx.open('A');
      const base = `conf-${Date.now()}-${Math.random().toString(36).slice(2)}`;
      // one key per parameter: a runtime that compares only some fields passes the input case alone
      const cases: Array<{ what: string; first: SubmitOptions; second: SubmitOptions; input2?: unknown }> = [
        { what: 'another input', first: {}, second: {}, input2: { v: 2 } },
        { what: 'another max_runtime_sec', first: { max_runtime_sec: 60 }, second: { max_runtime_sec: 120 } },
        { what: 'another lease_request', first: { lease_request: { 'fs.read': ['/w/**'] } }, second: { lease_request: { 'fs.read': ['/x/**'] } } },
      ];
      for (const [i, c] of cases.entries()) {
        const key = `${base}-${i}`;
        const first = await ctx.submitRaw(s, AGENTS.echo, { v: 1 }, { ...c.first, idempotency_key: key });
        require_(first.type === 'job.accepted', `first submit answered by ${first.type}`, first);
        const second = await ctx.submitRaw(s, AGENTS.echo, c.input2 ?? { v: 1 }, { ...c.second, idempotency_key: key });
        requireErrorCode(second, ['DUPLICATE_KEY'], `reuse of an idempotency key with ${c.what}`);
      }
    },
  }),
];
