// §14 limits the wire never states: result caps (S14-10), a per-principal session cap and the
// disconnection of sessions that only heartbeat (S14-12). A runtime without them cannot be told
// apart from one with a cap above any bounded probe, so each check probes the value the target
// declares (driver/peer-limits.ts: the in-process target declares its own, a foreign one gets
// --peer-limits), and is skipped, saying what to declare, when there is none.
import { helloEnvelope, sessionFromWelcome } from '../driver/session.js';
import { PEER_LIMIT_NAMES, PROBE_BOUNDS, type PeerLimits } from '../driver/peer-limits.js';
import { ALL_FEATURES, envelope, field, isoNow, type Envelope } from '../driver/wire.js';
import type { CheckContext } from '../runner/context.js';
import { AGENTS, scenario } from './define.js';
import { checkChunks, streamerBytes } from './events.js';
import { PeerGone, require_, Skip, Violation } from './outcomes.js';
import type { CheckDef } from './types.js';

const nameOf = (key: keyof PeerLimits): string => Object.entries(PEER_LIMIT_NAMES).find(([, k]) => k === key)![0];

/** The declared value of `key` when the probe can reach it; a value beyond its bound is noted and left out. */
function declared(ctx: CheckContext, key: keyof PeerLimits): number | undefined {
  const value = ctx.config.target.limits?.[key];
  if (value === undefined || value <= PROBE_BOUNDS[key]) return value;
  ctx.note(`declared ${nameOf(key)} ${value} is beyond this probe's bound of ${PROBE_BOUNDS[key]}: not probed`);
  return undefined;
}

/** Nothing to probe: say which --peer-limits entries would run the check. */
function undeclared(ctx: CheckContext, ...keys: (keyof PeerLimits)[]): Skip {
  const beyond = keys.filter((k) => ctx.config.target.limits?.[k] !== undefined);
  if (beyond.length) return new Skip(`declared ${beyond.map((k) => `${nameOf(k)} ${ctx.config.target.limits![k]}`).join(', ')} beyond this probe's bound (${beyond.map((k) => `${nameOf(k)} <= ${PROBE_BOUNDS[k]}`).join(', ')}): nothing to probe`);
  return new Skip(`the wire does not show this limit: declare it with --peer-limits ${keys.map((k) => `${nameOf(k)}=N`).join(',')} to run this check`);
}

interface Streamed {
  readonly term: Envelope;
  /** Decoded bytes of the result_chunk events the job got before its terminal. */
  readonly deliveredBytes: number;
}

async function stream(ctx: CheckContext, s: Awaited<ReturnType<CheckContext['open']>>, chunks: number, chunkSize: number): Promise<Streamed> {
  const jobId = await ctx.submit(s, AGENTS.streamer, { chunks, chunk_size: chunkSize, encoding: 'utf8' });
  const term = await ctx.terminal(s, jobId, Math.max(ctx.timeoutMs, 10_000));
  let deliveredBytes = 0;
  for (const m of s.conn.messages()) {
    if (m.type !== 'job.event' || m.job_id !== jobId || field(m, 'payload', 'kind') !== 'result_chunk') continue;
    deliveredBytes += Buffer.byteLength(String(field(m, 'payload', 'body', 'data') ?? ''), 'utf8');
  }
  if (term.type === 'job.result') {
    const bytes = checkChunks(s.conn.messages(), jobId);
    require_(bytes.equals(streamerBytes(chunks * chunkSize, 'utf8')), `a result within the declared caps (${chunks} x ${chunkSize} bytes) assembled to ${bytes.length} bytes or wrong content`, term);
  }
  return { term, deliveredBytes };
}

/** An over-cap stream must end in job.error INTERNAL_ERROR (§14), having delivered no more than `max` bytes. */
function requireCapped(r: Streamed, what: string, max: number): void {
  require_(r.term.type === 'job.error', `${what} was delivered whole: no cap at the declared value`, r.term);
  require_(field(r.term, 'payload', 'code') === 'INTERNAL_ERROR', `${what} ended with ${String(field(r.term, 'payload', 'code'))}, expected INTERNAL_ERROR (§14)`, r.term);
  require_(r.deliveredBytes <= max, `${what}: ${r.deliveredBytes} bytes of result_chunk reached the client before the error, over the cap of ${max}`, r.term);
}

