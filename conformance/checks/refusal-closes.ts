// §6.1 with §12 UNAUTHENTICATED: a refused hello ends the connection. Leaving the transport open
// after the error invites credential guessing on one socket and keeps a half-session alive.
import { helloEnvelope } from '../driver/session.js';
import { envelope } from '../driver/wire.js';
import { requireErrorCode, scenario } from './define.js';
import { require_, Violation } from './outcomes.js';
import type { CheckDef } from './types.js';

export const refusalChecks: CheckDef[] = [
  scenario({
    id: '6.1/auth/refusal-closes-transport',
    statements: ['S6.1-01'],
    spec: '§6.1, §12',
    level: 'MUST',
    title: 'after session.error UNAUTHENTICATED (unknown, empty or missing token) the runtime closes the transport; nothing is served on a refused transport',
    async run(ctx) {
      const hellos = [
        { what: 'unknown bearer token', env: helloEnvelope({ token: `not-a-valid-token-${Date.now()}` }), codes: ['UNAUTHENTICATED'] },
        { what: 'hello without auth', env: withoutAuth(helloEnvelope({ token: 'x' })), codes: ['UNAUTHENTICATED', 'INVALID_REQUEST'] },
        { what: 'empty bearer token', env: helloEnvelope({ token: '' }), codes: ['UNAUTHENTICATED', 'INVALID_REQUEST'] },
      ];
      for (const h of hellos) {
        const conn = await ctx.connect('A');
        conn.send(h.env, { raw: true });
        const reply = await conn.expectType(['session.welcome', 'session.error']);
        if (reply.type === 'session.welcome') throw new Violation(`${h.what}: welcome issued`, { frame: reply });
        requireErrorCode(reply, h.codes, h.what);
        const unauthenticated = (reply.payload as { code?: string }).code === 'UNAUTHENTICATED';
        if (await conn.waitClosed(unauthenticated ? ctx.timeoutMs : 0)) continue;
        // still open: whatever comes next must not be served as a session
        conn.send(envelope('job.submit', { agent: 'conformance.echo', input: {} }), { raw: true });
        const served = await conn.arrives((m) => m.type === 'job.accepted' || m.type === 'session.welcome', Math.min(500, ctx.timeoutMs));
        require_(!served, `${h.what}: the runtime served a job.submit on the refused transport`);
        // a hello refused as malformed (INVALID_REQUEST, §12) may leave the transport open for a retry
        if (!unauthenticated) continue;
        throw new Violation(`${h.what}: the transport is still open ${ctx.timeoutMs} ms after session.error ${String((reply.payload as { code?: string }).code)} ${String(reply.id)} (§6.1: refuse and close)`);
      }
    },
  }),
];

function withoutAuth(env: ReturnType<typeof helloEnvelope>): ReturnType<typeof helloEnvelope> {
  const { auth: _auth, ...payload } = env.payload as Record<string, unknown>;
  return { ...env, payload };
}
