// §7.1 submission, §7.3 lifecycle (exactly one terminal), §7.5 agent versions, §12 submit errors.
import { field, jobIdOf } from '../driver/wire.js';
import { SeqOracle } from '../model/seq-oracle.js';
import { AGENTS, canonicalJson, inlineResult, requireErrorCode, scenario } from './define.js';
import { require_ } from './outcomes.js';
import type { CheckDef } from './types.js';

export const jobChecks: CheckDef[] = [
  scenario({
    id: '7.1/submit/accepted-then-result',
    statements: ['S7.1-01'],
    spec: '§7.1, §7.3',
    level: 'MUST',
    title: 'conformance.echo is accepted (job.accepted with job_id and lease) and succeeds with its input as result',
    agents: [AGENTS.echo],
    async run(ctx) {
      const s = await ctx.open('A');
      const input = { hello: 'world', n: [1, 2, 3], nested: { ok: true } };
      const reply = await ctx.submitRaw(s, AGENTS.echo, input);
      require_(reply.type === 'job.accepted', `submit answered by ${reply.type}`, reply);
      require_(field(reply, 'payload', 'lease') !== undefined, 'job.accepted has no effective lease (§7.1)', reply);
      const jobId = String(jobIdOf(reply));
      const term = await ctx.terminal(s, jobId);
      require_(term.type === 'job.result', `echo ended with ${term.type}`, term);
      require_(field(term, 'payload', 'final_status') === 'success', 'job.result final_status is not success', term);
      require_(canonicalJson(inlineResult(term)) === canonicalJson(input), 'echo result differs from its input', term);
    },
  }),
  scenario({
    id: '7.1/submit/trace-id-echoed',
    statements: [],
    spec: '§7.1, §11',
    level: 'interop',
    title: 'the submit\'s trace_id is echoed on job.accepted, the job\'s events and its terminal (catalog §6.19)',
    agents: [AGENTS.chatty],
    async run(ctx) {
      const s = await ctx.open('A');
      const reply = await ctx.submitRaw(s, AGENTS.chatty, { n: 2 });
      require_(reply.type === 'job.accepted', `submit answered by ${reply.type}`, reply);
      const trace = reply.trace_id;
      require_(typeof trace === 'string', 'job.accepted carries no trace_id');
      const jobId = String(reply.job_id);
      await ctx.terminal(s, jobId);
      const off = s.conn.messages().filter((m) => m.job_id === jobId && m.trace_id !== trace);
      require_(off.length === 0, `${off.length} frames of the job carry another trace_id (e.g. ${String(off[0]?.type)})`);
    },
  }),
  scenario({
    id: '7.3/terminal/exactly-one',
    statements: ['S7.3-01'],
    spec: '§7.3',
    level: 'MUST',
    title: 'each job has exactly one terminal (job.result or job.error) and nothing follows it',
    agents: [AGENTS.chatty],
    async run(ctx) {
      const s = await ctx.open('A');
      const a = await ctx.submit(s, AGENTS.chatty, { n: 3 });
      const b = await ctx.submit(s, AGENTS.echo, { x: 1 });
      await ctx.terminal(s, a);
      await ctx.terminal(s, b);
      // quiet period: a second terminal would arrive right behind the first
      await ctx.sleep(Math.min(300, ctx.timeoutMs / 4));
      const oracle = new SeqOracle().observeAll(s.conn.messages());
      oracle.requireTerminals([a, b]);
      require_(oracle.violations.length === 0, oracle.violations.join('; '), oracle.firstOffender);
    },
  }),
  scenario({
    id: '7.3/error/failer-code',
    statements: ['S7.3-01', 'S12-03'],
    spec: '§7.3, §12',
    level: 'MUST',
    title: 'conformance.failer ends in job.error final_status "error" with the requested code and message',
    agents: [AGENTS.failer],
    async run(ctx) {
      const s = await ctx.open('A');
      const jobId = await ctx.submit(s, AGENTS.failer, { code: 'PERMISSION_DENIED', message: 'nope' });
      const term = await ctx.terminal(s, jobId);
      require_(term.type === 'job.error', `failer ended with ${term.type}`, term);
      require_(field(term, 'payload', 'final_status') === 'error', 'final_status is not "error"', term);
      require_(field(term, 'payload', 'code') === 'PERMISSION_DENIED', `code is ${String(field(term, 'payload', 'code'))}`, term);
      require_(typeof field(term, 'payload', 'message') === 'string', 'job.error has no message', term);
    },
  }),
  scenario({
    id: '7.1/max-runtime/timeout',
    statements: ['S7.3-03'],
    spec: '§7.3, §12',
    level: 'MUST',
    title: 'a job exceeding max_runtime_sec ends in job.error TIMEOUT with final_status "timed_out"',
    agents: [AGENTS.slow],
    async run(ctx) {
      const s = await ctx.open('A');
      const jobId = await ctx.submit(s, AGENTS.slow, { steps: 100, interval_ms: 100 }, { max_runtime_sec: 1 });
      // generous: only absent after 5x the limit counts (style: no timing flakes)
      const term = await ctx.terminal(s, jobId, Math.max(5_000, ctx.timeoutMs));
      require_(term.type === 'job.error', `ended with ${term.type}`, term);
      require_(field(term, 'payload', 'code') === 'TIMEOUT', `code is ${String(field(term, 'payload', 'code'))}`, term);
      require_(field(term, 'payload', 'final_status') === 'timed_out', `final_status is ${String(field(term, 'payload', 'final_status'))}`, term);
    },
  }),
  scenario({
    id: '7.1/max-runtime/inside-the-limit',
    statements: ['S7.3-03'],
    spec: '§7.3',
    level: 'MUST',
    title: 'a job that runs for more than max_runtime_sec - 1 but less than max_runtime_sec seconds succeeds (the limit is not counted short)',
    agents: [AGENTS.slow],
    async run(ctx) {
      const s = await ctx.open('A');
      // 1.2 s of work (one wait, so event-loop lag adds once) under a 2 s limit: a timer armed one
      // second short (or at half the limit) fires first
      const jobId = await ctx.submit(s, AGENTS.slow, { steps: 1, interval_ms: 1200 }, { max_runtime_sec: 2 });
      const term = await ctx.terminal(s, jobId, Math.max(5_000, ctx.timeoutMs));
      require_(term.type === 'job.result', `a job of about 1.2 s under max_runtime_sec 2 ended with ${term.type} ${String(field(term, 'payload', 'code') ?? '')}`, term);
    },
  }),
  scenario({
    id: '12/submit/agent-not-available',
    statements: ['S7.5-06'],
    spec: '§12',
    level: 'MUST',
    title: 'submitting an unregistered agent gets AGENT_NOT_AVAILABLE',
    async run(ctx) {
      const s = await ctx.open('A');
      const reply = await ctx.submitRaw(s, 'conformance.no-such-agent', {});
      requireErrorCode(reply, ['AGENT_NOT_AVAILABLE'], 'unknown agent');
    },
  }),
  scenario({
    id: '7.5/versions/pinned',
    statements: ['S7.5-03', 'S7.5-04'],
    spec: '§7.5',
    level: 'MUST',
    title: 'name@version runs exactly that version; job.accepted names it as name@version',
    feature: 'agent_versions',
    agents: [AGENTS.versioned],
    async run(ctx) {
      const s = await ctx.open('A');
      const reply = await ctx.submitRaw(s, `${AGENTS.versioned}@1.0.0`, {});
      require_(reply.type === 'job.accepted', `submit answered by ${reply.type}`, reply);
      require_(field(reply, 'payload', 'agent') === `${AGENTS.versioned}@1.0.0`, `job.accepted agent is ${String(field(reply, 'payload', 'agent'))}`, reply);
      const term = await ctx.terminal(s, String(reply.job_id));
      require_(field(inlineResult(term), 'version') === '1.0.0', `ran version ${String(field(inlineResult(term), 'version'))}`, term);
    },
  }),
  scenario({
    id: '7.5/versions/default',
    statements: ['S7.5-01', 'S7.5-04'],
    spec: '§7.5',
    level: 'MUST',
    title: 'a bare agent name resolves to the advertised default version (2.0.0), and job.accepted names it as name@2.0.0',
    feature: 'agent_versions',
    agents: [AGENTS.versioned],
    async run(ctx) {
      const s = await ctx.open('A');
      const reply = await ctx.submitRaw(s, AGENTS.versioned, {});
      require_(reply.type === 'job.accepted', `submit answered by ${reply.type}`, reply);
      require_(field(reply, 'payload', 'agent') === `${AGENTS.versioned}@2.0.0`, `job.accepted agent is ${String(field(reply, 'payload', 'agent'))}, expected the resolved ${AGENTS.versioned}@2.0.0`, reply);
      const term = await ctx.terminal(s, String(reply.job_id));
      require_(field(inlineResult(term), 'version') === '2.0.0', `bare name ran version ${String(field(inlineResult(term), 'version'))}`, term);
    },
  }),
  scenario({
    id: '7.5/versions/unknown-version',
    statements: ['S7.5-03'],
    spec: '§7.5, §12',
    level: 'MUST',
    title: 'name@version with an unregistered version gets AGENT_VERSION_NOT_AVAILABLE',
    feature: 'agent_versions',
    agents: [AGENTS.versioned],
    async run(ctx) {
      const s = await ctx.open('A');
      const reply = await ctx.submitRaw(s, `${AGENTS.versioned}@9.9.9`, {});
      requireErrorCode(reply, ['AGENT_VERSION_NOT_AVAILABLE'], 'unknown version');
    },
  }),
  scenario({
    id: '12/errors/pinned-retryable',
    statements: ['S12-02'],
    spec: '§12',
    level: 'MUST',
    title: 'LEASE_EXPIRED and BUDGET_EXHAUSTED are sent with retryable false, INTERNAL_ERROR with true, whatever the agent asked',
    agents: [AGENTS.failer],
    async run(ctx) {
      const s = await ctx.open('A');
      const cases: [string, boolean, boolean][] = [
        ['LEASE_EXPIRED', true, false],
        ['BUDGET_EXHAUSTED', true, false],
        ['INTERNAL_ERROR', false, true],
      ];
      for (const [code, asked, must] of cases) {
        const jobId = await ctx.submit(s, AGENTS.failer, { code, message: `pinned ${code}`, retryable: asked });
        const term = await ctx.terminal(s, jobId);
        require_(field(term, 'payload', 'code') === code, `failer(${code}) ended with ${String(field(term, 'payload', 'code'))}`, term);
        require_(field(term, 'payload', 'retryable') === must, `${code} sent with retryable ${String(field(term, 'payload', 'retryable'))}`, term);
      }
    },
  }),
];
