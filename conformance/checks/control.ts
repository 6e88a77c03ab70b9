// §6.4 heartbeats, §6.5 acknowledgement, §6.7 close: session control messages.
import { ALL_FEATURES, envelope, field, isoNow } from '../driver/wire.js';
import { closeSession, resume, sendResume, sessionFromWelcome } from '../driver/session.js';
import { SeqOracle } from '../model/seq-oracle.js';
import { AGENTS, scenario } from './define.js';
import { PeerGone, require_, Skip, Violation } from './outcomes.js';

/** Longest heartbeat interval the loss check waits for (it takes about 3 intervals). */
const MAX_HEARTBEAT_SEC = 5;
import type { CheckDef } from './types.js';

export const controlChecks: CheckDef[] = [
  scenario({
    id: '6.4/pong/answers-ping',
    statements: ['S6.4-02'],
    spec: '§6.4',
    level: 'MUST',
    title: 'a session.ping is answered by session.pong echoing the nonce, within heartbeat_interval_sec',
    feature: 'heartbeat',
    async run(ctx) {
      const s = await ctx.open('A');
      const nonce = `p_conf_${Date.now()}`;
      const interval = Number(field(s.welcome.payload, 'heartbeat_interval_sec') ?? 30) * 1000;
      // "within the interval": wait the full interval (at least the expect timeout), never less
      const pong = await s.conn.request(envelope('session.ping', { nonce, sent_at: isoNow() }, { session_id: s.sessionId }), {
        what: `session.ping ${nonce}`,
        timeoutMs: Math.max(interval, ctx.timeoutMs),
      });
      require_(field(pong, 'payload', 'ping_nonce') === nonce, `session.pong ${String(pong.id)} echoes ping_nonce ${String(field(pong, 'payload', 'ping_nonce'))}, not ${nonce}`, pong);
    },
  }),
  scenario({
    id: '6.4/heartbeat/outside-seq-space',
    statements: ['S6.4-04', 'S6.5-04'],
    spec: '§6.4, §6.5, §8.3',
    level: 'MUST',
    title: 'pings, pongs and acks carry no event_seq and do not consume one: job events stay gap-free around them',
    agents: [AGENTS.chatty],
    async run(ctx) {
      const s = await ctx.open('A');
      const a = await ctx.submit(s, AGENTS.chatty, { n: 3 });
      await ctx.terminal(s, a);
      await s.conn.request(envelope('session.ping', { nonce: 'p_conf_1', sent_at: isoNow() }, { session_id: s.sessionId }));
      if (s.features.includes('ack')) {
        const last = Math.max(...s.conn.messages().map((m) => (typeof m.event_seq === 'number' ? m.event_seq : 0)));
        s.conn.send(envelope('session.ack', { last_processed_seq: last }, { session_id: s.sessionId }));
      }
      const b = await ctx.submit(s, AGENTS.chatty, { n: 3 });
      await ctx.terminal(s, b);
      const oracle = new SeqOracle().observeAll(s.conn.messages());
      require_(oracle.violations.length === 0, oracle.violations.join('; '), oracle.firstOffender);
    },
  }),
  scenario({
    id: '6.4/heartbeat/loss-keeps-jobs',
    statements: ['S6.4-03', 'S6.4-05'],
    spec: '§6.4',
    level: 'MUST',
    title: 'when the client goes silent (no pongs) the peer may drop the session, but MUST NOT terminate its jobs: they finish and are resumable',
    feature: 'heartbeat',
    agents: [AGENTS.slow],
    needs: ['reconnect'],
    async run(ctx) {
      const s = await ctx.open('A');
      const issuedAt = performance.now();
      const intervalSec = Number(field(s.welcome.payload, 'heartbeat_interval_sec') ?? 30);
      if (intervalSec > MAX_HEARTBEAT_SEC) {
        throw new Skip(`heartbeat_interval_sec ${intervalSec} s is too long for this check; run the peer with <= ${MAX_HEARTBEAT_SEC} s`);
      }
      const ms = intervalSec * 1000;
      s.conn.autoPong = false;
      // the job outlives the peer's loss detection (2 silent intervals, §6.4) by a full interval
      const jobId = await ctx.submit(s, AGENTS.slow, { steps: Math.ceil((3 * ms) / 100), interval_ms: 100 });
      ctx.note(`client silent; waiting up to ${3 * intervalSec} s for the peer to declare the session dead`);
      const dropped = await s.conn.waitClosed(3 * ms);
      if (!dropped) await s.conn.close('client gives up (peer never declared HEARTBEAT_LOST, which §6.4 allows)');
      const last = s.conn.messages().reduce((mx, m) => Math.max(mx, typeof m.event_seq === 'number' ? m.event_seq : 0), 0);
      const conn = await ctx.connect('A');
      const reply = await sendResume(conn, ctx.profile, { token: ctx.token('A'), sessionId: s.sessionId, resumeToken: s.resumeToken, lastEventSeq: last });
      if (reply.type === 'session.error') {
        // Catalog §9 #28: the spec does not say when the window starts; TS counts it from the
        // welcome that issued the token. Past that, an expiry refusal is a permitted reading.
        const windowSec = Number(field(s.welcome.payload, 'resume_window_sec'));
        const since = (performance.now() - issuedAt) / 1000;
        if (field(reply, 'payload', 'code') === 'RESUME_WINDOW_EXPIRED' && since > windowSec) {
          throw new Skip(
            `resume_window_sec ${windowSec} s had passed since the welcome issued the token (${since.toFixed(1)} s, the peer took that long to declare the loss) and a window counted from issuance is permitted (catalog §9 #28): run the peer with > ${Math.ceil(since)} s, or with heartbeat_interval_sec below ${(windowSec / 3).toFixed(1)} s`,
          );
        }
        throw new Violation(`resume refused: ${String(field(reply, 'payload', 'code'))} ${String(field(reply, 'payload', 'message'))}`, { frame: reply });
      }
      const r = sessionFromWelcome(conn, reply, ALL_FEATURES, ctx.token('A'));
      require_(r.sessionId === s.sessionId, `resume welcome names session ${r.sessionId}, not ${s.sessionId}`, reply);
      const term = await ctx.terminal(r, jobId, Math.max(ctx.timeoutMs, 2 * ms));
      require_(term.type === 'job.result', `the job ended with ${term.type} ${String(field(term, 'payload', 'code') ?? '')} after heartbeat loss`, term);
    },
  }),
  scenario({
    id: '6.4/heartbeat/idle-peer-pings',
    statements: ['S2.2-01', 'S6.4-01'],
    spec: '§6.4',
    level: 'SHOULD',
    title: 'with heartbeat negotiated, an idle peer sends something (a session.ping) at least once per interval',
    feature: 'heartbeat',
    async run(ctx) {
      const s = await ctx.open('A');
      const intervalSec = Number(field(s.welcome.payload, 'heartbeat_interval_sec') ?? 30);
      if (intervalSec > MAX_HEARTBEAT_SEC) {
        throw new Skip(`heartbeat_interval_sec ${intervalSec} s is too long for this check; run the peer with <= ${MAX_HEARTBEAT_SEC} s`);
      }
      // generous: only silence for two full intervals (plus a second) counts. A HEARTBEAT_LOST is
      // no keep-alive: a peer that never pings and then gives up on the idle client sent only that.
      const spoke = await s.conn.arrives((m) => !(m.type === 'session.error' && field(m, 'payload', 'code') === 'HEARTBEAT_LOST'), 2 * intervalSec * 1000 + 1000);
      require_(spoke, `the peer sent nothing for ${2 * intervalSec + 1} s on an idle session`);
    },
  }),
  scenario({
    id: '6.5/ack/accepted-silently',
    statements: ['S6.5-01'],
    spec: '§6.5',
    level: 'MUST',
    gradeReason: 'the MAY is the client\'s permission to send session.ack; a runtime that errors on a permitted message breaks every client using it',
    title: 'session.ack (also one above the latest seq) gets no error and the session keeps working',
    feature: 'ack',
    agents: [AGENTS.echo],
    async run(ctx) {
      const s = await ctx.open('A');
      const a = await ctx.submit(s, AGENTS.echo, { a: 1 });
      const t = await ctx.terminal(s, a);
      s.conn.send(envelope('session.ack', { last_processed_seq: Number(t.event_seq ?? 0) }, { session_id: s.sessionId }));
      s.conn.send(envelope('session.ack', { last_processed_seq: 1_000_000 }, { session_id: s.sessionId }));
      const b = await ctx.submit(s, AGENTS.echo, { b: 2 });
      await ctx.terminal(s, b);
      const errs = s.conn.messages().filter((m) => m.type === 'session.error');
      require_(errs.length === 0, `ack answered by session.error ${String(field(errs[0], 'payload', 'code'))}`);
    },
  }),
  scenario({
    id: '6.7/close/closed-reply',
    statements: ['S6.7-01'],
    spec: '§6.7',
    level: 'MUST',
    title: 'session.close is acknowledged with session.closed (spec profile)',
    needs: ['spec-profile'],
    async run(ctx) {
      const s = await ctx.open('A');
      // a transport that just closes has not acknowledged the close: a failure, not a crash
      const how = await closeSession(s, 'spec', ctx.timeoutMs).catch((e: unknown) => {
        throw e instanceof PeerGone ? new Violation('the transport closed without session.closed') : e;
      });
      require_(how === 'closed', `session.close answered by ${how}`);
    },
  }),
  scenario({
    id: '6.7/close/jobs-survive',
    statements: ['S6.7-02'],
    spec: '§6.7',
    level: 'MUST',
    title: 'in-flight jobs keep running after a graceful close and stay resumable (their events are replayed)',
    agents: [AGENTS.slow],
    needs: ['reconnect'],
    async run(ctx) {
      const s = await ctx.open('A');
      const jobId = await ctx.submit(s, AGENTS.slow, { steps: 4, interval_ms: 60 });
      const seen = s.conn.messages().filter((m) => typeof m.event_seq === 'number');
      const last = seen.length ? Math.max(...seen.map((m) => Number(m.event_seq))) : 0;
      await closeSession(s, ctx.profile, ctx.timeoutMs);
      ctx.note('session closed; waiting while the job runs');
      await ctx.sleep(400);
      const conn = await ctx.connect('A');
      const r = await resume(conn, ctx.profile, { token: ctx.token('A'), sessionId: s.sessionId, resumeToken: s.resumeToken, lastEventSeq: last });
      const term = await ctx.terminal(r, jobId);
      require_(term.type === 'job.result', `job ended with ${term.type} ${String(field(term, 'payload', 'code'))} after the close`, term);
    },
  }),
];
