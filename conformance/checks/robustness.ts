// §5 wire format and §12 INVALID_REQUEST: bad input never kills the session.
import type { Session } from '../driver/session.js';
import { envelope } from '../driver/wire.js';
import type { CheckContext } from '../runner/context.js';
import { errorCode } from '../model/seq-oracle.js';
import { AGENTS, canonicalJson, inlineResult, scenario } from './define.js';
import { require_, Violation } from './outcomes.js';
import type { CheckDef } from './types.js';

/** After bad input: the session still runs an echo job end to end (the "keeps working" half). */
export async function requireSessionWorks(ctx: CheckContext, s: Session, what: string): Promise<void> {
  const input = { alive: what };
  let reply;
  try {
    reply = await ctx.submitRaw(s, AGENTS.echo, input);
  } catch (e) {
    throw new Violation(`after ${what} the session no longer works: ${(e as Error).message}`);
  }
  require_(reply.type === 'job.accepted', `after ${what} an echo submit was answered by ${reply.type}`, reply);
  const term = await ctx.terminal(s, String(reply.job_id));
  require_(canonicalJson(inlineResult(term)) === canonicalJson(input), `after ${what} echo returned a different result`, term);
}

/** Waits briefly for an INVALID_REQUEST error (session.error or job.error); undefined if none came. */
export async function invalidRequestReply(s: Session, ms: number): Promise<string | undefined> {
  const got = await s.conn.arrives((m) => m.type === 'session.error' || (m.type === 'job.error' && errorCode(m) === 'INVALID_REQUEST'), ms);
  if (!got) return undefined;
  const errs = s.conn.messages().filter((m) => m.type === 'session.error' || m.type === 'job.error');
  return errorCode(errs[errs.length - 1]);
}

interface BadInput {
  readonly slug: string;
  readonly what: string;
  readonly frame: (s: Session) => string;
  /** §12 INVALID_REQUEST covers it (malformed envelope or schema violation): a typed error is required. Only a frame too large for the transport may be refused by the transport itself. */
  readonly typed: boolean;
}

const BAD_INPUTS: BadInput[] = [
  { slug: 'malformed-json', what: 'a frame that is not JSON', frame: () => '{"arcp":"1.1","id":', typed: true },
  { slug: 'non-object', what: 'a JSON array frame', frame: () => '[1,2,3]', typed: true },
  {
    slug: 'unknown-core-type',
    what: 'an unknown job.* message type',
    frame: (s) => JSON.stringify(envelope('job.frobnicate', {}, { session_id: s.sessionId })),
    typed: true,
  },
  {
    slug: 'schema-violation',
    what: 'a job.submit whose agent is a number',
    frame: (s) => JSON.stringify(envelope('job.submit', { agent: 42, input: {} }, { session_id: s.sessionId })),
    typed: true,
  },
  {
    slug: 'wrong-version',
    what: 'an envelope with arcp "9.9"',
    frame: (s) => JSON.stringify({ ...envelope('job.submit', { agent: AGENTS.echo, input: {} }, { session_id: s.sessionId }), arcp: '9.9' }),
    typed: true,
  },
  {
    slug: 'runtime-only-type',
    what: 'a runtime-to-client type (job.accepted) sent by the client',
    frame: (s) => JSON.stringify(envelope('job.accepted', { job_id: 'job_x', lease: {}, accepted_at: new Date().toISOString() }, { session_id: s.sessionId })),
    typed: true,
  },
  {
    slug: 'oversized-frame',
    what: 'a 2 MiB frame',
    frame: (s) => JSON.stringify(envelope('job.submit', { agent: AGENTS.echo, input: { blob: 'x'.repeat(2 * 1024 * 1024) } }, { session_id: s.sessionId })),
    typed: false,
  },
];

export const robustnessChecks: CheckDef[] = [
  scenario({
    id: '5/envelope/unknown-fields-ignored',
    statements: ['S5-01'],
    spec: '§5',
    level: 'MUST',
    title: 'unknown top-level envelope fields (and unknown payload keys, catalog §10 #7) are ignored',
    agents: [AGENTS.echo],
    async run(ctx) {
      const s = await ctx.open('A');
      const env = { ...envelope('job.submit', { agent: AGENTS.echo, input: { k: 1 }, x_unknown_payload_key: true }, { session_id: s.sessionId }), x_future_field: { a: 1 } };
      const reply = await s.conn.request(env, { raw: true });
      require_(reply.type === 'job.accepted', `submit with unknown fields answered by ${reply.type} ${String(errorCode(reply))}`, reply);
      await ctx.terminal(s, String(reply.job_id));
    },
  }),
  scenario({
    id: '5/envelope/session-id-mismatch',
    statements: [],
    spec: '§5',
    level: 'interop',
    title: 'a message naming another session_id is rejected with INVALID_REQUEST (catalog §10 #4)',
    agents: [AGENTS.echo],
    async run(ctx) {
      const s = await ctx.open('A');
      const other = 'sess_01JZZZZZZZZZZZZZZZZZZZZZZZ';
      const reply = await ctx.submitRaw({ ...s, sessionId: other }, AGENTS.echo, {});
      require_(reply.type !== 'job.accepted', 'a job.submit naming another session was accepted', reply);
      require_(errorCode(reply) === 'INVALID_REQUEST', `answered with ${String(errorCode(reply))}`, reply);
    },
  }),
  ...BAD_INPUTS.map((b) =>
    scenario({
      id: `5/robustness/${b.slug}`,
      statements: ['S12-01'],
      spec: '§5, §12',
      level: 'MUST',
      title: `after ${b.what}, the session keeps working (catalog §1.3)`,
      agents: [AGENTS.echo],
      async run(ctx) {
        const s = await ctx.open('A');
        s.conn.sendText(b.frame(s));
        await requireSessionWorks(ctx, s, b.what);
      },
    }),
  ),
  ...BAD_INPUTS.filter((b) => b.typed).map((b) =>
    scenario({
      id: `12/invalid-request/${b.slug}`,
      statements: ['S12-01'],
      spec: '§12',
      level: 'MUST',
      title: `${b.what} gets a typed INVALID_REQUEST error`,
      async run(ctx) {
        const s = await ctx.open('A');
        s.conn.sendText(b.frame(s));
        const code = await invalidRequestReply(s, Math.min(ctx.timeoutMs, 1500));
        require_(code !== undefined, `no error answered ${b.what}`);
        require_(code === 'INVALID_REQUEST', `${b.what} answered with ${String(code)}`);
      },
    }),
  ),
];