export const declaredLimitChecks: CheckDef[] = [
  scenario({
    id: '14/results/caps-enforced',
    statements: ['S14-10'],
    spec: '§14, §8.4',
    level: 'SHOULD',
    title: 'with result_chunk_bytes C / result_bytes T declared: a chunk of C bytes and a result of T (whole chunks) are delivered; a chunk of C+1, and one chunk past T, end in job.error INTERNAL_ERROR with no more than the cap delivered',
    feature: 'result_chunk',
    agents: [AGENTS.streamer],
    async run(ctx) {
      const chunkCap = declared(ctx, 'resultChunkBytes');
      const totalCap = declared(ctx, 'resultTotalBytes');
      if (chunkCap === undefined && totalCap === undefined) throw undeclared(ctx, 'resultChunkBytes', 'resultTotalBytes');
      const s = await ctx.open('A');
      if (chunkCap !== undefined) {
        const at = await stream(ctx, s, 1, chunkCap);
        require_(at.term.type === 'job.result', `one chunk of ${chunkCap} bytes (the declared result_chunk_bytes) ended with ${at.term.type} ${String(field(at.term, 'payload', 'code'))}`, at.term);
        requireCapped(await stream(ctx, s, 1, chunkCap + 1), `one chunk of ${chunkCap + 1} bytes (declared result_chunk_bytes ${chunkCap})`, chunkCap);
      }
      if (totalCap !== undefined) {
        // whole chunks, each within the chunk cap: k of them fit the total, k+1 do not
        const size = Math.min(chunkCap ?? totalCap, totalCap, 64 * 1024);
        const k = Math.floor(totalCap / size);
        const fits = await stream(ctx, s, k, size);
        require_(fits.term.type === 'job.result', `${k} chunks of ${size} bytes (${k * size} <= declared result_bytes ${totalCap}) ended with ${fits.term.type} ${String(field(fits.term, 'payload', 'code'))}`, fits.term);
        requireCapped(await stream(ctx, s, k + 1, size), `${k + 1} chunks of ${size} bytes (${(k + 1) * size} > declared result_bytes ${totalCap})`, totalCap);
      }
    },
  }),
  scenario({
    id: '14/sessions/per-principal-cap',
    statements: ['S14-12'],
    spec: '§14',
    level: 'SHOULD',
    title: "with sessions_per_principal N declared: principal A's hello beyond N attached sessions gets no welcome (a session.error or a close), and principal B's hello is still welcomed (the cap is per principal); runs after every other check",
    needs: ['reconnect'],
    async run(ctx) {
      const cap = declared(ctx, 'sessionsPerPrincipal');
      if (cap === undefined) throw undeclared(ctx, 'sessionsPerPrincipal');
      let welcomes = 0;
      let last: Envelope | undefined;
      for (let i = 0; i <= cap; i++) {
        const reply = await handshake(ctx, 'A');
        if (reply === 'closed' || reply.type !== 'session.welcome') {
          ctx.note(`hello ${i + 1} refused after ${welcomes} welcomes (declared cap ${cap})`);
          return ctx.config.target.tokenB ? requireBWelcomed(ctx, cap) : undefined;
        }
        welcomes += 1;
        last = reply;
      }
      throw new Violation(`principal A holds ${welcomes} attached sessions, more than the declared sessions_per_principal ${cap}: no per-principal session cap (§14)`, { frame: last });
    },
  }),
  scenario({
    id: '14/sessions/zero-throughput-disconnect',
    statements: ['S14-12'],
    spec: '§14, §6.4',
    level: 'SHOULD',
    title: 'with idle_disconnect_sec T declared: a session that only exchanges session.ping/pong is disconnected within T plus a margin, while a session that submits a job every second stays connected',
    needs: ['reconnect'],
    agents: [AGENTS.echo],
    async run(ctx) {
      const t = declared(ctx, 'zeroThroughputSec');
      if (t === undefined) throw undeclared(ctx, 'zeroThroughputSec');
      const idle = await ctx.open('A');
      const busy = await ctx.open('A');
      const limitMs = t * 1000 + Math.max(2_000, t * 250);
      const step = Math.min(1_000, t * 250);
      const start = performance.now();
      let n = 0;
      // idle: pings of its own (the connection answers the runtime's with pongs); busy: a job a step
      while (idle.conn.isOpen && performance.now() - start < limitMs) {
        idle.conn.send(envelope('session.ping', { nonce: `zt_${++n}`, sent_at: isoNow() }, { session_id: idle.sessionId }));
        if (busy.conn.isOpen) await ctx.terminal(busy, await ctx.submit(busy, AGENTS.echo, { n }));
        await idle.conn.waitClosed(step);
      }
      const secs = ((performance.now() - start) / 1000).toFixed(1);
      const pong = idle.conn.messages().filter((m) => m.type === 'session.pong').at(-1);
      require_(!idle.conn.isOpen, `the session exchanged nothing but heartbeats for ${secs} s (declared idle_disconnect_sec ${t}) and is still connected (§14: disconnect-eligible)`, pong);
      ctx.note(`heartbeat-only session dropped after ${secs} s`);
      const gone = busy.conn.messages().filter((m) => m.type === 'session.error').at(-1);
      require_(busy.conn.isOpen, `the session that submitted a job every ${step} ms was dropped too: the runtime drops sessions by age, not by throughput`, gone);
    },
  }),
];

/** A hello on a fresh connection: the reply, or 'closed' when the peer closed without one. */
async function handshake(ctx: CheckContext, p: 'A' | 'B'): Promise<Envelope | 'closed'> {
  const conn = await ctx.connect(p);
  try {
    const reply = await conn.request(helloEnvelope({ token: ctx.token(p) }), { timeoutMs: Math.max(ctx.timeoutMs, ctx.config.target.handshakeTimeoutMs ?? 0) });
    // a welcomed session is held while the next hellos go out: it must answer the peer's pings
    if (reply.type === 'session.welcome') sessionFromWelcome(conn, reply, ALL_FEATURES, ctx.token(p));
    return reply;
  } catch (e) {
    if (e instanceof PeerGone) return 'closed';
    throw e;
  }
}

async function requireBWelcomed(ctx: CheckContext, cap: number): Promise<void> {
  const reply = await handshake(ctx, 'B');
  require_(reply !== 'closed', `principal B's hello was answered by a close while A was at its cap of ${cap}: the cap is not per principal`);
  require_(reply.type === 'session.welcome', `principal B's hello got ${reply.type} ${String(field(reply, 'payload', 'code'))} while A was at its cap of ${cap}: the cap is not per principal`, reply);
}
