// §12 from the client's side: every code reaches the application typed, with the wire's
// retryable flag except where the spec pins it (LEASE_EXPIRED, BUDGET_EXHAUSTED never retryable;
// INTERNAL_ERROR always), with and without the optional fields, and session.error without
// correlation ids.
import fc from 'fast-check';
import { ERROR_CODES } from '../../../generated/registry.js';
import { runProperty } from '../../properties/run-property.js';
import { clientProperty, clientScenario } from '../check-types.js';
import type { ClientCheckContext } from '../context.js';
import * as F from '../frames.js';
import { require_, Violation } from './expect.js';

const CODES = Object.keys(ERROR_CODES).sort();
const PINNED = CODES.filter((c) => ERROR_CODES[c as keyof typeof ERROR_CODES].pinned);

/** Terminates a fresh job with a job.error built raw (retryable may break the pin on purpose). */
async function failJob(ctx: ClientCheckContext, code: string, retryable: boolean, details?: Record<string, unknown>) {
  await ctx.start();
  const s = await ctx.open();
  const { jobId } = await ctx.submit(s);
  s.seq += 1;
  const payload: Record<string, unknown> = { final_status: F.finalStatusFor(code), code, message: `scripted ${code}`, retryable };
  if (details) payload.details = details;
  s.conn.send(F.raw(F.envelopeOf('job.error', payload, { session_id: s.sessionId, job_id: jobId, event_seq: s.seq })));
  const t = await ctx.client.terminal(jobId);
  if (t.obs !== 'job_error') throw new Violation(`job.error ${code}: the application was shown ${t.obs}`);
  return t;
}

function expectedRetryable(code: string, wire: boolean): boolean {
  const info = ERROR_CODES[code as keyof typeof ERROR_CODES];
  return info.pinned ? info.retryable : wire;
}

export const errorChecks = [
  clientScenario({
    id: '12/client/pinned-retryable',
    statements: ["S12-02"],
    spec: '§12',
    level: 'MUST',
    title: 'LEASE_EXPIRED and BUDGET_EXHAUSTED reach the application as not retryable even when a runtime sends retryable: true; INTERNAL_ERROR is always retryable',
    async run(ctx) {
      for (const code of PINNED) {
        const pinned = ERROR_CODES[code as keyof typeof ERROR_CODES].retryable;
        const t = await failJob(ctx, code, !pinned, { reason: 'hostile runtime flips the pinned flag' });
        if (t.obs !== 'job_error') continue;
        require_(t.code === code, `job.error ${code} reached the application as ${t.code}`);
        if (t.retryable !== pinned) throw new Violation(`${code} sent with retryable: ${!pinned} reached the application as retryable: ${String(t.retryable)} (pinned ${pinned}, §12)`);
      }
    },
  }),

  clientProperty({
    id: '12/client/every-code-typed',
    statements: ["S12-02", "S12-03"],
    spec: '§12',
    level: 'MUST',
    title: 'each of the 15 codes, with and without details, any retryable: the application gets that code and the wire retryable (the pinned value for pinned codes)',
    async run(ctx) {
      const arb = fc.record({
        code: fc.constantFrom(...CODES),
        retryable: fc.boolean(),
        details: fc.option(fc.dictionary(fc.stringMatching(/^[a-z_]{1,8}$/), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }), { nil: undefined }),
      });
      await runProperty(ctx, arb, async ({ code, retryable, details }) => {
        const t = await failJob(ctx, code, retryable, details as Record<string, unknown> | undefined);
        if (t.obs !== 'job_error') return;
        require_(t.code === code, `job.error ${code} reached the application as ${t.code}`);
        const want = expectedRetryable(code, retryable);
        if (t.retryable !== want) throw new Violation(`${code} (wire retryable ${retryable}) reached the application as retryable ${String(t.retryable)}, expected ${want}`);
      }, { runsFactor: 2 });
    },
  }),

  clientScenario({
    id: '12/client/session-error-uncorrelated',
    statements: [],
    spec: '§12, §6',
    level: 'SHOULD',
    title: 'a session.error with no request_id or job_id (the TS runtime form) while a list is pending reaches the application as a typed error; nothing waits forever',
    feature: 'list_jobs',
    async run(ctx) {
      await ctx.start();
      const s = await ctx.open();
      const pending = ctx.client.do({ op: 'list' }, ctx.timeoutMs * 2);
      await s.conn.nextType('session.list_jobs');
      s.conn.send(F.sessionError(s.sessionId, 'INVALID_REQUEST'));
      const r = await pending.catch((e: Error) => ({ ok: false as const, error: { code: `none (${e.message})` } }));
      const seen = ctx.client.observations.some((o) => o.obs === 'session_error' && o.code === 'INVALID_REQUEST');
      if (r.ok) throw new Violation('the list succeeded although the runtime answered it with session.error INVALID_REQUEST');
      if (r.error.code !== 'INVALID_REQUEST' && !seen) throw new Violation(`the application saw ${r.error.code}, not INVALID_REQUEST`);
    },
  }),

  clientScenario({
    id: '6.1/client/pre-welcome-error-without-session-id',
    statements: [],
    spec: '§6.1, §12',
    level: 'interop',
    title: 'UNAUTHENTICATED as a session.error without session_id before any welcome (TS/Go, catalog §9 #26) fails connect with UNAUTHENTICATED, not a timeout',
    async run(ctx) {
      await ctx.start();
      const reply = ctx.client.do({ op: 'connect', ...ctx.endpoint(), token: 'wrong' }, 8000);
      const conn = await ctx.runtime.accept();
      await conn.nextType('session.hello');
      conn.send(F.sessionError(undefined, 'UNAUTHENTICATED'));
      const r = await reply;
      if (r.ok) throw new Violation('connect succeeded after session.error UNAUTHENTICATED');
      if (r.error.code !== 'UNAUTHENTICATED') throw new Violation(`connect failed with ${r.error.code}${r.error.message ? ` (${r.error.message})` : ''}, not UNAUTHENTICATED`);
      require_(r.error.retryable !== true, 'UNAUTHENTICATED reached the application as retryable');
    },
  }),
];
